internal import CVips
internal import CVipsShim

extension Image {
    /// Builds an 8-bit image from interleaved pixels (`bands` values per pixel, row by row).
    public init(pixels: [UInt8], width: Int, height: Int, bands: Int) throws {
        guard width > 0, height > 0, bands > 0, pixels.count == width * height * bands else {
            throw ImagingError.invalidArgument("\(pixels.count) bytes do not make a \(width)x\(height)x\(bands) image")
        }
        VipsRuntime.ensureStarted()
        let made = pixels.withUnsafeBytes {
            vips_image_new_from_memory_copy($0.baseAddress, $0.count, Int32(width), Int32(height), Int32(bands), VIPS_FORMAT_UCHAR)
        }
        guard let image = made else {
            throw ImagingError.operationFailed(operation: "new_from_memory", message: VipsRuntime.takeError())
        }
        var tagged: UnsafeMutablePointer<VipsImage>?
        let space = bands >= 3 ? VIPS_INTERPRETATION_sRGB : VIPS_INTERPRETATION_B_W
        // The interpretation is metadata: set it on a copy so the buffer-backed image stays untouched.
        let status = cvips_copy_interpretation(image, space, &tagged)
        g_object_unref(UnsafeMutableRawPointer(image))
        guard status == 0, let result = tagged else {
            throw ImagingError.operationFailed(operation: "copy", message: VipsRuntime.takeError())
        }
        self.init(taking: result)
    }

    /// The interleaved 8-bit pixels, row by row (`width × height × bands` bytes).
    public func pixels() throws -> [UInt8] {
        var image = self
        if vips_image_get_format(pointer) != VIPS_FORMAT_UCHAR {
            image = try apply("cast") { cvips_cast($0, VIPS_FORMAT_UCHAR, $1) }
        }
        var size = 0
        // A materialised image (every decoded photo) is copied once, straight from its buffer; a lazy one is
        // rendered into a temporary buffer first.
        if let held = cvips_memory_pixels(image.pointer, &size) {
            return Array(UnsafeRawBufferPointer(start: held, count: size))
        }
        guard let memory = vips_image_write_to_memory(image.pointer, &size) else {
            throw ImagingError.decodeFailed(VipsRuntime.takeError())
        }
        defer { g_free(memory) }
        return Array(UnsafeRawBufferPointer(start: memory, count: size))
    }

    /// The value of every band at one pixel.
    public func pixel(x: Int, y: Int) throws -> [UInt8] {
        guard x >= 0, y >= 0, x < width, y < height else {
            throw ImagingError.invalidArgument("pixel (\(x), \(y)) is outside \(width)x\(height)")
        }
        return try cropped(left: x, top: y, width: 1, height: 1).pixels()
    }
}

extension Image {
    /// Builds a one-band 32-bit float image, e.g. a mask or a filter coefficient plane.
    public init(floats: [Float], width: Int, height: Int) throws {
        guard width > 0, height > 0, floats.count == width * height else {
            throw ImagingError.invalidArgument("\(floats.count) floats do not make a \(width)x\(height) plane")
        }
        VipsRuntime.ensureStarted()
        let made = floats.withUnsafeBytes {
            vips_image_new_from_memory_copy($0.baseAddress, $0.count, Int32(width), Int32(height), 1, VIPS_FORMAT_FLOAT)
        }
        guard let image = made else {
            throw ImagingError.operationFailed(operation: "new_from_memory", message: VipsRuntime.takeError())
        }
        self.init(taking: image)
    }

    /// The first band as 32-bit floats, row by row, with the band's own values (0–255 for 8-bit images).
    public func floatPlane() throws -> [Float] {
        let band = bands == 1 ? self : try extractBands(0, count: 1)
        let plane = vips_image_get_format(band.pointer) == VIPS_FORMAT_FLOAT
            ? band : try band.apply("cast") { cvips_cast($0, VIPS_FORMAT_FLOAT, $1) }
        var size = 0
        guard let memory = vips_image_write_to_memory(plane.pointer, &size) else {
            throw ImagingError.decodeFailed(VipsRuntime.takeError())
        }
        defer { g_free(memory) }
        return Array(UnsafeBufferPointer(start: memory.assumingMemoryBound(to: Float.self), count: size / 4))
    }
}
