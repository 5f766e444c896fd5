internal import CVips
internal import CVipsShim

/// An immutable image backed by a libvips image. Copies share the same pixels; every operation
/// returns a new `Image`. libvips images never change once built, so sharing across threads is safe.
public struct Image: @unchecked Sendable {
    /// Owns exactly one libvips reference and drops it when the last `Image` using it goes away.
    final class Reference: @unchecked Sendable {
        let pointer: UnsafeMutablePointer<VipsImage>
        init(_ pointer: UnsafeMutablePointer<VipsImage>) { self.pointer = pointer }
        deinit { g_object_unref(UnsafeMutableRawPointer(pointer)) }
    }

    let reference: Reference
    var pointer: UnsafeMutablePointer<VipsImage> { reference.pointer }

    init(taking pointer: UnsafeMutablePointer<VipsImage>) {
        reference = Reference(pointer)
    }

    public var width: Int { Int(vips_image_get_width(pointer)) }
    public var height: Int { Int(vips_image_get_height(pointer)) }
    public var bands: Int { Int(vips_image_get_bands(pointer)) }
    public var hasAlpha: Bool { vips_image_hasalpha(pointer) != 0 }
    public var pixelCount: Int { width * height }

    /// Runs one libvips operation that produces a new image, turning its failure into a typed error.
    static func make(
        _ operation: String,
        _ body: (UnsafeMutablePointer<UnsafeMutablePointer<VipsImage>?>) -> Int32
    ) throws -> Image {
        VipsRuntime.ensureStarted()
        var out: UnsafeMutablePointer<VipsImage>?
        let status = body(&out)
        guard status == 0, let result = out else {
            if let partial = out { g_object_unref(UnsafeMutableRawPointer(partial)) }
            throw ImagingError.operationFailed(operation: operation, message: VipsRuntime.takeError())
        }
        return Image(taking: result)
    }

    func apply(
        _ operation: String,
        _ body: (UnsafeMutablePointer<VipsImage>, UnsafeMutablePointer<UnsafeMutablePointer<VipsImage>?>) -> Int32
    ) throws -> Image {
        try Image.make(operation) { out in body(pointer, out) }
    }

    /// Computes the whole pipeline behind this image once and keeps the pixels in memory, so that
    /// several consumers do not each recompute it and decode errors surface here.
    public func materialized() throws -> Image {
        try apply("copy_memory") { cvips_copy_memory($0, $1) }
    }
}

extension Image {
    /// Resolution in dots per inch, as the file declared it (libvips assumes 72 when it did not).
    public var dpi: Double { vips_image_get_xres(pointer) * 25.4 }
}
