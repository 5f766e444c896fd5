internal import CVips
internal import CVipsShim

extension Image {
    /// Draws `overlay` over this image with its top-left corner at (`x`, `y`), respecting both alphas.
    /// The result has an alpha band.
    public func compositing(_ overlay: Image, x: Int = 0, y: Int = 0) throws -> Image {
        let result = try Image.make("composite") {
            cvips_composite2(pointer, overlay.pointer, VIPS_BLEND_MODE_OVER, Int32(x), Int32(y), $0)
        }
        // composite works in float; bring the result back to 8-bit sRGB like every other image here.
        return try result.convertedToSRGB()
    }

    /// Gaussian blur with standard deviation `sigma` pixels; 0 returns the image unchanged.
    public func blurred(sigma: Double) throws -> Image {
        guard sigma >= 0, sigma.isFinite else { throw ImagingError.invalidArgument("blur sigma must be ≥ 0, got \(sigma)") }
        if sigma == 0 { return self }
        return try apply("gaussblur") { cvips_gaussblur($0, sigma, $1) }
    }
}

extension Image {
    /// A lens-like blur: every pixel becomes the mean of a flat disc of `radius` pixels around it. Large radii
    /// are computed on a reduced copy (the disc stays at most 8 px there) and enlarged back, which keeps the
    /// cost flat whatever the radius.
    public func discBlurred(radius: Double) throws -> Image {
        guard radius >= 0, radius.isFinite else { throw ImagingError.invalidArgument("blur radius must be ≥ 0, got \(radius)") }
        if radius < 0.5 { return self }
        let factor = max(1, radius / 8)
        let small = factor > 1 ? try resized(horizontal: 1 / factor, vertical: 1 / factor, kernel: .linear) : self
        let blurred = try small.apply("conv") { cvips_disc_blur($0, Int32(max(1, (radius / factor).rounded())), $1) }
        return factor > 1 ? try blurred.resized(width: width, height: height, kernel: .linear) : blurred
    }
}
