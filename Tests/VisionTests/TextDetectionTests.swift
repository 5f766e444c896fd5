import Foundation
import Imaging
import Testing
import TestSupport
@testable import Vision

@Suite struct TextDetectionTests {
    static func detector() throws -> TextDetector {
        try TextDetector(modelPath: Fixtures.model("ch_PP-OCRv4_det_infer.onnx"), runtime: VisionFixtures.runtime())
    }

    /// A 400×260 piece of a real photo with one line of opaque white text painted across its middle.
    static func paintedSample(text: String = "SALE -50%", colour: RGBA = .white, angle: Double = 0) throws -> TextOverlaySample {
        let photo = try Image.decode(try Fixtures.bytes(Fixtures.samples.appendingPathComponent("skimage_coffee.png")))
            .removingAlpha().fitted(maxWidth: 400, maxHeight: 400).cropped(left: 0, top: 0, width: 400, height: 260)
        let style = TextOverlayStyle(text: text, font: "DejaVu Sans Bold 40", colour: colour, opacity: 1, angle: angle,
                                     outline: nil, shadow: nil, centre: Point(x: 200, y: 130))
        return try TextOverlaySet.paint([style], on: photo, name: "painted")
    }

    static func bounds(of mask: [Bool], width: Int) -> PixelRect {
        let indices = mask.indices.filter { mask[$0] }
        let xs = indices.map { $0 % width }, ys = indices.map { $0 / width }
        return PixelRect(x: xs.min()!, y: ys.min()!, width: xs.max()! - xs.min()! + 1, height: ys.max()! - ys.min()! + 1)
    }

    @Test func minimumAreaRectangleOfATiltedBarHasItsSidesAndAngle() {
        let angle = 30.0 * .pi / 180
        var points: [Point] = []
        for u in stride(from: -20.0, through: 20, by: 1) {
            for v in stride(from: -5.0, through: 5, by: 1) {
                points.append(Point(x: 50 + u * cos(angle) - v * sin(angle), y: 50 + u * sin(angle) + v * cos(angle)))
            }
        }
        let box = try! #require(RotatedRectangle.enclosing(points))
        let region = TextRegion(corners: box.corners, score: 1)
        #expect(abs(region.sides.along - 40) < 0.5 && abs(region.sides.across - 10) < 0.5)
        #expect(abs(region.angle - 30) < 1)
        #expect(region.contains(x: 50, y: 50) && !region.contains(x: 50, y: 65))
    }

    @Test func dbPostProcessingKeepsConfidentBlobsAndUnclipsThem() {
        let width = 120, height = 60
        var map = [Float](repeating: 0.05, count: width * height)
        for y in 10..<20 { for x in 10..<70 { map[y * width + x] = 0.9 } }   // a confident line, 60×10
        for y in 40..<50 { for x in 20..<60 { map[y * width + x] = 0.4 } }   // above 0.3, but its mean is below 0.5
        let regions = DBPostProcessing().regions(probabilities: map, width: width, height: height, scaleX: 2, scaleY: 2)
        #expect(regions.count == 1)
        let region = try! #require(regions.first)
        // Pixel centres 10…69 × 10…19 span 59 × 9 (+1 by the 2×2 dilation); unclip adds area × 1.6 / perimeter.
        let grow = 60.0 * 10 * 1.6 / (2 * 70)
        #expect(abs(region.sides.along - 2 * (60 + 2 * grow)) < 6, "\(region.sides)")
        #expect(abs(region.sides.across - 2 * (10 + 2 * grow)) < 6, "\(region.sides)")
        #expect(region.score > 0.75)  // the dilated rim of the blob counts at the background's 0.05
    }

