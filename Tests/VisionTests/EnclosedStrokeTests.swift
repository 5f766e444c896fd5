import Testing
@testable import Vision

/// Outlined bold letters whose fill colour also lies around them: the clustered strokes are the outline only,
/// and what the outline encloses must be masked too, unless it shows the background (a letter's counter).
@Suite struct EnclosedStrokeTests {
    static let width = 60, height = 30

    /// Grey background; three 12 × 12 blue outlines (2 px): the first filled black, the second showing the grey
    /// background, the third filled black but cut open by the rectangle's right edge.
    static func scene() -> (crop: [UInt8], core: [Bool], inside: [Bool]) {
        var crop = [UInt8](repeating: 128, count: width * height * 3)
        var core = [Bool](repeating: false, count: width * height)
        var inside = [Bool](repeating: false, count: width * height)
        for y in 3..<27 { for x in 3..<55 { inside[y * width + x] = true } }
        func paint(_ x: Int, _ y: Int, _ rgb: [UInt8]) { for k in 0..<3 { crop[3 * (y * width + x) + k] = rgb[k] } }
        for (left, filled) in [(6, true), (24, false), (46, true)] {
            for y in 9..<21 {
                for x in left..<(left + 12) {
                    let rim = y < 11 || y >= 19 || x < left + 2 || x >= left + 10
                    if rim { paint(x, y, [30, 80, 230]); core[y * width + x] = true } else if filled { paint(x, y, [5, 5, 5]) }
                }
            }
        }
        return (crop, core, inside)
    }

    @Test func photoThatVariesInsideAnOutlineIsNotTakenForItsFill() {
        // The first outline encloses 2-pixel stripes of near black and dark grey (5 and 75: 35 levels RMS from
        // their mean, where a glyph's flat fill has none), all of them far from the grey around.
        var (crop, core, inside) = Self.scene()
        let w = Self.width
        for y in 11..<19 { for x in 8..<16 where (x / 2) % 2 == 1 { for k in 0..<3 { crop[3 * (y * w + x) + k] = 75 } } }
        let mask = StrokeMask.enclosed(by: core, inside: inside, crop: crop, width: w, height: Self.height)
        #expect((11..<19).allSatisfy { y in (8..<16).allSatisfy { x in !mask[y * w + x] } })
        #expect(mask == core)
    }

    @Test func theFillAnOutlineEnclosesIsMaskedButNotACounterOrAnOpenShape() {
        let (crop, core, inside) = Self.scene()
        let mask = StrokeMask.enclosed(by: core, inside: inside, crop: crop, width: Self.width, height: Self.height)
        let w = Self.width
        // The black fill inside the first outline is added.
        #expect((11..<19).allSatisfy { y in (8..<16).allSatisfy { x in mask[y * w + x] } })
        // The grey counter of the second is not.
        #expect((11..<19).allSatisfy { y in (26..<32).allSatisfy { x in !mask[y * w + x] } })
        // The third runs past the rectangle (x ≥ 55), so its black is not enclosed and stays unmasked.
        #expect((11..<19).allSatisfy { y in (48..<55).allSatisfy { x in !mask[y * w + x] } })
        // The outlines themselves stay, and nothing outside them is added.
        #expect(core.indices.allSatisfy { !core[$0] || mask[$0] })
        #expect(mask.filter { $0 }.count == core.filter { $0 }.count + 8 * 8)
    }
}
