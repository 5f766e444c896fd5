import Foundation
import Imaging

/// Passes that find what the level pass on the photo as it is misses. Each adds only lines that overlap none
/// already found (under 30 % of a 7×7 grid of their points) and are long and thin, so a pass never replaces a
/// line of the level pass with a cruder one, and textures that score on a stretched or turned photo mostly do
/// not qualify.
extension TextDetector {
    /// Colour pass. The detector responds mostly to lightness contrast; semi-transparent coloured text over a
    /// background of about its own lightness (30 % orange over a pale floor, red over brown wood) barely shows
    /// to it. The photo's colours are stretched away from grey by `stretch` with the luma kept
    /// (Y + k·(C − Y) per channel), which leaves grey-on-grey alone and makes such text stand out.
    func extraColourLines(_ photo: Image, stretch: Float, besides found: [TextRegion]) throws -> [TextRegion] {
        let small = try atMostInputSize(photo)
        let stretched = try Image(pixels: Self.coloursStretched(try small.pixels(), by: stretch), width: small.width,
                                  height: small.height, bands: 3)
        let scaleX = Double(photo.width) / Double(small.width), scaleY = Double(photo.height) / Double(small.height)
        var added: [TextRegion] = []
        let (map, mapWidth, mapHeight) = try probabilities(stretched, scale: Self.colourScale)
        let lines = postProcessing.regions(probabilities: map, width: mapWidth, height: mapHeight,
                                           scaleX: Double(stretched.width) / Double(mapWidth),
                                           scaleY: Double(stretched.height) / Double(mapHeight))
        for region in lines {
            let back = TextRegion(corners: region.corners.map { Point(x: $0.x * scaleX, y: $0.y * scaleY) }, score: region.score)
            if back.sides.along >= 2 * back.sides.across, Self.overlap(of: back, with: found + added) < 0.3 { added.append(back) }
        }
        return added
    }

    /// The colour pass runs at this share of the level pass's scale. At 0.75 it costs about half as much (the two
    /// passes at full scale were nearly 60 % of text removal's time) and scored 21.80 / 20.33 dB on the text
    /// benchmark's nine held-out and six fresh seed sets, against 21.86 / 20.30 at full scale (0.85: 21.82, 0.6:
    /// 21.72 on the nine): the texts only it finds are seldom small.
    static let colourScale = 0.75

    /// The photo without alpha, brought down to the level pass's input size when it is larger: the detector
    /// works at that size anyway, and stretching or turning a 36 MP photo would cost more than the inference.
    func atMostInputSize(_ photo: Image) throws -> Image {
        let colour = try photo.removingAlpha()
        let size = inputSize(width: colour.width, height: colour.height)
        return size.width < colour.width ? try colour.resized(width: size.width, height: size.height, kernel: .linear) : colour
    }

    /// RGB pixels with every channel moved `stretch` times as far from the pixel's luma (clamped to 0…255).
    static func coloursStretched(_ rgb: [UInt8], by stretch: Float) -> [UInt8] {
        var out = rgb
        for i in 0..<(rgb.count / 3) {
            let colour = SIMD3<Float>(Float(rgb[3 * i]), Float(rgb[3 * i + 1]), Float(rgb[3 * i + 2]))
            let stretched = ChromaStretch.stretched(colour, by: stretch)
                .clamped(lowerBound: .zero, upperBound: SIMD3(repeating: 255)).rounded(.toNearestOrAwayFromZero)
            out[3 * i] = UInt8(stretched.x); out[3 * i + 1] = UInt8(stretched.y); out[3 * i + 2] = UInt8(stretched.z)
        }
        return out
    }