    @Test func detectorFindsTextPaintedOnARealPhoto() async throws { try await onOwnThread {
        let sample = try Self.paintedSample()
        let regions = try Self.detector().detect(sample.overlaid)
        let truth = Self.bounds(of: sample.mask, width: 400)
        let hit = regions.first { $0.contains(x: Double(truth.x + truth.width / 2), y: Double(truth.y + truth.height / 2)) }
        let region = try #require(hit, "no region over the text among \(regions.count)")
        let box = region.pixelBounds(width: 400, height: 260)
        #expect(abs(box.width - truth.width) < truth.width / 5 && abs(box.height - truth.height) < truth.height, "\(box) vs \(truth)")
        // The untouched photo has no text where the painted line is.
        let before = try Self.detector().detect(sample.original)
        #expect(!before.contains { $0.contains(x: Double(truth.x + truth.width / 2), y: Double(truth.y + truth.height / 2)) })
    }}

    @Test func fusingASecondScaleKeepsTheLineAndItsSize() async throws { try await onOwnThread {
        let sample = try Self.paintedSample(text: "Free shipping")
        let truth = Self.bounds(of: sample.mask, width: 400)
        let fused = try TextDetector(modelPath: Fixtures.model("ch_PP-OCRv4_det_infer.onnx"), runtime: VisionFixtures.runtime(),
                                     scales: [1, 1.5])
        let (map, width, height) = try fused.fusedProbabilities(sample.overlaid)
        let single = try Self.detector().probabilities(sample.overlaid)
        // The fused map is at the larger scale's size.
        #expect(width > single.width && height > single.height && map.count == width * height)
        let region = try #require(try fused.detect(sample.overlaid).first {
            $0.contains(x: Double(truth.x + truth.width / 2), y: Double(truth.y + truth.height / 2))
        })
        let box = region.pixelBounds(width: 400, height: 260)
        #expect(abs(box.width - truth.width) < truth.width / 5, "\(box) vs \(truth)")
    }}

    @Test func turnedPassSettingTakesAnglesOrNoneAndRefusesTheRest() {
        #expect(TextDetector.turnedPasses(parsing: "30,-30") == [30, -30])
        #expect(TextDetector.turnedPasses(parsing: " 25 , -20 ") == [25, -20])
        #expect(TextDetector.turnedPasses(parsing: "none") == [])
        #expect(TextDetector.turnedPasses(parsing: "") == [])
        #expect(TextDetector.turnedPasses(parsing: "abc") == nil)
        #expect(TextDetector.turnedPasses(parsing: "30,") == nil)
        #expect(TextDetector.turnedPasses(parsing: "90") == nil)
        #expect(TextDetector.turnedPasses(parsing: "nan") == nil)
    }

    @Test func colourStretchKeepsGreyAndLumaAndPushesColourAway() {
        let stretched = TextDetector.coloursStretched([128, 128, 128, 200, 150, 100, 140, 128, 120], by: 3)
        #expect(Array(stretched[0..<3]) == [128, 128, 128])
        // (200, 150, 100): luma 159.25, so 159.25 + 3 × (40.75, −9.25, −59.25) = (281.5 → 255, 131.5 → 132, −18.5 → 0).
        #expect(Array(stretched[3..<6]) == [255, 132, 0])
        // (140, 128, 120), luma 130.68: (158.6, 122.6, 98.6) rounded, and the luma is kept where nothing clamps.
        #expect(Array(stretched[6..<9]) == [159, 123, 99])
        let r = Float(stretched[6]), g = Float(stretched[7]), b = Float(stretched[8])
        #expect(abs(0.299 * r + 0.587 * g + 0.114 * b - (0.299 * 140 + 0.587 * 128 + 0.114 * 120)) < 1)
    }

    /// Orange text over a grey of the same luma: no lightness contrast at all, only colour.
    @Test func colourPassFindsTextThatDiffersFromItsBackgroundOnlyInColour() async throws { try await onOwnThread {
        let grey = UInt8(0.299 * 250 + 0.587 * 150 + 0.114 * 30)
        let photo = try Image(pixels: [UInt8](repeating: grey, count: 400 * 260 * 3), width: 400, height: 260, bands: 3)
        let model = Fixtures.model("ch_PP-OCRv4_det_infer.onnx")
        let plain = try TextDetector(modelPath: model, runtime: VisionFixtures.runtime(), colourStretch: nil)
        let coloured = try TextDetector(modelPath: model, runtime: VisionFixtures.runtime(), colourStretch: 3)
        // At 15 % opacity (the level pass alone finds it from about 25 %).
        let style = TextOverlayStyle(text: "SALE -50%", font: "DejaVu Sans Bold 40", colour: RGBA(250, 150, 30), opacity: 0.15,
                                     angle: 0, outline: nil, shadow: nil, centre: Point(x: 200, y: 130))
        let sample = try TextOverlaySet.paint([style], on: photo, name: "orange")
        let truth = Self.bounds(of: sample.mask, width: 400)
        let centre = (x: Double(truth.x + truth.width / 2), y: Double(truth.y + truth.height / 2))
        #expect(!(try plain.detect(sample.overlaid).contains { $0.contains(x: centre.x, y: centre.y) }))
        let found = try coloured.detect(sample.overlaid)
        let region = try #require(found.first { $0.contains(x: centre.x, y: centre.y) }, "no line over the text among \(found.count)")
        let box = region.pixelBounds(width: 400, height: 260)
        #expect(abs(box.width - truth.width) < truth.width / 4, "\(box) vs \(truth)")
    }}

    /// A line painted turned by 30° (counter-clockwise on screen, so −30° in image coordinates) is found by the
    /// pass on the photo turned by +30°, and comes back into photo coordinates over the text, along its slope.
    @Test func turnedPassFindsATurnedLineWhereItLiesAlongItsSlope() async throws { try await onOwnThread {
        let sample = try Self.paintedSample(text: "Free shipping", angle: 30)
        let truth = Self.bounds(of: sample.mask, width: 400)
        let centre = (x: Double(truth.x + truth.width / 2), y: Double(truth.y + truth.height / 2))
        let turned = try Self.detector().detectTurned(sample.overlaid, degrees: 30)
        let region = try #require(turned.first { $0.contains(x: centre.x, y: centre.y) }, "no turned region over the text among \(turned.count)")
        #expect(abs(region.angle + 30) < 6, "angle \(region.angle)")
        // The painted line's length along its slope: the diagonal extent of its mask, about its width / cos 30°.
        let length = Double(truth.width) / cos(30 * Double.pi / 180)
        #expect(abs(region.sides.along - length) < length / 4, "along \(region.sides.along) vs \(length)")
        let detector = try TextDetector(modelPath: Fixtures.model("ch_PP-OCRv4_det_infer.onnx"), runtime: VisionFixtures.runtime(),
                                        turnedPasses: [30, -30])
        let all = try detector.detect(sample.overlaid)
        #expect(all.contains { $0.contains(x: centre.x, y: centre.y) && abs($0.angle + 30) < 6 })
        // Nothing is added on the untouched photo.
        let level = try TextDetector(modelPath: Fixtures.model("ch_PP-OCRv4_det_infer.onnx"), runtime: VisionFixtures.runtime(),
                                     turnedPasses: [])
        #expect(try detector.detect(sample.original).count == (try level.detect(sample.original)).count)
    }}

    @Test func strokeMaskCoversTheGlyphsNotTheBox() async throws { try await onOwnThread {
        let sample = try Self.paintedSample()
        let pixels = try sample.overlaid.pixels()
        let regions = try Self.detector().detect(sample.overlaid)
        var found = [Bool](repeating: false, count: 400 * 260)
        for region in regions {
            guard let strokes = StrokeMask.strokes(of: region, pixels: pixels, width: 400, height: 260) else { continue }
            let b = strokes.bounds
            for y in 0..<b.height { for x in 0..<b.width where strokes.mask[y * b.width + x] { found[(b.y + y) * 400 + b.x + x] = true } }
        }
        // Nearly every pixel the text visibly changed (by more than 24 levels) is masked; of the faintest anti-aliased rim
        // (the rest of the pixels it touched at all), most. The dilation is kept tight on purpose: a pixel masked
        // without need is filled with a guess where it would have stayed exact.
        let original = try sample.original.pixels()
        var visible: [Int] = []
        for i in sample.mask.indices where sample.mask[i] {
            var change = 0
            for k in 0..<3 { change = max(change, abs(Int(pixels[3 * i + k]) - Int(original[3 * i + k]))) }
            if change > 24 { visible.append(i) }
        }
        let truth = sample.mask.indices.filter { sample.mask[$0] }
        let unmasked = visible.filter { !found[$0] }.count
        #expect(Double(unmasked) < 0.01 * Double(visible.count), "\(unmasked) of \(visible.count) visible text pixels unmasked")
        let covered = truth.filter { found[$0] }.count
        #expect(Double(covered) / Double(truth.count) > 0.9, "covered \(covered) of \(truth.count)")
        // Far less than the text's bounding box: the letters' holes and gaps are left alone.
        let box = Self.bounds(of: sample.mask, width: 400)
        let masked = found.filter { $0 }.count
        #expect(Double(masked) < 0.8 * Double(box.width * box.height), "\(masked) masked, box \(box.width * box.height)")
    }}

    @Test func paintedTextIsArtificialAndShadedBlurredTextIsNaturalJudgedOnUnsplitClusters() async throws { try await onOwnThread {
        let sample = try Self.paintedSample(colour: RGBA(250, 250, 250))
        let pixels = try sample.overlaid.pixels()
        let region = try #require(try Self.detector().detect(sample.overlaid).max { $0.sides.along < $1.sides.along })
        let strokes = try #require(StrokeMask.strokes(of: region, pixels: pixels, width: 400, height: 260))
        let judged = StrokeMask.strokesToJudge(strokes, of: region, pixels: pixels, width: 400, height: 260)
        let painted = TextClassifier.features(of: judged, pixels: pixels, width: 400)
        #expect(TextClassifier().classify(painted) == .artificial, "\(painted)")

        // The same text as a camera would see a lit sign: shaded left to right and softened by the lens.
        var shaded = pixels
        for y in 0..<260 {
            for x in 0..<400 where sample.mask[y * 400 + x] {
                let light = 0.45 + 0.55 * Double(x) / 400
                for k in 0..<3 { shaded[3 * (y * 400 + x) + k] = UInt8(Double(pixels[3 * (y * 400 + x) + k]) * light) }
            }
        }
        let scene = try Image(pixels: shaded, width: 400, height: 260, bands: 3).blurred(sigma: 1.6)
        let scenePixels = try scene.pixels()
        let sceneStrokes = try #require(StrokeMask.strokes(of: region, pixels: scenePixels, width: 400, height: 260))
        #expect(sceneStrokes.splitsACluster, "the shaded sign is a case of the split, so the strokes judged are not the mask's")
        let sceneJudged = StrokeMask.strokesToJudge(sceneStrokes, of: region, pixels: scenePixels, width: 400, height: 260)
        let natural = TextClassifier.features(of: sceneJudged, pixels: scenePixels, width: 400)
        #expect(natural.colourSpread > painted.colourSpread && natural.edgeSharpness < painted.edgeSharpness)
        #expect(TextClassifier().classify(natural) == .natural, "\(natural)")
    }}
}

