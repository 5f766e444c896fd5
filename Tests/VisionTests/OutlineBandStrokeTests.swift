import Testing
@testable import Vision

/// Black letters with a white outline, where the photo around part of the line is white too (as `rembg_animal-1`'s
/// "Summer vibes" beside a tiger's white fur): white is then common on the ring around the box and is not a text
/// colour, so only the black fill is clustered as text. The letters are bars drawn pixel by pixel, a 6-pixel black
/// fill between two 5-pixel white outlines, every 32 pixels, over dark green, with white blocks above and below
/// the right part of the line.
@Suite struct OutlineBandStrokeTests {
    static let width = 460, height = 100
    static let box = TextRegion(corners: [Point(x: 20, y: 30), Point(x: 420, y: 30), Point(x: 420, y: 70), Point(x: 20, y: 70)],
                                score: 0.9)

    enum Part { case background, fur, outline, fill }

    static func part(_ x: Int, _ y: Int) -> Part {
        if (32..<68).contains(y), (20..<404).contains(x) {
            let offset = (x - 20) % 32
            if offset < 5 || (11..<16).contains(offset) { return .outline }
            if offset < 11 { return .fill }
        }
        if (300..<440).contains(x), y < 28 || y >= 72 { return .fur }
        return .background
    }

    static let pixels: [UInt8] = {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let colour: [UInt8]
                switch part(x, y) {
                case .background: colour = [30, 70, 35]
                case .fur, .outline: colour = [245, 245, 240]
                case .fill: colour = [10, 10, 12]
                }
                for k in 0..<3 { pixels[3 * (y * width + x) + k] = colour[k] }
            }
        }
        return pixels
    }()

    /// Background more than 8 pixels from any letter (the mask's margin may take a rim next to them).
    static func farBackground(_ x: Int, _ y: Int) -> Bool {
        guard part(x, y) == .background else { return false }
        for dy in stride(from: -8, through: 8, by: 2) { for dx in stride(from: -8, through: 8, by: 2) {
            let p = part(x + dx, y + dy)
            if p == .outline || p == .fill { return false }
        } }
        return true
    }

    @Test func aWhiteOutlineBesideWhitePhotoIsMaskedByItsBandAndOnlyPartlyWithout() throws {
        let without = try #require(StrokeMask.strokes(of: Self.box, pixels: Self.pixels, width: Self.width, height: Self.height,
                                                      outlineBand: false))
        let with = try #require(StrokeMask.strokes(of: Self.box, pixels: Self.pixels, width: Self.width, height: Self.height))
        let isOutline = { (x: Int, y: Int) in Self.part(x, y) == .outline }
        #expect(without.maskedShare { Self.part($0, $1) == .fill } >= 0.95, "the black fill is the text colour either way")
        let before = without.maskedShare(where: isOutline), after = with.maskedShare(where: isOutline)
        #expect(before < 0.8, "without the band the white outline is masked only by the strokes' margin: \(before)")
        #expect(after >= 0.95, "\(after) of the white outline masked with the band")
        let background = with.maskedShare(where: Self.farBackground), fur = with.maskedShare { Self.part($0, $1) == .fur }
        #expect(background <= 0.02, "\(background) of the far background masked")
        #expect(fur <= 0.05, "\(fur) of the white fur masked")
    }
}
