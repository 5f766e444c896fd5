import Testing
@testable import Vision

/// Light text over light sky, with dark photo just below it in the same box (as white letters over sky beside an
/// elephant's back): the region's text/background contrast is set by the dark part, and the letters' hard but
/// low-contrast edges over the sky look soft against it. Against the contrast right beside each edge they are
/// as sharp as edges get. Drawn pixel by pixel, with hard edges.
@Suite struct LocalSharpnessTests {
    static let width = 200, height = 60
    static let sky: [UInt8] = [190, 222, 240], dark: [UInt8] = [70, 65, 60], white: [UInt8] = [245, 248, 250]

    @Test func hardEdgedTextOverSkyBesideDarkPhotoIsSharpAgainstItsLocalContrast() throws {
        var pixels = [UInt8](repeating: 0, count: Self.width * Self.height * 3)
        for y in 0..<Self.height {
            for x in 0..<Self.width {
                var colour = y < 40 ? Self.sky : Self.dark
                if (18..<32).contains(y), (20..<180).contains(x), (x / 5) % 2 == 0 { colour = Self.white }
                for k in 0..<3 { pixels[3 * (y * Self.width + x) + k] = colour[k] }
            }
        }
        let box = TextRegion(corners: [Point(x: 18, y: 16), Point(x: 182, y: 16), Point(x: 182, y: 50), Point(x: 18, y: 50)], score: 0.9)
        let strokes = try #require(StrokeMask.strokes(of: box, pixels: pixels, width: Self.width, height: Self.height))
        let features = TextClassifier.features(of: strokes, pixels: pixels, width: Self.width)
        let regionContrastOnly = TextClassifier.features(of: strokes, pixels: pixels, width: Self.width, measuringLocally: false)
        // One-pixel steps over the sky are under 30 levels of luminance against a region contrast of over 80.
        #expect(regionContrastOnly.edgeSharpness < 0.5, "\(regionContrastOnly)")
        #expect(TextClassifier().classify(regionContrastOnly) == .natural, "\(regionContrastOnly)")
        #expect(features.edgeSharpness >= 1, "\(features)")
        #expect(TextClassifier().classify(features) == .artificial, "\(features)")
    }
}
