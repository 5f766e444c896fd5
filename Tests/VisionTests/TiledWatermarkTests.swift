import Foundation
import Imaging
import Testing
import TestSupport
@testable import Vision

@Suite struct TiledWatermarkTests {
    @Test func autocorrelationByTransformEqualsTheDirectSumAtEveryShift() {
        let width = 13, height = 9
        var random = SplitMix(seed: 5)
        let values = (0..<(width * height)).map { _ in Float(random.next() % 1000) / 100 - 5 }
        let transformed = Autocorrelation(values, width: width, height: height)
        for dy in -(height - 1)...(height - 1) {
            for dx in -(width - 1)...(width - 1) {
                var direct: Float = 0
                for y in 0..<height where (0..<height).contains(y + dy) {
                    for x in 0..<width where (0..<width).contains(x + dx) { direct += values[y * width + x] * values[(y + dy) * width + x + dx] }
                }
                #expect(abs(transformed.sum(dx: dx, dy: dy) - direct) < 0.01 * max(1, abs(direct)), "shift \(dx),\(dy)")
            }
        }
    }

    @Test func foldingOntoTheTrueLatticeAgreesAcrossHalvesAndAShiftedLatticeDoesNot() throws {
        let sample = try Self.tiledSample()
        let luminance = RepeatSearch.Luminance(pixels: try sample.overlaid.pixels(), width: sample.overlaid.width,
                                               height: sample.overlaid.height)
        let values = zip(luminance.values, TiledWatermarkSearch.gaussianBlurred(luminance.values, width: luminance.width,
                                                                               height: luminance.height, sigma: 2)).map { $0 - $1 }
        let truth = TileLattice(first: Self.spacing(sample).0, second: Self.spacing(sample).1)
        let off = TileLattice(first: truth.first + SIMD2(3, 0), second: truth.second + SIMD2(0, 3))
        let agreeing = truth.consistency(of: values, width: luminance.width, height: luminance.height)
        let shifted = off.consistency(of: values, width: luminance.width, height: luminance.height)
        #expect(agreeing > 0.2 && shifted < agreeing / 2, "true \(agreeing), off by 3 px \(shifted)")
    }

    @Test func findsAThirtyFivePercentWhiteTilingOverARealPhotoWithItsSpacingAndStrokes() throws {
        let sample = try Self.tiledSample()
        let width = sample.overlaid.width, height = sample.overlaid.height
        let luminance = RepeatSearch.Luminance(pixels: try sample.overlaid.pixels(), width: width, height: height)
        let found = try #require(TiledWatermarkSearch().find(in: luminance))
        // The lattice, up to the order and sign of its vectors.
        let (u, v) = Self.spacing(sample)
        func matches(_ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Bool { max(abs(a.x - b.x), abs(a.y - b.y)) < 2 || max(abs(a.x + b.x), abs(a.y + b.y)) < 2 }
        #expect((matches(found.spacing.0, u) && matches(found.spacing.1, v)) || (matches(found.spacing.0, v) && matches(found.spacing.1, u)),
                "found \(found.spacing), painted \(u), \(v)")
        #expect(found.tiles.count >= 6, "\(found.tiles.count) tiles of 9")
        let near = MaskMorphology.dilated(sample.mask, width: width, height: height, radius: 2)
        let masked = found.mask.indices.filter { found.mask[$0] }
        let precise = masked.filter { near[$0] }.count
        let painted = sample.mask.indices.filter { sample.mask[$0] }
        let covered = painted.filter { found.mask[$0] }.count
        #expect(Double(precise) >= 0.8 * Double(masked.count), "\(precise) of \(masked.count) masked pixels near the text")
        #expect(Double(covered) >= 0.7 * Double(painted.count), "\(covered) of \(painted.count) text pixels masked")
    }

