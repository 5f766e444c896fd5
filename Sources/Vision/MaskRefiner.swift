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
        var red = [Float](repeating: 0, count: n), green = red, blue = red, p = red
        guide.withUnsafeBufferPointer { g in mask.withUnsafeBufferPointer { m in
            red.withUnsafeMutableBufferPointer { r in green.withUnsafeMutableBufferPointer { gr in
            blue.withUnsafeMutableBufferPointer { b in p.withUnsafeMutableBufferPointer { pp in
                for i in 0..<n {
                    r[i] = Float(g[3 * i]) * inv
                    gr[i] = Float(g[3 * i + 1]) * inv
                    b[i] = Float(g[3 * i + 2]) * inv
                    pp[i] = Float(m[i]) * inv
                }
            }}}}
        }}
        func product(_ a: [Float], _ b: [Float]) -> [Float] {
            var result = [Float](repeating: 0, count: n)
            a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in result.withUnsafeMutableBufferPointer { out in
                for i in 0..<n { out[i] = a[i] * b[i] }
            }}}
            return result
        }
        // The thirteen planes whose window means the filter needs — I (3), p, I·p (3) and the six distinct
        // entries of I·Iᵀ — filtered all at once: this fit is a fixed cost of every cut-out whatever the photo's
        // size, and at concurrency 1 the second core is otherwise idle here.
        let colour = [red, green, blue]
        let pairs = [(0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 2)]
        let means = boxAll(colour + [p] + colour.map { product($0, p) } + pairs.map { product(colour[$0.0], colour[$0.1]) },
                           width: width, height: height)

        var ar = [Float](repeating: 0, count: n), ag = ar, ab = ar, b = ar
        let epsilon = self.epsilon
        means.withUnsafeBufferPointer { all in
        ar.withUnsafeMutableBufferPointer { a0p in ag.withUnsafeMutableBufferPointer { a1p in
        ab.withUnsafeMutableBufferPointer { a2p in b.withUnsafeMutableBufferPointer { bp in
            for i in 0..<n {
                @inline(__always) func mean(_ k: Int) -> Float { all[k * n + i] }
                let m0 = mean(0), m1 = mean(1), m2 = mean(2), mp = mean(3)
                let c0 = mean(4) - m0 * mp, c1 = mean(5) - m1 * mp, c2 = mean(6) - m2 * mp
                let s00 = mean(7) - m0 * m0 + epsilon, s01 = mean(8) - m0 * m1, s02 = mean(9) - m0 * m2
                let s11 = mean(10) - m1 * m1 + epsilon, s12 = mean(11) - m1 * m2, s22 = mean(12) - m2 * m2 + epsilon
                // Symmetric 3×3 inverse by cofactors.
                let i00 = s11 * s22 - s12 * s12, i01 = s02 * s12 - s01 * s22, i02 = s01 * s12 - s02 * s11
                let i11 = s00 * s22 - s02 * s02, i12 = s01 * s02 - s00 * s12, i22 = s00 * s11 - s01 * s01
                let det = s00 * i00 + s01 * i01 + s02 * i02
                let a0 = (i00 * c0 + i01 * c1 + i02 * c2) / det
                let a1 = (i01 * c0 + i11 * c1 + i12 * c2) / det
                let a2 = (i02 * c0 + i12 * c1 + i22 * c2) / det
                a0p[i] = a0; a1p[i] = a1; a2p[i] = a2
                bp[i] = mp - a0 * m0 - a1 * m1 - a2 * m2
            }
        }}}}}
        let smoothed = boxAll([ar, ag, ab, b], width: width, height: height)
        return (0..<4).map { Array(smoothed[($0 * n)..<(($0 + 1) * n)]) }
    }

    /// Window means of several width × height planes, the planes spread over the cores; plane k lands at
    /// k · width · height of the one array returned.
    func boxAll(_ planes: [[Float]], width: Int, height: Int) -> [Float] {
        let n = width * height, radius = self.radius
        var out = [Float](repeating: 0, count: planes.count * n)
        out.withUnsafeMutableBufferPointer { all in
            nonisolated(unsafe) let all = all
            RowParallel.forEach(planes.count, minimumPerBand: 1) { band in
                for k in band {
                    let mean = BoxFilter.mean(planes[k], width: width, height: height, radius: radius)
                    for i in 0..<n { all[k * n + i] = mean[i] }
                }
            }
        }
        return out
    }
}
