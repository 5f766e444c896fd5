internal import CVips
internal import CVipsShim

/// A rectangle in pixels.
public struct PixelRect: Sendable, Equatable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }

    /// Whether the two share at least one pixel.
    public func intersects(_ other: PixelRect) -> Bool {
        x < other.x + other.width && other.x < x + width && y < other.y + other.height && other.y < y + height
    }
}

/// Resampling kernels, in increasing sharpness and cost.
public enum ResizeKernel: Sendable {
    case nearest, linear, cubic, lanczos3

    var vips: VipsKernel {
        switch self {
        case .nearest: return VIPS_KERNEL_NEAREST
        case .linear: return VIPS_KERNEL_LINEAR
        case .cubic: return VIPS_KERNEL_CUBIC
        case .lanczos3: return VIPS_KERNEL_LANCZOS3
        }
    }
}

extension Image {
    /// Scales by independent horizontal and vertical factors.
    public func resized(horizontal: Double, vertical: Double, kernel: ResizeKernel = .lanczos3) throws -> Image {
        guard horizontal > 0, vertical > 0, horizontal.isFinite, vertical.isFinite else {
            throw ImagingError.invalidArgument("resize factors must be positive, got \(horizontal) and \(vertical)")
        }
        guard hasAlpha else { return try apply("resize") { cvips_resize($0, horizontal, vertical, kernel.vips, $1) } }
        // Resample colour × alpha, so the colours of invisible pixels (a removed background) never bleed into
        // the visible edge; then divide back.
        let premultiplied = try apply("premultiply") { cvips_premultiply($0, $1) }
        let resized = try premultiplied.apply("resize") { cvips_resize($0, horizontal, vertical, kernel.vips, $1) }
        let straight = try resized.apply("unpremultiply") { cvips_unpremultiply($0, $1) }
        return try straight.apply("cast") { cvips_cast($0, VIPS_FORMAT_UCHAR, $1) }
    }

    /// Scales to exactly `width`×`height`, ignoring the aspect ratio. libvips rounds the target size from
    /// the scale factors, so the factors are nudged until the result lands on the exact size.
    public func resized(width targetWidth: Int, height targetHeight: Int, kernel: ResizeKernel = .lanczos3) throws -> Image {
        guard targetWidth > 0, targetHeight > 0 else {
            throw ImagingError.invalidArgument("resize target must be positive, got \(targetWidth)x\(targetHeight)")
        }
        if targetWidth == width && targetHeight == height { return self }
        let h = (Double(targetWidth) + 0.25) / Double(width)
        let v = (Double(targetHeight) + 0.25) / Double(height)
        let result = try resized(horizontal: h, vertical: v, kernel: kernel)
        if result.width == targetWidth && result.height == targetHeight { return result }
        return try result.cropped(left: 0, top: 0, width: min(result.width, targetWidth), height: min(result.height, targetHeight))
            .embedded(in: PixelRect(x: 0, y: 0, width: targetWidth, height: targetHeight), extend: .copy)
    }

    /// Scales down (never up) so that the image fits inside `maxWidth`×`maxHeight`, keeping its aspect ratio.
    public func fitted(maxWidth: Int, maxHeight: Int, kernel: ResizeKernel = .lanczos3) throws -> Image {
        let scale = min(Double(maxWidth) / Double(width), Double(maxHeight) / Double(height), 1)
        if scale >= 1 { return self }
        let w = max(1, Int((Double(width) * scale).rounded()))
        let h = max(1, Int((Double(height) * scale).rounded()))
        return try resized(width: w, height: h, kernel: kernel)
    }

    public func cropped(left: Int, top: Int, width w: Int, height h: Int) throws -> Image {
        guard left >= 0, top >= 0, w > 0, h > 0, left + w <= width, top + h <= height else {
            throw ImagingError.invalidArgument("crop \(w)x\(h)+\(left)+\(top) is outside the \(width)x\(height) image")
        }
        return try apply("extract_area") { cvips_crop($0, Int32(left), Int32(top), Int32(w), Int32(h), $1) }
    }

    public func cropped(to rect: PixelRect) throws -> Image {
        try cropped(left: rect.x, top: rect.y, width: rect.width, height: rect.height)
    }

    public enum Extend: Sendable { case background(RGBA), copy, `repeat` }

    /// Places this image at (`frame.x`, `frame.y`) on a `frame.width`×`frame.height` canvas; the rest is
    /// filled with a colour or with copies of the edge pixels.
    public func embedded(in frame: PixelRect, extend: Extend) throws -> Image {
        guard frame.width > 0, frame.height > 0 else {
            throw ImagingError.invalidArgument("canvas must be positive, got \(frame.width)x\(frame.height)")
        }
        let mode: VipsExtend
        var background: [Double] = [0]
        switch extend {
        case .copy: mode = VIPS_EXTEND_COPY
        case .repeat: mode = VIPS_EXTEND_REPEAT
        case .background(let colour):
            mode = VIPS_EXTEND_BACKGROUND
            background = Array((hasAlpha ? colour.rgba : colour.rgb).prefix(bands))
            if bands == 1 { background = [Double(colour.red)] }
        }
        return try apply("embed") { input, out in
            background.withUnsafeBufferPointer {
                cvips_embed(input, Int32(frame.x), Int32(frame.y), Int32(frame.width), Int32(frame.height),
                            mode, $0.baseAddress, Int32($0.count), out)
            }
        }
    }

    /// Applies the matrix [[a, b], [c, d]] plus the offset (`dx`, `dy`), writing the area `output` of the
    /// transformed plane; uncovered pixels take `background`.
    public func affine(a: Double, b: Double, c: Double, d: Double, dx: Double = 0, dy: Double = 0,
                       output: PixelRect, background: RGBA = .transparent) throws -> Image {
        let fill = Array((hasAlpha ? background.rgba : background.rgb).prefix(bands))
        return try apply("affine") { input, out in
            fill.withUnsafeBufferPointer {
                cvips_affine(input, a, b, c, d, dx, dy, Int32(output.x), Int32(output.y),
                             Int32(output.width), Int32(output.height), $0.baseAddress, Int32($0.count), out)
            }
        }
    }

    public func flippedHorizontally() throws -> Image {
        try apply("flip") { cvips_flip($0, 1, $1) }
    }

    /// The bounding box of the pixels of a one-band image (e.g. a mask) above `threshold` after a 3×3 median,
    /// or nil when none is (see `MaskBounds`).
    public func boundingBox(above threshold: UInt8) throws -> PixelRect? {
        guard bands == 1 else { throw ImagingError.invalidArgument("boundingBox needs a one-band image") }
        return MaskBounds.box(of: try pixels(), width: width, height: height, above: threshold)
    }

    /// libvips' own `find_trim` against black, which `MaskBounds` is tested against.
    func libvipsBoundingBox(above threshold: UInt8) throws -> PixelRect? {
        var left: Int32 = 0, top: Int32 = 0, w: Int32 = 0, h: Int32 = 0
        let background: [Double] = [0]
        let status = background.withUnsafeBufferPointer {
            cvips_find_trim(pointer, Double(threshold), $0.baseAddress, 1, &left, &top, &w, &h)
        }
        guard status == 0 else {
            throw ImagingError.operationFailed(operation: "find_trim", message: VipsRuntime.takeError())
        }
        return w > 0 && h > 0 ? PixelRect(x: Int(left), y: Int(top), width: Int(w), height: Int(h)) : nil
    }
}