    /// Turned pass. PP-OCR's detector was trained on mostly level lines and misses much of a line turned by
    /// 20–35° (a diagonal watermark); on the photo turned by `degrees` it sees such a line level. A line found
    /// there lies at about −`degrees` in the photo; it is added when it does (within `turnedAngleTolerance`, and
    /// at least `turnedMinimumAngle` from level) and is at least 2.5 times as long as it is high.
    func extraTurnedLines(_ photo: Image, degrees: Double, besides found: [TextRegion]) throws -> [TextRegion] {
        var added: [TextRegion] = []
        for region in try detectTurned(photo, degrees: degrees)
        where abs(region.angle) >= Self.turnedMinimumAngle && abs(region.angle + degrees) <= Self.turnedAngleTolerance
            && region.sides.along >= 2.5 * region.sides.across && Self.overlap(of: region, with: found + added) < 0.3 {
            added.append(region)
        }
        return added
    }

    static let turnedMinimumAngle = 12.0
    static let turnedAngleTolerance = 15.0
    /// The turned canvas is about twice the photo's area (its corners are grey), and is run at this share of the
    /// level pass's scale: on the text benchmark 1 / 0.85 / 0.75 cost 0.53 / 0.40 / 0.22 s/MP and kept all /
    /// about 60 % / none of the passes' gain on the outside check.
    static let turnedScale = 0.85

    /// Lines found on the photo turned by `degrees` about its centre (on a grey canvas that holds all of it),
    /// turned back into photo coordinates.
    func detectTurned(_ photo: Image, degrees: Double) throws -> [TextRegion] {
        let colour = try atMostInputSize(photo)
        let toPhotoX = Double(photo.width) / Double(colour.width), toPhotoY = Double(photo.height) / Double(colour.height)
        let W = Double(colour.width), H = Double(colour.height)
        let radians = degrees * .pi / 180, c = cos(radians), s = sin(radians)
        let turnedWidth = Int((abs(W * c) + abs(H * s)).rounded(.up)), turnedHeight = Int((abs(W * s) + abs(H * c)).rounded(.up))
        // (X', Y') = [c −s; s c] (X, Y) + (dx, dy): the photo's centre lands on the canvas's centre.
        let dx = Double(turnedWidth) / 2 - (c * W / 2 - s * H / 2), dy = Double(turnedHeight) / 2 - (s * W / 2 + c * H / 2)
        let turned = try colour.affine(a: c, b: -s, c: s, d: c, dx: dx, dy: dy,
                                       output: PixelRect(x: 0, y: 0, width: turnedWidth, height: turnedHeight),
                                       background: RGBA(128, 128, 128))
        let (map, mw, mh) = try probabilities(turned, scale: Self.turnedScale)
        let found = postProcessing.regions(probabilities: map, width: mw, height: mh,
                                           scaleX: Double(turned.width) / Double(mw), scaleY: Double(turned.height) / Double(mh))
        return found.map { region in
            let back = region.corners.map { p in
                Point(x: (c * (p.x - dx) + s * (p.y - dy)) * toPhotoX, y: (-s * (p.x - dx) + c * (p.y - dy)) * toPhotoY)
            }
            return TextRegion(corners: RotatedRectangle.ordered(back), score: region.score)
        }
    }

    /// Angles from a setting: comma-separated degrees, or `none` (or nothing) for no turned pass; nil when a part
    /// is not an angle strictly between −90 and 90.
    public static func turnedPasses(parsing text: String) -> [Double]? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed.lowercased() == "none" { return [] }
        var angles: [Double] = []
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            guard let degrees = Double(part.trimmingCharacters(in: .whitespaces)), degrees.isFinite, abs(degrees) < 90 else { return nil }
            angles.append(degrees)
        }
        return angles
    }

    /// Share of a 7×7 grid of points spread over `region` that lie in any of `others`.
    static func overlap(of region: TextRegion, with others: [TextRegion]) -> Double {
        let a = region.corners[0], b = region.corners[1], d = region.corners[3]
        var inside = 0
        for i in 0..<7 {
            for j in 0..<7 {
                let u = (Double(i) + 0.5) / 7, v = (Double(j) + 0.5) / 7
                let x = a.x + u * (b.x - a.x) + v * (d.x - a.x), y = a.y + u * (b.y - a.y) + v * (d.y - a.y)
                if others.contains(where: { $0.contains(x: x, y: y) }) { inside += 1 }
            }
        }
        return Double(inside) / 49
    }
}
