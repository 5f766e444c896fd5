import Imaging
import Testing
@testable import Vision

/// A detected rectangle that ends inside a glyph (DB's map fades over the first letter of a heavy word): the
/// strokes run into the rectangle's end, so it is lengthened and the whole glyph is taken.
@Suite struct CutLineEndsTests {
    static let width = 220, height = 44

    /// Dark glyphs on a light ground: a ring ("O", x 14–35) and then bars every 12 pixels up to x 171, all between
    /// rows 10 and 33.
    static func isGlyph(_ x: Int, _ y: Int) -> Bool {
        guard (10...33).contains(y) else { return false }
        if (14...35).contains(x) {
            let dx = Double(x) - 24.5, dy = Double(y) - 21.5
            let r = (dx * dx / (11 * 11) + dy * dy / (12 * 12)).squareRoot()
            return r <= 1 && r >= 0.55
        }
        return x >= 44 && x <= 171 && (x - 44) % 12 < 5
    }

    static let pixels: [UInt8] = (0..<(width * height)).flatMap { i -> [UInt8] in
        let x = i % width, y = i / width
        if isGlyph(x, y) { return [30, 30, 34] }
        let grain = UInt8((x * 7 + y * 13) % 9)
        return [214 + grain, 210 + grain, 200 + grain]
    }

    static func box(from x0: Double, to x1: Double) -> TextRegion {
        TextRegion(corners: [Point(x: x0, y: 9), Point(x: x1, y: 9), Point(x: x1, y: 34), Point(x: x0, y: 34)], score: 0.9)
    }

    static func coreShare(of strokes: RegionStrokes, where test: (Int, Int) -> Bool) -> Double {
        let b = strokes.bounds
        var inside = 0, total = 0
        for y in 0..<height { for x in 0..<width where test(x, y) {
            total += 1
            let lx = x - b.x, ly = y - b.y
            if lx >= 0, ly >= 0, lx < b.width, ly < b.height, strokes.core[ly * b.width + lx] { inside += 1 }
        } }
        return Double(inside) / Double(total)
    }

    @Test func aRectangleEndingInsideTheFirstGlyphIsLengthenedUntilTheGlyphIsWhole() throws {
        let cut = Self.box(from: 25, to: 176)
        let strokes = try #require(StrokeMask.strokes(of: cut, pixels: Self.pixels, width: Self.width, height: Self.height))
        let leftHalf = { (x: Int, y: Int) in x < 24 && Self.isGlyph(x, y) }
        #expect(Self.coreShare(of: strokes, where: leftHalf) < 0.2, "cut: the ring's left half is not in the strokes")
        #expect(TextRemover.cutEnds(strokes, region: cut) == (start: true, end: false))
        let (region, longer) = TextRemover.extendingCutEnds(cut, strokes: strokes, pixels: Self.pixels, width: Self.width,
                                                            height: Self.height, neighbours: [], outlineBand: true)
        #expect(region.corners.map(\.x).min()! < 14, "lengthened past the ring's left edge")
        #expect(region.corners.map(\.x).max()! == 176, "the other end stays")
        #expect(Self.coreShare(of: longer, where: leftHalf) > 0.9)
        #expect(Self.coreShare(of: longer, where: { x, y in !Self.isGlyph(x, y) }) < 0.02, "and the ground is not taken")
    }

    @Test func aRectangleWithAMarginAroundItsGlyphsStaysAsItIs() throws {
        let whole = Self.box(from: 10, to: 176)
        let strokes = try #require(StrokeMask.strokes(of: whole, pixels: Self.pixels, width: Self.width, height: Self.height))
        #expect(TextRemover.cutEnds(strokes, region: whole) == (start: false, end: false))
        let (region, _) = TextRemover.extendingCutEnds(whole, strokes: strokes, pixels: Self.pixels, width: Self.width,
                                                       height: Self.height, neighbours: [], outlineBand: true)
        #expect(region.corners == whole.corners)
    }

    /// The same glyphs with a block of their colour beyond the ring, apart from it (x 5–9): photo of the text's
    /// colour, as the white cup beside white letters.
    static let pixelsWithABlockBeyond: [UInt8] = (0..<(width * height)).flatMap { i -> [UInt8] in
        let x = i % width, y = i / width
        if (5...9).contains(x) && (14...28).contains(y) { return [30, 30, 34] }
        return Array(pixels[(3 * i)..<(3 * i + 3)])
    }

    @Test func aRectangleIsNotLengthenedWhenStrokesBeyondItsEndDoNotReachInside() throws {
        let cut = Self.box(from: 25, to: 176)
        let pixels = Self.pixelsWithABlockBeyond
        let strokes = try #require(StrokeMask.strokes(of: cut, pixels: pixels, width: Self.width, height: Self.height))
        #expect(TextRemover.cutEnds(strokes, region: cut) == (start: true, end: false))
        let longer = try #require(StrokeMask.strokes(of: cut.lengthened(start: 25, end: 0), pixels: pixels,
                                                     width: Self.width, height: Self.height))
        let beyond = TextRemover.corePixels(of: longer, beyond: cut)
        #expect(beyond.count > 0 && !beyond.connected, "the block is taken as strokes but is apart from the line")
        let (region, _) = TextRemover.extendingCutEnds(cut, strokes: strokes, pixels: pixels, width: Self.width,
                                                       height: Self.height, neighbours: [], outlineBand: true)
        #expect(region.corners == cut.corners)
    }
}
