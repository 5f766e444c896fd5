import Imaging

/// Full-resolution edge refinement of a low-resolution model mask: a colour guided filter (He, Sun & Tang)
/// with the photo as guide, in its "fast" form — the linear coefficients are fitted at the model's input
/// resolution (on the very image the model saw and the mask it gave) and applied to every full-resolution
/// pixel, so mask edges follow the photo's real edges for the cost of a 320×320 image.
public struct MaskRefiner: Sendable {
    /// Window radius at the model's input resolution.
    public var radius: Int
    /// Regularisation: larger keeps more of the model's mask, smaller follows the photo's edges more.
    public var epsilon: Float
    /// Contrast applied around half opacity after filtering: the filtered mask keeps the model's soft ramp
    /// where the photo shows no edge, and real subjects have crisp borders.
    public var hardness: Float

    public init(radius: Int = 2, epsilon: Float = 1e-4, hardness: Float = 3) {
        self.radius = radius
        self.epsilon = epsilon
        self.hardness = hardness
    }

    /// The refined 8-bit mask at the photo's full size.
    public func refine(_ probabilities: [Float], input: ModelInput) throws -> Image {
        let side = input.side
        guard probabilities.count == side * side else {
            throw ImagingError.invalidArgument("mask has \(probabilities.count) values, the model input is \(side)²")
        }
        let lowMask = probabilities.map { UInt8(min(max($0, 0), 1) * 255 + 0.5) }
        let coefficients = fit(guide: input.pixels, mask: lowMask, width: side, height: side)
        let out = apply(coefficients, width: side, height: side, to: input.photoPixels, width: input.photoWidth, height: input.photoHeight)
        return try Image(pixels: out, width: input.photoWidth, height: input.photoHeight, bands: 1)
    }

    /// q = a·I + b at every full-resolution pixel, with (a, b) interpolated bilinearly from the working
    /// resolution on the fly (no full-size coefficient planes are ever stored).
    func apply(_ planes: [[Float]], width w: Int, height h: Int, to rgb: [UInt8], width: Int, height: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: width * height)
        // Source coordinates of each output column, pixel centres aligned.
        let sx = Float(w) / Float(width), sy = Float(h) / Float(height)
        var x0 = [Int](repeating: 0, count: width), x1 = x0, fx = [Float](repeating: 0, count: width)
        for x in 0..<width {
            let position = max((Float(x) + 0.5) * sx - 0.5, 0)
            x0[x] = min(Int(position), w - 1)
            x1[x] = min(x0[x] + 1, w - 1)
            fx[x] = position - Float(x0[x])
        }
        let gain = hardness, inv: Float = 1 / 255
        planes[0].withUnsafeBufferPointer { ar in planes[1].withUnsafeBufferPointer { ag in
        planes[2].withUnsafeBufferPointer { ab in planes[3].withUnsafeBufferPointer { bb in
        rgb.withUnsafeBufferPointer { image in out.withUnsafeMutableBufferPointer { dst in
            RowParallel.forEach(height) { rows in for y in rows {
                let position = max((Float(y) + 0.5) * sy - 0.5, 0)
                let top = min(Int(position), h - 1), bottom = min(top + 1, h - 1)
                let fy = position - Float(top)
                let rowTop = top * w, rowBottom = bottom * w
                for x in 0..<width {
                    let i00 = rowTop + x0[x], i01 = rowTop + x1[x], i10 = rowBottom + x0[x], i11 = rowBottom + x1[x]
                    let wx = fx[x]
                    @inline(__always) func sample(_ p: UnsafeBufferPointer<Float>) -> Float {
                        let upper = p[i00] + (p[i01] - p[i00]) * wx
                        let lower = p[i10] + (p[i11] - p[i10]) * wx
                        return upper + (lower - upper) * fy
                    }
                    let pixel = (y * width + x) * 3
                    let value = sample(ar) * Float(image[pixel]) * inv + sample(ag) * Float(image[pixel + 1]) * inv
                        + sample(ab) * Float(image[pixel + 2]) * inv + sample(bb)
                    let hardened = (value - 0.5) * gain + 0.5
                    dst[y * width + x] = UInt8(min(max(hardened, 0), 1) * 255 + 0.5)
                }
            }}
        }}}}}}
        return out
    }

    /// The window-averaged coefficients (a_r, a_g, a_b, b) such that mask ≈ a·I + b locally.
    func fit(guide: [UInt8], mask: [UInt8], width: Int, height: Int) -> [[Float]] {
        let n = width * height
        let inv: Float = 1 / 255
        var channels = [[Float]](repeating: [Float](repeating: 0, count: n), count: 3)
        var p = [Float](repeating: 0, count: n)
        for i in 0..<n {
            channels[0][i] = Float(guide[3 * i]) * inv
            channels[1][i] = Float(guide[3 * i + 1]) * inv
            channels[2][i] = Float(guide[3 * i + 2]) * inv
            p[i] = Float(mask[i]) * inv
        }
        func box(_ plane: [Float]) -> [Float] { BoxFilter.mean(plane, width: width, height: height, radius: radius) }
        func product(_ a: [Float], _ b: [Float]) -> [Float] {
            var result = [Float](repeating: 0, count: n)
            for i in 0..<n { result[i] = a[i] * b[i] }
            return result
        }

        let meanI = channels.map(box)
        let meanP = box(p)
        let meanIp = channels.map { box(product($0, p)) }
        // The six distinct entries of each pixel's 3×3 colour covariance.
        let pairs = [(0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 2)]
        let corr = pairs.map { box(product(channels[$0.0], channels[$0.1])) }

        var a = [[Float]](repeating: [Float](repeating: 0, count: n), count: 3)
        var b = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let m0 = meanI[0][i], m1 = meanI[1][i], m2 = meanI[2][i], mp = meanP[i]
            let c0 = meanIp[0][i] - m0 * mp, c1 = meanIp[1][i] - m1 * mp, c2 = meanIp[2][i] - m2 * mp
            let s00 = corr[0][i] - m0 * m0 + epsilon, s01 = corr[1][i] - m0 * m1, s02 = corr[2][i] - m0 * m2
            let s11 = corr[3][i] - m1 * m1 + epsilon, s12 = corr[4][i] - m1 * m2, s22 = corr[5][i] - m2 * m2 + epsilon
            // Symmetric 3×3 inverse by cofactors.
            let i00 = s11 * s22 - s12 * s12, i01 = s02 * s12 - s01 * s22, i02 = s01 * s12 - s02 * s11
            let i11 = s00 * s22 - s02 * s02, i12 = s01 * s02 - s00 * s12, i22 = s00 * s11 - s01 * s01
            let det = s00 * i00 + s01 * i01 + s02 * i02
            let a0 = (i00 * c0 + i01 * c1 + i02 * c2) / det
            let a1 = (i01 * c0 + i11 * c1 + i12 * c2) / det
            let a2 = (i02 * c0 + i12 * c1 + i22 * c2) / det
            a[0][i] = a0; a[1][i] = a1; a[2][i] = a2
            b[i] = mp - a0 * m0 - a1 * m1 - a2 * m2
        }
        return [box(a[0]), box(a[1]), box(a[2]), box(b)]
    }
}
