internal import CVips
internal import CVipsShim

/// An 8-bit colour with alpha, as the API and the CLI take it.
public struct RGBA: Sendable, Equatable {
    public var red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8
    public init(_ red: UInt8, _ green: UInt8, _ blue: UInt8, _ alpha: UInt8 = 255) {
        self.red = red; self.green = green; self.blue = blue; self.alpha = alpha
    }
    public static let white = RGBA(255, 255, 255)
    public static let black = RGBA(0, 0, 0)
    public static let transparent = RGBA(0, 0, 0, 0)

    var rgb: [Double] { [Double(red), Double(green), Double(blue)] }
    var rgba: [Double] { rgb + [Double(alpha)] }

    /// Parses `RRGGBB`, `RRGGBBAA` or `RGB`, with or without a leading `#`.
    public init?(hex: String) {
        var text = Substring(hex)
        if text.hasPrefix("#") { text = text.dropFirst() }
        guard text.allSatisfy(\.isHexDigit) else { return nil }
        if text.count == 3 { text = Substring(text.map { "\($0)\($0)" }.joined()) }
        guard text.count == 6 || text.count == 8, let value = UInt32(text, radix: 16) else { return nil }
        let v = text.count == 6 ? (value << 8) | 0xFF : value
        self.init(UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF))
    }
}

extension Image {
    /// 8-bit sRGB (three bands, plus alpha when the source had one), whatever the source colour space or depth.
    public func convertedToSRGB() throws -> Image {
        var image = self
        let interpretation = vips_image_get_interpretation(pointer)
        if interpretation != VIPS_INTERPRETATION_sRGB || bands < 3 {
            image = try apply("colourspace") { cvips_to_srgb($0, $1) }
        }
        if vips_image_get_format(image.pointer) != VIPS_FORMAT_UCHAR {
            image = try image.apply("cast") { cvips_cast($0, VIPS_FORMAT_UCHAR, $1) }
        }
        return image
    }

    /// One 8-bit band of luminance.
    public func grayscale() throws -> Image {
        let opaque = hasAlpha ? try extractBands(0, count: bands - 1) : self
        let grey = try opaque.apply("colourspace") { cvips_colourspace($0, VIPS_INTERPRETATION_B_W, $1) }
        return try grey.apply("cast") { cvips_cast($0, VIPS_FORMAT_UCHAR, $1) }
    }

    /// The colour bands without alpha.
    public func removingAlpha() throws -> Image {
        hasAlpha ? try extractBands(0, count: bands - 1) : self
    }

    /// The alpha band, or nil when the image is opaque by construction.
    public func alpha() throws -> Image? {
        hasAlpha ? try extractBands(bands - 1, count: 1) : nil
    }

    public func extractBands(_ first: Int, count: Int) throws -> Image {
        try apply("extract_band") { cvips_extract_band($0, Int32(first), Int32(count), $1) }
    }

    /// This image's colour bands with `mask` (one 8-bit band of the same size) as alpha, replacing any alpha it had.
    public func withAlpha(_ mask: Image) throws -> Image {
        guard mask.width == width, mask.height == height, mask.bands == 1 else {
            throw ImagingError.invalidArgument("alpha mask is \(mask.width)x\(mask.height)x\(mask.bands), image is \(width)x\(height)")
        }
        let colour = try removingAlpha()
        return try Image.make("bandjoin") { cvips_bandjoin2(colour.pointer, mask.pointer, $0) }
    }

    /// This image with a fully opaque alpha band (unchanged if it already has alpha).
    public func withOpaqueAlpha() throws -> Image {
        hasAlpha ? self : try apply("addalpha") { cvips_add_alpha($0, $1) }
    }

    /// Composites any alpha onto a solid colour, giving an opaque image.
    public func flattened(onto colour: RGBA) throws -> Image {
        guard hasAlpha else { return self }
        let background = colour.rgb
        return try apply("flatten") { input, out in
            background.withUnsafeBufferPointer { cvips_flatten(input, $0.baseAddress, Int32($0.count), out) }
        }
    }

    /// `a × pixel + b` on every band, rounded and clamped to 8 bits.
    public func linear(_ a: Double, _ b: Double) throws -> Image {
        try apply("linear") { cvips_linear1($0, a, b, 1, $1) }
    }

    /// `a[i] × band[i] + b[i]` per band, kept 8-bit.
    public func linear(_ a: [Double], _ b: [Double]) throws -> Image {
        guard a.count == b.count, a.count == bands || a.count == 1 else {
            throw ImagingError.invalidArgument("linear needs one coefficient per band")
        }
        return try apply("linear") { input, out in
            a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in cvips_linear(input, ap.baseAddress, bp.baseAddress, Int32(a.count), 1, out) }
            }
        }
    }

    /// A solid colour image, built lazily by libvips (one pixel repeated), so that a large canvas costs no
    /// memory until something reads it.
    public static func solid(_ colour: RGBA, width: Int, height: Int, withAlpha: Bool = true) throws -> Image {
        guard width > 0, height > 0 else { throw ImagingError.invalidArgument("a solid image needs a positive size, got \(width)x\(height)") }
        let values = withAlpha ? [colour.red, colour.green, colour.blue, colour.alpha] : [colour.red, colour.green, colour.blue]
        let pixel = try Image(pixels: values, width: 1, height: 1, bands: values.count)
        return try pixel.embedded(in: PixelRect(x: 0, y: 0, width: width, height: height), extend: .copy)
    }
}
