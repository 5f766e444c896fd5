import Testing
@testable import Vision

/// Heavy outlined letters cover most of their box, past the share at which the stroke mask suspects that one of
/// the text colours is the photo's. The letters here are bars drawn pixel by pixel: a 6-pixel fill between two
/// 3-pixel outlines, open at the top and bottom so the fill is not enclosed by the outline (the enclosed-fill rule
/// would otherwise mask it on its own), over flat green.
@Suite struct OutlinedLettersStrokeTests {
    static let width = 240, height = 80
    static let green: [UInt8] = [70, 150, 70], dark: [UInt8] = [30, 30, 25], blue: [UInt8] = [40, 90, 190]
    static let box = TextRegion(corners: [Point(x: 20, y: 20), Point(x: 220, y: 20), Point(x: 220, y: 60), Point(x: 20, y: 60)],
                                score: 0.9)

    enum Part { case background, outline, fill, window }

    /// Bars from `left` to `right`, every 14 pixels, rows 22–57.
    static func letterPart(x: Int, y: Int, left: Int, right: Int) -> Part {
        guard (22..<58).contains(y), (left..<right).contains(x) else { return .background }
        let offset = (x - left) % 14
        return offset < 3 || (9..<12).contains(offset) ? .outline : offset < 9 ? .fill : .background
    }

    static func draw(_ part: (Int, Int) -> Part, colours: [Part: [UInt8]]) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let colour = colours[part(x, y)] ?? green
                for k in 0..<3 { pixels[3 * (y * width + x) + k] = colour[k] }
            }
        }
        return pixels
    }

    @Test func blueLettersWithADarkOutlineAreMaskedWholeThoughTheyCoverMostOfTheirBox() throws {
        let part = { (x: Int, y: Int) in Self.letterPart(x: x, y: y, left: 20, right: 216) }
        let pixels = Self.draw(part, colours: [.outline: Self.dark, .fill: Self.blue])
        let strokes = try #require(StrokeMask.strokes(of: Self.box, pixels: pixels, width: Self.width, height: Self.height))
        let fill = strokes.maskedShare { part($0, $1) == .fill }
        let outline = strokes.maskedShare { part($0, $1) == .outline }
        #expect(fill >= 0.95, "\(fill) of the blue fill masked")
        #expect(outline >= 0.95, "\(outline) of the dark outline masked")
    }

    /// Black letters with a blue outline beside a dark window that reaches out of the box (as on `sam_truck`):
    /// the black is common enough around the box to be the less text-like colour, and it is dropped. The
    /// letters' black fill lies next to the outline and comes back; the window lies away from it and stays.
    @Test func aDarkWindowBesideDarkLettersIsNotMaskedWhileTheLettersFillIs() throws {
        let black: [UInt8] = [15, 15, 20], outlineBlue: [UInt8] = [30, 80, 200]
        func part(_ x: Int, _ y: Int) -> Part {
            if (150..<215).contains(x), (30..<75).contains(y) { return .window }
            return Self.letterPart(x: x, y: y, left: 20, right: 146)
        }
        let pixels = Self.draw(part, colours: [.outline: outlineBlue, .fill: black, .window: black])
        let strokes = try #require(StrokeMask.strokes(of: Self.box, pixels: pixels, width: Self.width, height: Self.height))
        let fill = strokes.maskedShare { part($0, $1) == .fill }
        // Window pixels more than 6 pixels from its edge: the dilation and blended-edge growth may take a rim.
        let windowInside = strokes.maskedShare { x, y in (156..<209).contains(x) && (36..<60).contains(y) }
        #expect(fill >= 0.95, "\(fill) of the letters' black fill masked")
        #expect(windowInside <= 0.05, "\(windowInside) of the window's inside masked")
    }
}
