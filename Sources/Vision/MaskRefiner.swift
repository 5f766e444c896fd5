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
        try Image(pixels: refinedPixels(probabilities, input: input), width: input.photoWidth, height: input.photoHeight, bands: 1)
    }

    /// The same mask's bytes, row by row.
    public func refinedPixels(_ probabilities: [Float], input: ModelInput) throws -> [UInt8] {
        let side = input.side
        guard probabilities.count == side * side else {
            throw ImagingError.invalidArgument("mask has \(probabilities.count) values, the model input is \(side)²")
        }
        let lowMask = probabilities.map { UInt8(min(max($0, 0), 1) * 255 + 0.5) }
        let coefficients = fit(guide: input.pixels, mask: lowMask, width: side, height: side)
        return apply(coefficients, width: side, height: side, to: input.photoPixels, width: input.photoWidth, height: input.photoHeight)
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
        x0.withUnsafeBufferPointer { x0 in x1.withUnsafeBufferPointer { x1 in fx.withUnsafeBufferPointer { fx in
            let sources = [ar, ag, ab, bb]
            RowParallel.forEach(height) { rows in
                // Bilinear is separable: each output row first blends its two source rows of every plane
                // once, so the per-pixel work is one blend along x per plane.
                let blended = UnsafeMutableBufferPointer<Float>.allocate(capacity: 4 * w)
                defer { blended.deallocate() }
                for y in rows {
                    let position = max((Float(y) + 0.5) * sy - 0.5, 0)
                    let top = min(Int(position), h - 1), bottom = min(top + 1, h - 1)
                    let fy = position - Float(top)
                    for k in 0..<4 {
                        let plane = sources[k], upper = top * w, lower = bottom * w, base = k * w
                        for x in 0..<w { blended[base + x] = plane[upper + x] + (plane[lower + x] - plane[upper + x]) * fy }
                    }
                    let row = y * width
                    for x in 0..<width {
                        let left = x0[x], right = x1[x], wx = fx[x]
                        @inline(__always) func sample(_ k: Int) -> Float {
                            let a = blended[k * w + left]
                            return a + (blended[k * w + right] - a) * wx
                        }
                        let pixel = (row + x) * 3
                        let value = sample(0) * Float(image[pixel]) * inv + sample(1) * Float(image[pixel + 1]) * inv
                            + sample(2) * Float(image[pixel + 2]) * inv + sample(3)
                        let hardened = (value - 0.5) * gain + 0.5
                        dst[row + x] = UInt8(min(max(hardened, 0), 1) * 255 + 0.5)
                    }
                }
            }
        }}}}}}}}}
        return out
    }

    /// The window-averaged coefficients (a_r, a_g, a_b, b) such that mask ≈ a·I + b locally.
    func fit(guide: [UInt8], mask: [UInt8], width: Int, height: Int) -> [[Float]] {
        let n = width * height
        let inv: Float = 1 / 255, epsilon = self.epsilon
        // The thirteen quantities whose window means the filter needs — I (3), p, I·p (3) and the six distinct
        // entries of I·Iᵀ — streamed a row at a time, the rows split over the cores: this fit is a fixed cost of
        // every cut-out whatever the photo's size, and at concurrency 1 the second core is otherwise idle here.
        let statistics = BoxFilter(width: width, height: height, radius: radius, quantities: 13)
        var coefficients = [Float](repeating: 0, count: 4 * n)
        guide.withUnsafeBufferPointer { g in mask.withUnsafeBufferPointer { m in
        coefficients.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out.baseAddress!
            RowParallel.forEach(height, minimumPerBand: 32) { rows in
                statistics.run(rows: rows, fill: { y, row in
                    for x in 0..<width {
                        let i = y * width + x
                        let r = Float(g[3 * i]) * inv, gr = Float(g[3 * i + 1]) * inv, b = Float(g[3 * i + 2]) * inv
                        let p = Float(m[i]) * inv
                        row[x] = r; row[width + x] = gr; row[2 * width + x] = b; row[3 * width + x] = p
                        row[4 * width + x] = r * p; row[5 * width + x] = gr * p; row[6 * width + x] = b * p
                        row[7 * width + x] = r * r; row[8 * width + x] = r * gr; row[9 * width + x] = r * b
                        row[10 * width + x] = gr * gr; row[11 * width + x] = gr * b; row[12 * width + x] = b * b
                    }
                }, consume: { y, means in
                    for x in 0..<width {
                        @inline(__always) func mean(_ k: Int) -> Float { means[k * width + x] }
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
                        let i = y * width + x
                        out[i] = a0; out[n + i] = a1; out[2 * n + i] = a2
                        out[3 * n + i] = mp - a0 * m0 - a1 * m1 - a2 * m2
                    }
                })
            }
        }}}
        let smoothing = BoxFilter(width: width, height: height, radius: radius, quantities: 4)
        var a0 = [Float](repeating: 0, count: n), a1 = a0, a2 = a0, b = a0
        coefficients.withUnsafeBufferPointer { source in
        a0.withUnsafeMutableBufferPointer { a0 in a1.withUnsafeMutableBufferPointer { a1 in
        a2.withUnsafeMutableBufferPointer { a2 in b.withUnsafeMutableBufferPointer { b in
            nonisolated(unsafe) let targets = [a0.baseAddress!, a1.baseAddress!, a2.baseAddress!, b.baseAddress!]
            let source = source.baseAddress!
            RowParallel.forEach(height, minimumPerBand: 32) { rows in
                smoothing.run(rows: rows, fill: { y, row in
                    for k in 0..<4 { (row + k * width).update(from: source + k * n + y * width, count: width) }
                }, consume: { y, means in
                    for k in 0..<4 { (targets[k] + y * width).update(from: means + k * width, count: width) }
                })
            }
        }}}}}
        return [a0, a1, a2, b]
    }
}
