import Foundation
import Testing
@testable import Vision

/// The faster forms of the diffusion fill's rings and of the tile lattice's split-half consistency, checked
/// against their definitions (the forms they replaced) on random inputs: the speed-ups must change no output.
@Suite struct ExactSpeedupTests {
    /// The onion-peel rings by definition: every ring looks at every pixel still unknown and fills those with a
    /// known 8-neighbour by the mean of those neighbours; then `relaxations` Gauss–Seidel sweeps in pixel order.
    static func diffusionByDefinition(_ image: inout InpaintingImage, relaxations: Int) {
        let w = image.width, h = image.height
        var known = image.hole.map { !$0 }
        var front = (0..<(w * h)).filter { image.hole[$0] }
        if front.count == w * h { return }
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
        for _ in 0..<relaxations {
            for i in 0..<(w * h) where image.hole[i] {
                let x = i % w, y = i / w
                var sum = SIMD3<Float>(repeating: 0), count: Float = 0
                for n in [x > 0 ? i - 1 : nil, x < w - 1 ? i + 1 : nil, y > 0 ? i - w : nil, y < h - 1 ? i + w : nil].compactMap({ $0 }) {
                    sum += SIMD3(image.colour[3 * n], image.colour[3 * n + 1], image.colour[3 * n + 2]); count += 1
                }
                image.colour[3 * i] = sum.x / count; image.colour[3 * i + 1] = sum.y / count; image.colour[3 * i + 2] = sum.z / count
            }
        }
    }

    @Test func diffusionFillEqualsItsRingByRingDefinitionOnRandomHoles() {
        var random = SplitMix(seed: 11)
        for (width, height) in [(1, 1), (1, 12), (17, 1), (31, 19), (48, 40)] {
            for density in [100, 600, 950, 1000] {
                let pixels = (0..<(3 * width * height)).map { _ in UInt8(random.next() % 256) }
                // Random pixels, and one solid block, so that some rings run deep.
                var hole = (0..<(width * height)).map { _ in random.next() % 1000 < UInt64(density) }
                for y in (height / 4)..<(3 * height / 4) { for x in (width / 4)..<(3 * width / 4) { hole[y * width + x] = true } }
                var fast = InpaintingImage(pixels: pixels, width: width, height: height, hole: hole)
                var reference = fast
                DiffusionInpainter().inpaint(&fast)
                Self.diffusionByDefinition(&reference, relaxations: DiffusionInpainter().relaxations)
                #expect(fast.colour == reference.colour, "\(width)x\(height), \(density)‰ hole")
            }
        }
    }

    /// The split-half consistency by definition: every pixel's lattice coordinates (u, v), its cell (where in
    /// the tile it lies, n1 × n2 cells for spacings n1 and n2 pixels long) and its tile's checkerboard parity;
    /// each half's per-cell medians; their correlation over the cells both halves have.
    static func consistencyByDefinition(_ lattice: TileLattice, _ values: [Float], width: Int, height: Int) -> Double {
        let f = lattice.first, s = lattice.second, determinant = f.x * s.y - s.x * f.y
        let n1 = max(1, Int((f * f).sum().squareRoot())), n2 = max(1, Int((s * s).sum().squareRoot()))
        var even = [[Float]](repeating: [], count: n1 * n2), odd = even
        for p in values.indices {
            let x = Double(p % width), y = Double(p / width)
            let u = (x * s.y - y * s.x) / determinant, v = (y * f.x - x * f.y) / determinant
            let fu = u.rounded(.down), fv = v.rounded(.down)
            let cell = min(n1 - 1, Int((u - fu) * Double(n1))) * n2 + min(n2 - 1, Int((v - fv) * Double(n2)))
            if (Int(fu) + Int(fv)) & 1 == 0 { even[cell].append(values[p]) } else { odd[cell].append(values[p]) }
        }
        func medians(_ groups: [[Float]]) -> [Float] {
            groups.map { group in
                guard !group.isEmpty else { return .nan }
                let sorted = group.sorted(), mid = sorted.count / 2
                return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
            }
        }
        let a = medians(even), b = medians(odd)
        let shared = a.indices.filter { !a[$0].isNaN && !b[$0].isNaN }
        return shared.count > 10 ? TileLattice.correlation(shared.map { a[$0] }, shared.map { b[$0] }) : 0
    }

    @Test func latticeConsistencyEqualsItsSplitHalfDefinitionOnRandomLattices() {
        var random = SplitMix(seed: 5)
        let width = 120, height = 90
        // A pattern repeated every (23, 4) and (−3, 19) plus noise, so that some lattices score high.
        let values = (0..<(width * height)).map { p -> Float in
            let x = Double(p % width), y = Double(p / width)
            let wave: Double = sin(2 * .pi * (x * 19 + y * 3) / 449) * cos(2 * .pi * (y * 23 - x * 4) / 449)
            return Float(wave) + Float(random.next() % 100) / 400
        }
        var lattices = [TileLattice(first: SIMD2(23, 4), second: SIMD2(-3, 19))]
        // Random ones of the kind the search scores: spacings of 6 pixels or more, tiles of 40 pixels or more.
        while lattices.count < 13 {
            func coordinate() -> Double { Double(Int(random.next() % 600) - 300) / 10 }
            let lattice = TileLattice(first: SIMD2(coordinate(), coordinate()), second: SIMD2(coordinate(), coordinate()))
            if lattice.shortestSpacing >= 6, lattice.area >= 40 { lattices.append(lattice) }
        }
        var scored = 0
        for lattice in lattices {
            let fast = lattice.consistency(of: values, width: width, height: height)
            let reference = Self.consistencyByDefinition(lattice, values, width: width, height: height)
            #expect(fast == reference, "lattice \(lattice.first), \(lattice.second)")
            if reference != 0 { scored += 1 }
        }
        #expect(scored >= 6, "only \(scored) of the lattices had cells enough to be scored")
        #expect(lattices[0].consistency(of: values, width: width, height: height) > 0.5)
    }
}
