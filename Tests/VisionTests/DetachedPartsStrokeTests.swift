import Imaging
import Testing
@testable import Vision

/// White letters beside white trousers (`rembg_cloth-1`'s "sample"): the white is common on the ring, so only the
/// letters' light-blue rims were kept as text. The rule under test takes the white parts that stay inside the box
/// near the rims, and leaves the trousers, a white block bigger than a glyph, and a dark colour between letters.
/// Labels stand for the k-means clusters: 0 blue-grey background, 1 the rims (the kept text colour), 2 white,
/// 3 a dark colour.
@Suite struct DetachedPartsStrokeTests {
    static let width = 120, height = 30, textHeight = 20.0
    static let colours: [SIMD3<Float>] = [SIMD3(70, 110, 170), SIMD3(150, 175, 215), SIMD3(230, 232, 245), SIMD3(30, 40, 60)]

    enum Place { case background, rim, enclosedLetter, bareLetter, bigBlock, dark, trousers }

    static func place(_ x: Int, _ y: Int) -> Place {
        if x >= 105 { return .trousers }                                   // runs out through the ring
        if (9...14).contains(x), (7...22).contains(y) {                    // a letter with its rim
            return (10...13).contains(x) && (8...21).contains(y) ? .enclosedLetter : .rim
        }
        if (20...23).contains(x), (8...21).contains(y) { return .bareLetter }   // no rim: over a busy patch
        if (30...33).contains(x), (8...21).contains(y) { return .dark }
        if (50...79).contains(x), (6...23).contains(y) { return .bigBlock }    // 30 × 18 > 20², as big as a window
        return .background
    }

    static func label(_ p: Place) -> Int {
        switch p {
        case .background: 0
        case .rim: 1
        case .enclosedLetter, .bareLetter, .bigBlock, .trousers: 2
        case .dark: 3
        }
    }

    static let inside = (0..<(width * height)).map { i in (5..<(width - 5)).contains(i % width) && (5..<(height - 5)).contains(i / width) }
    static func isPlace(_ p: Place) -> (Int) -> Bool { { place($0 % width, $0 / width) == p } }

    /// The rims as the kept strokes, then the rule; the core and groups it leaves. White is common on the ring (the
    /// trousers): not text as a whole, yet rarer there than inside.
    static func strokesAfterRule(textColour: SIMD3<Double>) -> (core: [Bool], groups: [UInt8]) {
        let count = width * height
        var core = (0..<count).map(isPlace(.rim))
        var groups = [UInt8](repeating: 0, count: count)
        let labels = (0..<count).map { label(place($0 % width, $0 / width)) }
        StrokeMask.addDetachedParts(&core, groups: &groups, bounds: PixelRect(x: 0, y: 0, width: width, height: height),
                                    inside: inside, ring: inside.map { !$0 }, positions: Array(0..<count), labels: labels,
                                    colours: labels.map { colours[$0] }, textClusters: [1],
                                    ratios: [1.3, 0.0, 0.6, 0.5, .infinity, .infinity],
                                    textColour: textColour, backgroundColour: SIMD3(70, 110, 170), textHeight: textHeight)
        return (core, groups)
    }

    @Test func whiteLettersInsideTheBoxJoinTheStrokesAndTheTrousersABiggerBlockAndADarkGapDoNot() {
        let (core, groups) = Self.strokesAfterRule(textColour: SIMD3(150, 175, 215))
        func share(_ p: Place) -> Double {
            let pixels = core.indices.filter { Self.isPlace(p)($0) && Self.inside[$0] }
            return Double(pixels.filter { core[$0] }.count) / Double(pixels.count)
        }
        #expect(share(.enclosedLetter) == 1, "the white inside the rim")
        #expect(share(.bareLetter) == 1, "a white letter without a rim, beside the first")
        #expect(share(.trousers) == 0, "the trousers run into the ring")
        #expect(share(.bigBlock) == 0, "a white block bigger than a glyph")
        #expect(share(.dark) == 0, "a dark colour is not beyond the rims from the background")
        #expect(groups[15 * Self.width + 11] == 3, "the white's group is its cluster, plus one")
    }

    @Test func aLowContrastTextTakesNoDetachedParts() {
        // 30 levels between text and background: under `detachedContrast`.
        let (core, _) = Self.strokesAfterRule(textColour: SIMD3(90, 125, 185))
        #expect(core == (0..<(Self.width * Self.height)).map(Self.isPlace(.rim)))
    }
}
