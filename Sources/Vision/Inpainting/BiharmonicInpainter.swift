import Foundation

/// Smooth fill that continues the slopes at the hole's rim, not only its values: the hole's colours minimise the
/// squared Laplacian summed over every pixel whose 5-point stencil touches the hole (Δ²u = 0 inside, the known
/// pixels fixed). A harmonic fill (`DiffusionInpainter`) is flat between the rims, so a gradient that crosses a
/// stroke is bent at both edges; the biharmonic one carries it across. Solved by conjugate gradients on the
/// correction to the image's current colours (a diffusion fill is a good start), all three channels at once.
public struct BiharmonicInpainter: Sendable {
    /// Conjugate-gradient iterations at most; a stroke a few pixels wide settles in far fewer.
    public var iterations = 150
    /// Stop when the residual's norm falls below this share of where it started.
    public var tolerance: Float = 1e-2

    public init() {}

    /// Fills the hole in place, starting from its current colours (diffused first when `startFromDiffusion`).
    public func inpaint(_ image: inout InpaintingImage, startFromDiffusion: Bool = true) {
        let w = image.width, h = image.height
        if startFromDiffusion { DiffusionInpainter().inpaint(&image) }
        let holes = image.hole.indices.filter { image.hole[$0] }
        guard !holes.isEmpty, holes.count < w * h else { return }
        func forEachNeighbour(of i: Int, _ body: (Int) -> Void) {
            let x = i % w, y = i / w
            if x > 0 { body(i - 1) }
            if x < w - 1 { body(i + 1) }
            if y > 0 { body(i - w) }
            if y < h - 1 { body(i + w) }
        }
        // The band is where L·x can be non-zero for x supported on the hole: the hole and its 4-neighbours.
        var inBand = image.hole
        for i in holes { forEachNeighbour(of: i) { inBand[$0] = true } }
        let band = inBand.indices.filter { inBand[$0] }
        // Neumann Laplacian at pixel i of a full-size plane (neighbours outside the photo are left out).
        func laplacian(_ plane: UnsafePointer<SIMD3<Float>>, at i: Int) -> SIMD3<Float> {
            let x = i % w, y = i / w
            var sum = SIMD3<Float>(repeating: 0), count: Float = 0
            if x > 0 { sum += plane[i - 1]; count += 1 }
            if x < w - 1 { sum += plane[i + 1]; count += 1 }
            if y > 0 { sum += plane[i - w]; count += 1 }
            if y < h - 1 { sum += plane[i + w]; count += 1 }
            return sum - count * plane[i]
        }
        var u = [SIMD3<Float>](repeating: .zero, count: w * h)
        for i in band { u[i] = SIMD3(image.colour[3 * i], image.colour[3 * i + 1], image.colour[3 * i + 2]) }
        // Pixels two steps from the hole enter L·u at the band's edge; they are known and fixed.
        for i in band {
            forEachNeighbour(of: i) { n in
                if !inBand[n] { u[n] = SIMD3(image.colour[3 * n], image.colour[3 * n + 1], image.colour[3 * n + 2]) }
            }
        }
        var lap = [SIMD3<Float>](repeating: .zero, count: w * h)
        var direction = [SIMD3<Float>](repeating: .zero, count: w * h)
        var residual = [SIMD3<Float>](repeating: .zero, count: holes.count)
        var product = [SIMD3<Float>](repeating: .zero, count: holes.count)
        // A·v = L(L v) on the hole, for v supported on the hole.
        func apply(_ v: [SIMD3<Float>], into out: inout [SIMD3<Float>]) {
            v.withUnsafeBufferPointer { vp in
                lap.withUnsafeMutableBufferPointer { lp in
                    for i in band { lp[i] = laplacian(vp.baseAddress!, at: i) }
                }
            }
            lap.withUnsafeBufferPointer { lp in
                for (j, i) in holes.enumerated() { out[j] = laplacian(lp.baseAddress!, at: i) }
            }
        }
        // r = −A u on the hole (the gradient of the energy at the current colours).
        apply(u, into: &residual)
        for j in residual.indices { residual[j] = -residual[j] }
        for (j, i) in holes.enumerated() { direction[i] = residual[j] }
        func dot(_ a: [SIMD3<Float>], _ b: [SIMD3<Float>]) -> SIMD3<Float> {
            var s = SIMD3<Float>(repeating: 0)
            for j in a.indices { s += a[j] * b[j] }
            return s
        }
        var rr = dot(residual, residual)
        let start = rr
        for _ in 0..<iterations {
            if (rr / pointwiseMax(start, SIMD3(repeating: 1e-12))).max() < tolerance * tolerance { break }
            apply(direction, into: &product)
            var pAp = SIMD3<Float>(repeating: 0)
            for (j, i) in holes.enumerated() { pAp += direction[i] * product[j] }
            let alpha = rr / pointwiseMax(pAp, SIMD3(repeating: 1e-20))
            for (j, i) in holes.enumerated() {
                u[i] += alpha * direction[i]
                residual[j] -= alpha * product[j]
            }
            let next = dot(residual, residual)
            let beta = next / pointwiseMax(rr, SIMD3(repeating: 1e-20))
            rr = next
            for (j, i) in holes.enumerated() { direction[i] = residual[j] + beta * direction[i] }
        }
        for i in holes {
            image.colour[3 * i] = u[i].x; image.colour[3 * i + 1] = u[i].y; image.colour[3 * i + 2] = u[i].z
        }
    }
}