extension TextDetectionTests {
    /// A dark bar on grey, drawn with exact area coverage (16 samples a pixel) at `degrees`, and its strokes as
    /// clustering would give them: the pixels at least half covered.
    static func renderedBar(degrees: Double) -> (strokes: RegionStrokes, pixels: [UInt8]) {
        let width = 200, height = 100, angle = degrees * .pi / 180
        var pixels = [UInt8](repeating: 0, count: width * height * 3), core = [Bool](repeating: false, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                var covered = 0
                for sy in 0..<4 {
                    for sx in 0..<4 {
                        let dx = Double(x) + (Double(sx) + 0.5) / 4 - 100, dy = Double(y) + (Double(sy) + 0.5) / 4 - 50
                        let along = dx * cos(angle) + dy * sin(angle), across = -dx * sin(angle) + dy * cos(angle)
                        if abs(along) <= 70, abs(across) <= 7 { covered += 1 }
                    }
                }
                let coverage = Double(covered) / 16
                for k in 0..<3 { pixels[3 * (y * width + x) + k] = UInt8((200 - 170 * coverage).rounded()) }
                core[y * width + x] = coverage >= 0.5
            }
        }
        let strokes = RegionStrokes(bounds: PixelRect(x: 0, y: 0, width: width, height: height), mask: core, core: core,
                                    textColour: [30, 30, 30], backgroundColour: [200, 200, 200], textHeight: 14,
                                    colourGroups: core.map { $0 ? 1 : 0 })
        return (strokes, pixels)
    }

    /// A rendered line turned off the pixel grid has no edge along a row or column: every edge is anti-aliased
    /// over two pixels, and its one-pixel steps fall short of the contrast (0.88 of it here), as a photographed
    /// sign's do, only less. The step two pixels out, which the classifier adds on lines turned 10° or more,
    /// crosses the whole contrast. (On the text benchmark, `--seed-offset 2000`, `rembg_girl-3`'s dark "NEW
    /// COLLECTION" turned 24° over sky and rock was called natural and left in place for want of it.)
    @Test func aTurnedRenderedEdgeCrossesItsContrastOverTwoPixelsNotOne() {
        let level = Self.renderedBar(degrees: 0), turned = Self.renderedBar(degrees: 25)
        let levelSharpness = TextClassifier.features(of: level.strokes, pixels: level.pixels, width: 200, measuringLocally: false).edgeSharpness
        let onePixel = TextClassifier.features(of: turned.strokes, pixels: turned.pixels, width: 200, measuringLocally: false).edgeSharpness
        let twoPixels = TextClassifier.features(of: turned.strokes, pixels: turned.pixels, width: 200, angle: 25,
                                                measuringLocally: false).edgeSharpness
        #expect(levelSharpness >= 0.95, "a level bar's one-pixel step: \(levelSharpness)")
        #expect(onePixel < 0.9, "a bar turned 25°, one-pixel step: \(onePixel)")
        #expect(twoPixels - onePixel >= 0.1, "one-pixel \(onePixel), two-pixel \(twoPixels)")
        #expect(twoPixels >= 0.95, "the same bar with the two-pixel step: \(twoPixels)")
    }
}

