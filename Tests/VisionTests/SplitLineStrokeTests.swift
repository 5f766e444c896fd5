import Testing
@testable import Vision

/// One line found as two boxes: grey text on the left ("Limited"), then grey and yellow text in the second box
/// ("edition Free shipping"). The second box's ring holds the grey of the first; counted as background, it
/// makes grey look common around the box, and only the yellow would be that box's text. The neighbouring box is
/// left out of the ring instead. Drawn pixel by pixel: flat blue, grey and yellow bars.
@Suite struct SplitLineStrokeTests {
    static let width = 200, height = 60
    static let blue: [UInt8] = [40, 60, 160], grey: [UInt8] = [128, 128, 128], yellow: [UInt8] = [250, 210, 0]

    static func box(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> TextRegion {
        TextRegion(corners: [Point(x: x0, y: y0), Point(x: x1, y: y0), Point(x: x1, y: y1), Point(x: x0, y: y1)], score: 0.9)
    }

    static func scene() -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                var colour = blue
                let bar = (x / 4) % 2 == 0
                if (12..<48).contains(y), (60..<98).contains(x) { colour = grey }              // the first box, solid
                if (20..<40).contains(y), (100..<140).contains(x), bar { colour = grey }       // grey in the second
                if (20..<40).contains(y), (140..<180).contains(x), bar { colour = yellow }     // yellow in the second
                for k in 0..<3 { pixels[3 * (y * width + x) + k] = colour[k] }
            }
        }
        return pixels
    }

    @Test func aNeighbouringBoxInTheRingIsNotTakenForBackground() throws {
        let pixels = Self.scene()
        let first = Self.box(60, 12, 98, 48), second = Self.box(100, 20, 180, 40)
        func greyMasked(_ strokes: RegionStrokes?) -> Double {
            guard let strokes else { return 0 }
            var grey = 0, masked = 0
            for y in 20..<40 {
                for x in 100..<136 where (x / 4) % 2 == 0 {
                    grey += 1
                    let b = strokes.bounds
                    if strokes.mask[(y - b.y) * b.width + x - b.x] { masked += 1 }
                }
            }
            return Double(masked) / Double(grey)
        }
        let alone = greyMasked(StrokeMask.strokes(of: second, pixels: pixels, width: Self.width, height: Self.height))
        let beside = greyMasked(StrokeMask.strokes(of: second, pixels: pixels, width: Self.width, height: Self.height,
                                                   neighbours: [first]))
        #expect(beside == 1, "\(beside) of the second box's grey bars masked with the first box known")
        #expect(alone < 0.5, "\(alone) without it: the first box's grey in the ring counted as background")
    }
}
