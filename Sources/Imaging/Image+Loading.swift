internal import CVips
internal import CVipsShim

/// What the header of an encoded image says, read without decoding its pixels.
public struct ImageHeader: Sendable, Equatable {
    public var format: ImageFormat
    public var width: Int
    public var height: Int
    public var bands: Int
    public var hasAlpha: Bool
    public var pixelCount: Int { width * height }
}

/// Limits and strictness for decoding untrusted bytes.
public struct DecodeOptions: Sendable {
    /// Largest width × height accepted, checked on the header before any pixel is decoded.
    public var maxPixels: Int
    /// Reject truncated or corrupt data instead of returning a partly grey image.
    public var strict: Bool

    public init(maxPixels: Int = 36_000_000, strict: Bool = true) {
        self.maxPixels = maxPixels
        self.strict = strict
    }
}

extension Image {
    /// Reads only the header: format (from magic bytes), size and bands. Cheap on any input size.
    public static func header(of bytes: [UInt8]) throws -> ImageHeader {
        let (format, image) = try open(bytes, strict: false)
        return ImageHeader(format: format, width: image.width, height: image.height,
                           bands: image.bands, hasAlpha: image.hasAlpha)
    }

    /// Decodes untrusted bytes into an sRGB (or grey) 8-bit image, EXIF orientation applied, alpha kept.
    /// The pixel limit is checked on the header first; the pixels are decoded here, so corrupt or
    /// truncated data fails here and not later in the pipeline.
    public static func decode(_ bytes: [UInt8], options: DecodeOptions = DecodeOptions()) throws -> Image {
        // Read top to bottom in one pass, unless the photo must be turned (a rotation reads it out of order).
        var (_, lazy) = try open(bytes, strict: options.strict, sequential: true)
        if cvips_orientation(lazy.pointer) > 1 { (_, lazy) = try open(bytes, strict: options.strict) }
        guard lazy.pixelCount <= options.maxPixels else {
            throw ImagingError.tooManyPixels(width: lazy.width, height: lazy.height, limit: options.maxPixels)
        }
        do {
            return try lazy.autorotated().convertedToSRGB().materialized()
        } catch ImagingError.operationFailed(_, let message) {
            throw ImagingError.decodeFailed(message)
        }
    }

    /// Decodes straight to a thumbnail that fits `width`×`height`, using shrink-on-load where the format
    /// allows it (JPEG, WebP), so a large photo never exists at full size in memory.
    public static func thumbnail(_ bytes: [UInt8], width: Int, height: Int, maxPixels: Int = 36_000_000) throws -> Image {
        let header = try header(of: bytes)
        guard header.pixelCount <= maxPixels else {
            throw ImagingError.tooManyPixels(width: header.width, height: header.height, limit: maxPixels)
        }
        let thumb = try Image.make("thumbnail") { out in
            bytes.withUnsafeBytes { cvips_thumbnail_buffer($0.baseAddress, $0.count, Int32(width), Int32(height), 0, 0, out) }
        }
        do {
            return try thumb.convertedToSRGB().materialized()
        } catch ImagingError.operationFailed(_, let message) {
            throw ImagingError.decodeFailed(message)
        }
    }

    private static func open(_ bytes: [UInt8], strict: Bool, sequential: Bool = false) throws -> (ImageFormat, Image) {
        guard !bytes.isEmpty else { throw ImagingError.empty }
        guard let format = ImageFormat.sniff(bytes) else {
            throw ImagingError.unsupportedFormat("the data does not start with a JPEG, PNG, WebP, HEIF/AVIF, TIFF or GIF signature")
        }
        VipsRuntime.ensureStarted()
        var out: UnsafeMutablePointer<VipsImage>?
        let failOn: Int32 = strict ? 1 : 0  // VIPS_FAIL_ON_TRUNCATED
        let status = bytes.withUnsafeBytes { cvips_load_buffer($0.baseAddress, $0.count, failOn, sequential ? 1 : 0, &out) }
        guard status == 0, let image = out else {
            throw ImagingError.decodeFailed("\(format.rawValue) header unreadable: \(VipsRuntime.takeError())")
        }
        return (format, Image(taking: image))
    }

    /// Applies and then removes the EXIF orientation tag, so pixels are upright.
    public func autorotated() throws -> Image {
        try apply("autorot") { cvips_autorot($0, $1) }
    }
}
