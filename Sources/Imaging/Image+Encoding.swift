internal import CVips
internal import CVipsShim

/// The formats Darkroom writes, with their settings.
public enum EncodeFormat: Sendable, Equatable {
    /// Lossless; `compression` 0–9 (zlib's level) trades size for speed. The row filter matters more than
    /// the level on photos: "up" at level 1 makes smaller files than no filter at level 3, in less time
    /// (the 13 sample cut-outs: 19 % fewer bytes, 24 % less time).
    case png(compression: Int = 1, filter: PNGFilter = .up)
    /// Opaque: alpha is flattened onto the background colour first.
    case jpeg(quality: Int = 90)
    case webp(quality: Int = 90, lossless: Bool = false)
    case avif(quality: Int = 60)

    public var mimeType: String {
        switch self {
        case .png: return "image/png"
        case .jpeg: return "image/jpeg"
        case .webp: return "image/webp"
        case .avif: return "image/avif"
        }
    }

    public var fileExtension: String {
        switch self {
        case .png: return "png"
        case .jpeg: return "jpg"
        case .webp: return "webp"
        case .avif: return "avif"
        }
    }
}

/// PNG's row predictors, as libvips numbers them (the libpng flags).
public enum PNGFilter: Int32, Sendable {
    case none = 0x08, sub = 0x10, up = 0x20, average = 0x40, paeth = 0x80
    /// libpng tries every predictor on every row: the smallest files, at about twice the time.
    case adaptive = 0xF8
}

extension Image {
    /// Encodes to `format`. `dpi` is written as the file's resolution (PNG pHYs, JPEG JFIF density…);
    /// `background` is what transparent pixels become in formats without alpha.
    public func encoded(as format: EncodeFormat, dpi: Int = 72, background: RGBA = .white) throws -> [UInt8] {
        guard (1...10_000).contains(dpi) else { throw ImagingError.invalidArgument("dpi must be 1–10000, got \(dpi)") }
        var image = self
        if case .jpeg = format {
            image = try image.flattened(onto: background)
        } else if case .png(let compression, let filter) = format, filter == .up || filter == .none, isStripeWritable {
            // Compressed on every core (a lone request's encode no longer waits on one); it clears the colour
            // under alpha 0 as below and writes no metadata but the resolution.
            return try stripedPNG(level: min(max(compression, 0), 9), up: filter == .up, dpi: dpi)
        } else {
            // rembg and Photoroom send zeros there too; for a cut-out PNG it halves both the bytes and the time.
            image = try image.apply("andimage") { cvips_clear_transparent($0, $1) }
        }
        let perMillimetre = Double(dpi) / 25.4
        // Savers are not told to strip (that would drop the resolution too): private metadata goes here instead.
        image = try image.apply("copy") { cvips_without_metadata($0, $1) }
        image = try image.apply("copy") { cvips_set_resolution($0, perMillimetre, $1) }

        var buffer: UnsafeMutableRawPointer?
        var length = 0
        let status: Int32
        let name: String
        switch format {
        case .png(let compression, let filter):
            name = "pngsave"
            status = cvips_pngsave(image.pointer, Int32(min(max(compression, 0), 9)), filter.rawValue, &buffer, &length)
        case .jpeg(let quality):
            name = "jpegsave"
            status = cvips_jpegsave(image.pointer, Int32(Image.clampQuality(quality)), &buffer, &length)
        case .webp(let quality, let lossless):
            name = "webpsave"
            status = cvips_webpsave(image.pointer, Int32(Image.clampQuality(quality)), lossless ? 1 : 0, 4, &buffer, &length)
        case .avif(let quality):
            name = "avifsave"
            // effort 0 is the fastest AV1 encoder setting; the default is many times slower.
            status = cvips_avifsave(image.pointer, Int32(Image.clampQuality(quality)), 0, &buffer, &length)
        }
        guard status == 0, let bytes = buffer else {
            throw ImagingError.operationFailed(operation: name, message: VipsRuntime.takeError())
        }
        defer { g_free(bytes) }
        return Array(UnsafeRawBufferPointer(start: bytes, count: length))
    }

    static func clampQuality(_ quality: Int) -> Int { min(max(quality, 1), 100) }
}

extension Image {
    /// 8-bit, 1–4 bands, in a space libvips' PNG saver would write as it is (sRGB; grey for 1–2 bands), and
    /// small enough to render whole: what `StripedPNG` writes.
    var isStripeWritable: Bool {
        guard vips_image_get_format(pointer) == VIPS_FORMAT_UCHAR, StripedPNG.colourType(bands: bands) != nil,
              pixelCount * bands <= StripedPNG.largestRenderedBytes else { return false }
        let space = vips_image_get_interpretation(pointer)
        if space == VIPS_INTERPRETATION_sRGB { return true }
        return bands <= 2 && (space == VIPS_INTERPRETATION_B_W || space == VIPS_INTERPRETATION_MULTIBAND)
    }

    /// PNG through `StripedPNG`, with the colour under alpha 0 cleared as the libvips path clears it.
    func stripedPNG(level: Int, up: Bool, dpi: Int, stripes: Int? = nil) throws -> [UInt8] {
        func encode(_ start: UnsafeRawPointer, _ size: Int) throws -> [UInt8] {
            try StripedPNG.encode(UnsafeRawBufferPointer(start: start, count: size), width: width, height: height,
                                  bands: bands, level: level, up: up, dpi: dpi, clearTransparent: true, stripes: stripes)
        }
        var size = 0
        // A materialised image is read where it lies; a lazy one is rendered once.
        if let held = cvips_memory_pixels(pointer, &size) { return try encode(held, size) }
        guard let memory = vips_image_write_to_memory(pointer, &size) else {
            throw ImagingError.operationFailed(operation: "pngsave", message: VipsRuntime.takeError())
        }
        defer { g_free(memory) }
        return try encode(memory, size)
    }
}
