import Testing
@testable import Vision

/// A long caption runs over light sky, then dark rock. Over the sky its strokes (semi-transparent dark) come out
/// the rock's grey, so on the ring around the whole line that colour is common, and only the strokes over the rock
/// would count as text. Judged piece by piece along the line, against the stretch of ring beside each piece, the
/// strokes over the sky are text too. Drawn pixel by pixel: 4-pixel bars every 8 pixels, the rock with a texture
/// of ±12 levels (a flat rock and flat strokes 9 levels apart would be told apart by the clustering alone).
@Suite struct LongLineStrokeTests {
    static let width = 400, height = 80
    static let sky: [UInt8] = [230, 235, 240], rock: [UInt8] = [90, 90, 85]
    static let overSky: [UInt8] = [95, 95, 90], overRock: [UInt8] = [20, 20, 18]

    static func isBar(_ x: Int, _ y: Int) -> Bool { (28..<52).contains(y) && (24..<376).contains(x) && (x / 4) % 2 == 0 }

    @Test func strokesOverTheSkyPartOfALongLineAreMaskedThoughTheirColourIsTheRocks() throws {
        var pixels = [UInt8](repeating: 0, count: Self.width * Self.height * 3)
        for y in 0..<Self.height {
            for x in 0..<Self.width {
                let overTheSky = x < 200
                let colour = Self.isBar(x, y) ? (overTheSky ? Self.overSky : Self.overRock) : (overTheSky ? Self.sky : Self.rock)
                let texture = !Self.isBar(x, y) && !overTheSky ? (x * 7 + y * 13) % 25 - 12 : 0
                for k in 0..<3 { pixels[3 * (y * Self.width + x) + k] = UInt8(Int(colour[k]) + texture) }
            }
        }
        let box = TextRegion(corners: [Point(x: 20, y: 25), Point(x: 380, y: 25), Point(x: 380, y: 55), Point(x: 20, y: 55)], score: 0.9)
        let strokes = try #require(StrokeMask.strokes(of: box, pixels: pixels, width: Self.width, height: Self.height))
        let barsOverSky = strokes.maskedShare { x, y in x < 200 && Self.isBar(x, y) }
        let barsOverRock = strokes.maskedShare { x, y in x >= 200 && Self.isBar(x, y) }
        // Rock between the bars, away from their dilated edges.
        let rockBetween = strokes.maskedShare { x, y in x >= 210 && (30..<50).contains(y) && (x % 8) == 6 }
        #expect(barsOverSky >= 0.9, "\(barsOverSky) of the bars over the sky masked")
        #expect(barsOverRock >= 0.9, "\(barsOverRock) of the bars over the rock masked")
        #expect(rockBetween <= 0.1, "\(rockBetween) of the rock between the bars masked")
    }
}