    /// Watermarked photos travel as JPEG: the tiling survives quality 75.
    @Test func findsTheTilingAfterJPEGCompressionAtQuality75() throws {
        let sample = try Self.tiledSample()
        let compressed = try Image.decode(try sample.overlaid.encoded(as: .jpeg(quality: 75))).removingAlpha()
        let luminance = RepeatSearch.Luminance(pixels: try compressed.pixels(), width: compressed.width, height: compressed.height)
        let found = try #require(TiledWatermarkSearch().find(in: luminance))
        let painted = sample.mask.indices.filter { sample.mask[$0] }
        let covered = painted.filter { found.mask[$0] }.count
        #expect(found.tiles.count >= 6 && Double(covered) >= 0.6 * Double(painted.count),
                "\(found.tiles.count) tiles, \(covered) of \(painted.count) text pixels masked")
    }

    /// Every text found on a confirmed tiling is a tile of it, so `ai.natural` leaves the watermark alone and
    /// `ai.artificial` removes it.
    @Test func textsOnATiledWatermarkAreArtificialSoNaturalModeLeavesThemAndArtificialModeRemovesThem() throws {
        let sample = try Self.tiledSample()
        let remover = TextRemover(detector: try TextDetectionTests.detector())
        let natural = try remover.remove(from: sample.overlaid, kinds: [.natural])
        #expect(natural.regions.contains { $0.tiled }, "the tiling was not confirmed; nothing here is tested")
        let painted = sample.mask.indices.filter { sample.mask[$0] }
        #expect(painted.filter { natural.mask[$0] }.isEmpty)
        let artificial = try remover.remove(from: sample.overlaid, kinds: [.artificial])
        let covered = painted.filter { artificial.mask[$0] }.count
        #expect(Double(covered) >= 0.8 * Double(painted.count), "\(covered) of \(painted.count) painted pixels masked")
    }

    @Test func findsNoTilingOnAnUntouchedPhoto() throws {
        let photo = try Self.photo("rembg_car-1.jpg")
        let luminance = RepeatSearch.Luminance(pixels: try photo.pixels(), width: photo.width, height: photo.height)
        #expect(TiledWatermarkSearch().find(in: luminance)?.tiles.count == nil)
    }

    @Test func aRepeatedPatternIsTakenOnlyWhereAQuarterOfATileIsInDetectedOverlaidText() {
        let width = 100, height = 40
        var mask = [Bool](repeating: false, count: width * height)
        let tiles = [PixelRect(x: 0, y: 0, width: 40, height: 40), PixelRect(x: 50, y: 0, width: 40, height: 40)]
        for tile in tiles { for y in 10..<30 { for x in (tile.x + 10)..<(tile.x + 30) { mask[y * width + x] = true } } }
        let found = TiledWatermarkSearch.Found(mask: mask, tiles: tiles.map { .init(bounds: $0, pixels: 400) },
                                               spacing: (SIMD2(50, 0), SIMD2(0, 50)), consistency: 0.5)
        func artificial(rows: Int) -> [Bool] {
            var strokes = [Bool](repeating: false, count: width * height)
            for y in 10..<(10 + rows) { for x in 60..<80 { strokes[y * width + x] = true } }
            return strokes
        }
        #expect(!TextRemover.confirms(found, artificial: artificial(rows: 0), width: width))
        #expect(!TextRemover.confirms(found, artificial: artificial(rows: 4), width: width))   // 80 of 400
        #expect(TextRemover.confirms(found, artificial: artificial(rows: 5), width: width))    // 100 of 400
    }

    static func photo(_ name: String) throws -> Image {
        try Image.decode(try Fixtures.bytes(Fixtures.samples.appendingPathComponent(name))).removingAlpha()
            .fitted(maxWidth: 512, maxHeight: 512)
    }

    /// Nine "PROOF" tiles, 35 % white, turned 30°, as stock sites stamp them, over a real photo.
    static func tiledSample() throws -> TextOverlaySample {
        let photo = try photo("rembg_animal-2.jpg")
        let size = Int(Double(min(photo.width, photo.height)) * 0.06)
        var styles: [TextOverlayStyle] = []
        for row in 0..<3 {
            for column in 0..<3 {
                styles.append(TextOverlayStyle(text: "PROOF", font: "DejaVu Sans Bold \(size)", colour: .white, opacity: 0.35, angle: 30,
                                               outline: nil, shadow: nil,
                                               centre: Point(x: (0.2 + 0.3 * Double(column)) * Double(photo.width),
                                                             y: (0.17 + 0.33 * Double(row)) * Double(photo.height))))
            }
        }
        return try TextOverlaySet.paint(styles, on: photo, name: "tiled")
    }

    static func spacing(_ sample: TextOverlaySample) -> (SIMD2<Double>, SIMD2<Double>) {
        (SIMD2(0.3 * Double(sample.overlaid.width), 0), SIMD2(0, 0.33 * Double(sample.overlaid.height)))
    }
}
