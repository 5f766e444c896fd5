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
        while !front.isEmpty {
            var filled: [(Int, SIMD3<Float>)] = [], rest: [Int] = []
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
                if count > 0 { filled.append((i, sum / count)) } else { rest.append(i) }
            }
            if filled.isEmpty { break }
            for (i, c) in filled { image.colour[3 * i] = c.x; image.colour[3 * i + 1] = c.y; image.colour[3 * i + 2] = c.z; known[i] = true }
            front = rest
        }
        let holes = (0..<(w * h)).filter { image.hole[$0] }
        image.colour.withUnsafeMutableBufferPointer { colour in
            // In place and in order (Gauss–Seidel): each pixel sees its neighbours' values of this sweep.
            func add(_ n: Int, to sum: inout SIMD3<Float>, _ count: inout Float) {
                sum += SIMD3(colour[3 * n], colour[3 * n + 1], colour[3 * n + 2]); count += 1
            }
            for _ in 0..<relaxations {
                for i in holes {
                    let x = i % w, y = i / w
                    var sum = SIMD3<Float>(repeating: 0), count: Float = 0
                    if x > 0 { add(i - 1, to: &sum, &count) }
                    if x < w - 1 { add(i + 1, to: &sum, &count) }
                    if y > 0 { add(i - w, to: &sum, &count) }
                    if y < h - 1 { add(i + w, to: &sum, &count) }
                    colour[3 * i] = sum.x / count; colour[3 * i + 1] = sum.y / count; colour[3 * i + 2] = sum.z / count
                }
            }
        }
    }
}
