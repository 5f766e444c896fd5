import Testing
@testable import Vision

@Suite struct MaskMorphologyTests {
    /// The definition: every pixel within `radius` (Euclidean) of a set pixel is set.
    static func discDilation(_ mask: [Bool], width: Int, height: Int, radius: Int) -> [Bool] {
        var out = mask
        for y in 0..<height {
            for x in 0..<width where mask[y * width + x] {
                for dy in -radius...radius {
                    for dx in -radius...radius where dx * dx + dy * dy <= radius * radius {
                        let nx = x + dx, ny = y + dy
                        if nx >= 0, ny >= 0, nx < width, ny < height { out[ny * width + nx] = true }
                    }
                }
            }
        }
        return out
    }

    @Test func dilationEqualsTheDiscDefinitionOnRandomMasksUpToRadius20() {
        var random = SplitMix(seed: 7)
        for (width, height) in [(1, 1), (1, 9), (13, 1), (37, 23), (64, 48)] {
            for density in [2, 20, 200] {
                let mask = (0..<(width * height)).map { _ in random.next() % 1000 < UInt64(density) }
                for radius in [0, 1, 2, 3, 5, 8, 20] {
                    #expect(MaskMorphology.dilated(mask, width: width, height: height, radius: radius)
                            == Self.discDilation(mask, width: width, height: height, radius: radius),
                            "\(width)x\(height), \(density)‰ set, radius \(radius)")
                }
            }
        }
    }

    @Test func dilationOfOnePixelByRadius2IsTheThirteenPixelDisc() {
        var mask = [Bool](repeating: false, count: 7 * 7)
        mask[3 * 7 + 3] = true
        let out = MaskMorphology.dilated(mask, width: 7, height: 7, radius: 2)
        #expect(out.filter { $0 }.count == 13)
        #expect(out[1 * 7 + 3] && out[3 * 7 + 1] && out[2 * 7 + 2] && !out[1 * 7 + 2])
    }
}