extension TextDetectionTests {
    /// An outlined text is two flat colours. Their mixture spreads as widely as a shaded sign's colours; each
    /// colour cluster on its own is flat, and that is what the classifier measures.
    @Test func anOutlinedPaintedTextIsFlatWithinEachColourAndArtificial() async throws { try await onOwnThread {
        let photo = try Image.decode(try Fixtures.bytes(Fixtures.samples.appendingPathComponent("skimage_coffee.png")))
            .removingAlpha().fitted(maxWidth: 400, maxHeight: 400).cropped(left: 0, top: 0, width: 400, height: 260)
        let style = TextOverlayStyle(text: "SALE -50%", font: "DejaVu Sans Bold 40", colour: RGBA(250, 210, 0), opacity: 1,
                                     angle: 0, outline: (width: 2, colour: RGBA(30, 60, 200)), shadow: nil, centre: Point(x: 200, y: 130))
        let sample = try TextOverlaySet.paint([style], on: photo, name: "outlined")
        let pixels = try sample.overlaid.pixels()
        let region = try #require(try Self.detector().detect(sample.overlaid).max { $0.sides.along < $1.sides.along })
        let strokes = try #require(StrokeMask.strokes(of: region, pixels: pixels, width: 400, height: 260))
        var mixed = strokes
        mixed.colourGroups = []
        let byColour = TextClassifier.features(of: strokes, pixels: pixels, width: 400)
        let together = TextClassifier.features(of: mixed, pixels: pixels, width: 400)
        #expect(Set(strokes.colourGroups.filter { $0 > 0 }).count >= 2, "fill and outline are two colour clusters")
        #expect(byColour.colourSpread < 0.2 && together.colourSpread > 2 * byColour.colourSpread,
                "spread per colour \(byColour.colourSpread), of the mixture \(together.colourSpread)")
        #expect(TextClassifier().classify(byColour) == .artificial, "\(byColour)")
    }}
}
