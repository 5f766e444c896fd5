import Imaging
import Testing
@testable import Vision

/// A tiled watermark drawn by hand: a blocky glyph shape stamped four times, 40 % white, over grey noise.
@Suite struct RepeatSearchTests {
    static let width = 400, height = 300
    static let stamps = [(x: 30, y: 40), (x: 250, y: 40), (x: 30, y: 200), (x: 250, y: 200)]

    /// Pixels of a 48 × 24 glyph block: two letters' worth of bars.
    static func glyph(_ x: Int, _ y: Int) -> Bool {
        let bar = (0..<24).contains(y) && ((2..<6).contains(x) || (14..<18).contains(x) || (30..<34).contains(x))
        let cross = (10..<14).contains(y) && (2..<18).contains(x) || (0..<4).contains(y) && (26..<46).contains(x)
        return bar || cross || ((40..<44).contains(x) && (0..<24).contains(y))
    }

    static func photo(stampedAt stamps: [(x: Int, y: Int)]) -> [UInt8] {
        var random = SplitMix(seed: 11)
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            let grey = 60 + Int(random.next() % 100) + (i % width) / 8
            for k in 0..<3 { pixels[3 * i + k] = UInt8(min(grey, 255)) }
        }
        for stamp in stamps {
            for y in 0..<24 { for x in 0..<48 where glyph(x, y) {
                let p = 3 * ((stamp.y + y) * width + stamp.x + x)
                for k in 0..<3 { pixels[p + k] = UInt8(0.6 * Double(pixels[p + k]) + 0.4 * 255) }
            } }
        }
        return pixels
    }

    /// The first stamp as the stroke mask would describe it: its bounds with a ring of 6 pixels.
    static func firstStampStrokes() -> RegionStrokes {
        let bounds = PixelRect(x: stamps[0].x - 6, y: stamps[0].y - 6, width: 60, height: 36)
        var core = [Bool](repeating: false, count: bounds.width * bounds.height)
        for y in 0..<24 { for x in 0..<48 where glyph(x, y) { core[(y + 6) * bounds.width + x + 6] = true } }
        let mask = MaskMorphology.dilated(core, width: bounds.width, height: bounds.height, radius: 1)
        return RegionStrokes(bounds: bounds, mask: mask, core: core, textColour: [190, 190, 190],
                             backgroundColour: [120, 120, 120], textHeight: 24)
    }

    static func taken(by strokes: RegionStrokes) -> [Bool] {
        var taken = [Bool](repeating: false, count: width * height)
        let b = strokes.bounds
        for y in 0..<b.height { for x in 0..<b.width where strokes.mask[y * b.width + x] { taken[(b.y + y) * width + b.x + x] = true } }
        return taken
    }

    @Test func findsEveryOtherStampOfATiledWatermarkAtItsExactOffset() {
        let strokes = Self.firstStampStrokes()
        let luminance = RepeatSearch.Luminance(pixels: Self.photo(stampedAt: Self.stamps), width: Self.width, height: Self.height)
        var taken = Self.taken(by: strokes)
        let copies = RepeatSearch().copies(of: strokes, in: luminance, taken: &taken)
        let offsets = Set(copies.map { "\($0.dx),\($0.dy)" })
        #expect(offsets == ["220,0", "0,160", "220,160"], "\(copies)")
        #expect(copies.allSatisfy { $0.correlation >= 0.6 })
    }

    /// A budget a hundred times smaller (as for a small text on a large photo) makes the shrunk search coarser;
    /// the full-size placement still puts every copy on the exact pixel.
    @Test func aCoarserSearchWithinASmallBudgetStillPlacesEveryStampExactly() {
        let strokes = Self.firstStampStrokes()
        let luminance = RepeatSearch.Luminance(pixels: Self.photo(stampedAt: Self.stamps), width: Self.width, height: Self.height)
        var search = RepeatSearch()
        search.searchBudget = 2e6
        var taken = Self.taken(by: strokes)
        let copies = search.copies(of: strokes, in: luminance, taken: &taken)
        #expect(Set(copies.map { "\($0.dx),\($0.dy)" }) == ["220,0", "0,160", "220,160"], "\(copies)")
    }

    @Test func findsNoCopiesWhereTheTextIsNotRepeated() {
        let strokes = Self.firstStampStrokes()
        let luminance = RepeatSearch.Luminance(pixels: Self.photo(stampedAt: [Self.stamps[0]]), width: Self.width, height: Self.height)
        var taken = Self.taken(by: strokes)
        #expect(RepeatSearch().copies(of: strokes, in: luminance, taken: &taken).isEmpty)
    }

    /// Dark text correlates negatively with its stroke shape: light copies of a dark text's shape are not copies.
    @Test func copiesMustStandOutTheSameWayAsTheOriginal() {
        var strokes = Self.firstStampStrokes()
        strokes.textColour = [40, 40, 40]
        let luminance = RepeatSearch.Luminance(pixels: Self.photo(stampedAt: Self.stamps), width: Self.width, height: Self.height)
        var taken = Self.taken(by: strokes)
        #expect(RepeatSearch().copies(of: strokes, in: luminance, taken: &taken).isEmpty)
    }
}
