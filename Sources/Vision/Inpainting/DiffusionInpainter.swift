/// Smooth fill: the hole is filled from its rim inwards (each ring takes the mean of its known 8-neighbours),
/// then relaxed towards the harmonic solution (each hole pixel the mean of its 4 neighbours). Good for
/// hair-thin strokes, where there is no texture to copy, and as the start of PatchMatch's coarsest level.
public struct DiffusionInpainter: Sendable {
    public var relaxations = 30

    public init() {}

    public func inpaint(_ image: inout InpaintingImage) {
        let w = image.width, h = image.height
        var known = image.hole.map { !$0 }
        var front = (0..<(w * h)).filter { image.hole[$0] }
        if front.count == w * h { return }  // nothing to diffuse from
        // Ring by ring. After the first ring only a neighbour of the last ring's pixels can have gained a known
        // neighbour, so a ring looks at those rather than at every pixel still unknown (which made a tall hole
        // cost its area times its height).
        var queued = [Bool](repeating: false, count: w * h)
        while !front.isEmpty {
            var filled: [(Int, SIMD3<Float>)] = []
            for i in front {
                let x = i % w, y = i / w
                var sum = SIMD3<Float>(repeating: 0), count: Float = 0
                for dy in -1...1 {
                    for dx in -1...1 where dx != 0 || dy != 0 {
                        let nx = x + dx, ny = y + dy
                        guard nx >= 0, ny >= 0, nx < w, ny < h, known[ny * w + nx] else { continue }
                        let n = ny * w + nx
                        sum += SIMD3(image.colour[3 * n], image.colour[3 * n + 1], image.colour[3 * n + 2]); count += 1
                    }
                }
                if count > 0 { filled.append((i, sum / count)) }
            }
            if filled.isEmpty { break }
            for (i, c) in filled { image.colour[3 * i] = c.x; image.colour[3 * i + 1] = c.y; image.colour[3 * i + 2] = c.z; known[i] = true }
            front = []
            for (i, _) in filled {
                let x = i % w, y = i / w
                for ny in max(0, y - 1)...min(h - 1, y + 1) {
                    for nx in max(0, x - 1)...min(w - 1, x + 1) where !known[ny * w + nx] && !queued[ny * w + nx] {
                        queued[ny * w + nx] = true
                        front.append(ny * w + nx)
                    }
                }
            }
            for i in front { queued[i] = false }
        }
        // Each hole pixel with its neighbours' presence (left, right, up, down) worked out once, not per sweep.
        var holes: [(index: Int, neighbours: UInt8)] = []
        for i in 0..<(w * h) where image.hole[i] {
            let x = i % w, y = i / w
            holes.append((i, (x > 0 ? 1 : 0) | (x < w - 1 ? 2 : 0) | (y > 0 ? 4 : 0) | (y < h - 1 ? 8 : 0)))
        }
        image.colour.withUnsafeMutableBufferPointer { colour in
            // In place and in order (Gauss–Seidel): each pixel sees its neighbours' values of this sweep.
            func add(_ n: Int, to sum: inout SIMD3<Float>, _ count: inout Float) {
                sum += SIMD3(colour[3 * n], colour[3 * n + 1], colour[3 * n + 2]); count += 1
            }
            for _ in 0..<relaxations {
                for (i, neighbours) in holes {
                    var sum = SIMD3<Float>(repeating: 0), count: Float = 0
                    if neighbours & 1 != 0 { add(i - 1, to: &sum, &count) }
                    if neighbours & 2 != 0 { add(i + 1, to: &sum, &count) }
                    if neighbours & 4 != 0 { add(i - w, to: &sum, &count) }
                    if neighbours & 8 != 0 { add(i + w, to: &sum, &count) }
                    colour[3 * i] = sum.x / count; colour[3 * i + 1] = sum.y / count; colour[3 * i + 2] = sum.z / count
                }
            }
        }
    }
}
