import ArgumentParser
import Foundation
import Imaging
import ONNXRuntime
import Vision

/// `darkroom bench text`: text painted over the sample photos (exact masks known), removed by Darkroom's own
/// detection + inpainting, scored beside the input as it is and any baseline results found beside each sample.
struct TextBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "text",
        abstract: "Text removal on overlaid text with exact masks: PSNR in the text, residue, change outside, s/MP."
    )

    @Option(help: "Folder of sample photos.")
    var samples: String = "../shared/samples"

    @Option(help: "Where each sample's input.png, original.png, mask.png and results are written.")
    var output: String = "data/textbench"

    @Option(help: "Detector model file (default HOME/models/ch_PP-OCRv4_det_infer.onnx).")
    var detector: String?

    @Option(help: "textRemoval.mode to run: ai.artificial, ai.natural or ai.all.")
    var mode: String = "ai.artificial"

    @Option(help: "Longer side of the photos, in pixels.")
    var maxSide: Int = 1024

    @Option(help: "Other results to score, by file name beside each sample (e.g. telea.png).")
    var baseline: [String] = []

    @Flag(help: "Also inpaint with the exact mask (Darkroom's inpainting alone, beside Telea's given the same mask).")
    var trueMask = false

    @Option(help: "Also inpaint a mask of your own per photo, DIR/NAME.png (white = fill), to see what a mask is worth.")
    var givenMasks: String?

    @Option(help: "Detector input scales, comma-separated; their maps are fused by maximum.")
    var scales: String?

    @Option(help: "Share of the diffusion fill mixed into PatchMatch's colours (default: the inpainter's own).")
    var diffusionShare: Float?

    @Option(help: "Share of the biharmonic fill in the smooth fill, the rest harmonic (default: the inpainter's own).")
    var biharmonicShare: Float?

    @Option(help: "Detector box threshold (mean probability inside a box).")
    var boxThreshold: Float?

    @Option(help: "Added to every photo's seed: other texts, places and styles on the same photos (0 is the set the defaults were chosen on).")
    var seedOffset: UInt64 = 0

    @Option(help: "Detector binarisation threshold on the probability map.")
    var threshold: Float?

    @Flag(help: "Do not look for further copies of the texts found (tiled watermarks).")
    var noRepeatSearch = false

    @Flag(help: "Do not look for watermarks tiled over the photo.")
    var noTiledSearch = false

    @Flag(help: "Fill semi-transparent texts like opaque ones instead of un-blending them.")
    var noUnblending = false

    @Flag(help: "Do not add the parts of an un-blended text's letters its stroke mask missed (OverlayGrowth).")
    var noOverlayGrowth = false

    @Flag(help: "Do not add an outline's colour in a band around the strokes to their mask (StrokeMask.addingOutlineBand).")
    var noOutlineBand = false

    @Flag(help: "Do not split a detector component that fails the box threshold into the lines that cross in it (CrossingLines).")
    var noLineSplitting = false

    @Option(help: "Re-encode each painted photo as JPEG at this quality before removing its text (as a user's upload would be); scores stay against the original.")
    var inputJpegQuality: Int?

    @Flag(help: "Print how many of the painted texts were found (half their pixels masked), by opacity, size, turn, decoration and tiling.")
    var perText = false

    @Flag(help: "Print every region found, with its features and kind.")
    var verbose = false

    @Option(help: "Run only the photos of these names, comma-separated (each keeps its own texts: seeds follow the whole folder's order).")
    var only: String?

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        let home = DarkroomHome(path: modelOptions.home)
        let runtime = try Runtime.shared(libraryPath: home.runtimeLibrary())
        let detectorPath = detector ?? home.textDetectionModel
        var postProcessing = DBPostProcessing()
        if let boxThreshold { postProcessing.boxThreshold = boxThreshold }
        if let threshold { postProcessing.threshold = threshold }
        if noLineSplitting { postProcessing.splitsCrossingLines = false }
        var remover = TextRemover(detector: try TextDetector(
            modelPath: detectorPath, runtime: runtime, options: modelOptions.textSessionOptions, postProcessing: postProcessing,
            scales: scales.map { $0.split(separator: ",").compactMap { Double($0) } } ?? [1],
            turnedPasses: try modelOptions.textTurnedPassAngles(), colourStretch: try modelOptions.textColourStretch()))
        if noRepeatSearch { remover.repeats = nil }
        if noTiledSearch { remover.tiles = nil }
        if noUnblending { remover.unblending = nil }
        if noOverlayGrowth { remover.growth = nil }
        if noOutlineBand { remover.masksOutlines = false }
        if diffusionShare != nil || biharmonicShare != nil {
            var inpainter = PatchMatchInpainter()
            if let diffusionShare { inpainter.diffusionShare = diffusionShare }
            if let biharmonicShare { inpainter.biharmonicShare = biharmonicShare }
            remover.inpainter = inpainter
        }
        let kinds: Set<TextKind> = mode == "ai.all" ? [.artificial, .natural] : mode == "ai.natural" ? [.natural] : [.artificial]
        let photos = try FileManager.default.contentsOfDirectory(atPath: samples)
            .filter { $0.hasSuffix(".jpg") || $0.hasSuffix(".png") }.sorted()
        print("detector \(URL(fileURLWithPath: detectorPath).lastPathComponent), mode \(mode), \(photos.count) photos, longer side ≤ \(maxSide)")
        let columns = ["input as is"] + baseline + (trueMask ? ["darkroom, true mask"] : [])
            + (givenMasks != nil ? ["darkroom, given mask"] : []) + ["darkroom"]
        print("image".padding(toLength: 24, withPad: " ", startingAt: 0) + "texts found " +
              columns.map { "\($0.prefix(14))".padding(toLength: 34, withPad: " ", startingAt: 0) }.joined() + " s/MP")
        var totals = [String: (psnr: Double, residue: Double, outside: Double, changed: Double)]()
        var seconds = 0.0, megapixels = 0.0, photosRun = 0
        // Classifier check: regions over painted text should be artificial, regions found on the untouched
        // photos (their own signs, labels, prints) natural.
        var overlaidArtificial = 0, overlaidTotal = 0, sceneNatural = 0, sceneTotal = 0, sceneTiles = 0
        var sceneRepainted = 0, scenePixels = 0
        var mostRepainted: (name: String, share: Double)?
        var recall = TextRecall()
        let clock = ContinuousClock()
        let chosen = only.map { Set($0.split(separator: ",").map(String.init)) }
        for (index, file) in photos.enumerated() {
            let name = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            if let chosen, !chosen.contains(name) { continue }
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: samples).appendingPathComponent(file)))
            let sample = try TextOverlaySet.sample(name: name, photo: try Image.decode(bytes), seed: UInt64(index + 1) + seedOffset, maxSide: maxSide)
            let folder = URL(fileURLWithPath: output).appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(try sample.overlaid.encoded(as: .png(compression: 1))).write(to: folder.appendingPathComponent("input.png"))
            try Data(try sample.original.encoded(as: .png(compression: 1))).write(to: folder.appendingPathComponent("original.png"))
            let width = sample.original.width, height = sample.original.height
            let maskImage = try Image(pixels: sample.mask.map { $0 ? 255 : 0 }, width: width, height: height, bands: 1)
            try Data(try maskImage.encoded(as: .png())).write(to: folder.appendingPathComponent("mask.png"))

            let start = clock.now
            let input = try inputJpegQuality.map { try Image.decode(try sample.overlaid.encoded(as: .jpeg(quality: $0))).removingAlpha() } ?? sample.overlaid
            let outcome = try remover.remove(from: input, kinds: kinds)
            let elapsed = (clock.now - start).inSeconds
            seconds += elapsed; megapixels += Double(width * height) / 1e6; photosRun += 1
            try Data(try outcome.image.encoded(as: .png(compression: 1))).write(to: folder.appendingPathComponent("darkroom.png"))
            let found = try Image(pixels: outcome.mask.map { $0 ? 255 : 0 }, width: width, height: height, bands: 1)
            try Data(try found.encoded(as: .png())).write(to: folder.appendingPathComponent("darkroom-mask.png"))

            let original = try sample.original.pixels()
            let removed = try outcome.image.removingAlpha().pixels()
            if perText { recall.add(sample, found: outcome.mask, regions: outcome.regions, result: removed, original: original) }
            for region in outcome.regions where region.kind != nil && region.features != nil {
                let b = region.pixelBounds(width: width, height: height)
                var painted = 0
                for y in b.y..<(b.y + b.height) { for x in b.x..<(b.x + b.width) where sample.mask[y * width + x] { painted += 1 } }
                guard Double(painted) > 0.05 * Double(b.width * b.height) else { continue }
                overlaidTotal += 1
                if region.kind == .artificial { overlaidArtificial += 1 }
                if verbose, let f = region.features { print(String(format: "    painted %.3f %.3f %.3f %.3f %.1f°", f.colourSpread, f.edgeSharpness, f.shading, f.contrast, region.angle)) }
            }
            // The same mode on the untouched photo: whatever it repaints there was never overlaid text.
            let untouched = try remover.remove(from: sample.original, kinds: kinds)
            try Data(try untouched.image.encoded(as: .png(compression: 1))).write(to: folder.appendingPathComponent("untouched-darkroom.png"))
            let scene = untouched.regions
            let repainted = untouched.mask.lazy.filter { $0 }.count
            sceneRepainted += repainted
            let share = Double(repainted) / Double(width * height)
            if share > mostRepainted?.share ?? 0 { mostRepainted = (name, share) }
            scenePixels += width * height
            sceneTiles += scene.filter(\.tiled).count
            for region in scene where region.features != nil {
                sceneTotal += 1
                if region.kind == .natural { sceneNatural += 1 }
                if verbose { print("    scene " + Self.describe(region, width: width, height: height)) }
            }
            var results: [(String, [UInt8])] = [("input as is", try input.pixels())]
            for file in baseline {
                let path = folder.appendingPathComponent(file)
                guard let data = try? Data(contentsOf: path) else { continue }
                results.append((file, try Image.decode([UInt8](data)).removingAlpha().pixels()))
            }
            if trueMask {
                let filled = try remover.inpaint(sample.overlaid, mask: sample.mask)
                try Data(try filled.encoded(as: .png(compression: 1))).write(to: folder.appendingPathComponent("darkroom-truemask.png"))
                results.append(("darkroom, true mask", try filled.pixels()))
            }
            if let givenMasks {
                let file = URL(fileURLWithPath: givenMasks).appendingPathComponent("\(name).png")
                let given = try Image.decode([UInt8](try Data(contentsOf: file))).extractBands(0, count: 1).pixels()
                guard given.count == width * height else { throw ValidationError("\(file.path) is not \(width)x\(height)") }
                let filled = try remover.inpaint(sample.overlaid, mask: given.map { $0 > 127 })
                try Data(try filled.encoded(as: .png(compression: 1))).write(to: folder.appendingPathComponent("darkroom-given.png"))
                results.append(("darkroom, given mask", try filled.pixels()))
            }
            results.append(("darkroom", removed))
            var line = name.padding(toLength: 24, withPad: " ", startingAt: 0)
                + "\(outcome.regions.count)/\(sample.textCount)".padding(toLength: 12, withPad: " ", startingAt: 0)
            for (label, pixels) in results {
                let s = TextRemovalScore.score(result: pixels, original: original, mask: sample.mask, width: width, height: height)
                var t = totals[label] ?? (0, 0, 0, 0)
                t.psnr += s.psnrInText; t.residue += s.residue; t.outside += s.meanChangeOutside; t.changed += s.changedOutside
                totals[label] = t
                line += String(format: "%5.1f dB res %.3f out %.2f/%.4f   ", s.psnrInText, s.residue, s.meanChangeOutside, s.changedOutside)
            }
            print(line + String(format: "%.2f", elapsed / (Double(width * height) / 1e6)))
            if verbose {
                for region in outcome.regions {
                    print("    " + Self.describe(region, width: width, height: height)
                          + Self.paintedStyle(in: region.pixelBounds(width: width, height: height), sample: sample))
                }
            }
        }
        let n = Double(photosRun)
        print("mean (PSNR dB in dilated text mask, residue, mean change outside in levels / share changed > 8 levels):")
        for label in columns {
            guard let t = totals[label] else { continue }
            print("  " + label.padding(toLength: 16, withPad: " ", startingAt: 0)
                  + String(format: "%5.2f dB  residue %.4f  outside %.3f / %.5f", t.psnr / n, t.residue / n, t.outside / n, t.changed / n))
        }
        print("classifier: \(overlaidArtificial)/\(overlaidTotal) regions over painted text called artificial, "
              + "\(sceneNatural)/\(sceneTotal) regions found on the untouched photos called natural, "
              + "\(sceneTiles) watermark tiles found on them")
        print(String(format: "untouched photos: %@ repaints %.3f %% of their pixels", mode, 100 * Double(sceneRepainted) / Double(max(1, scenePixels)))
              + (mostRepainted.map { String(format: ", at most %.2f %% (%@)", 100 * $0.share, $0.name) } ?? ""))
        print(String(format: "darkroom text removal: %.2f s/MP (%.1f MP in %.2f s)", seconds / megapixels, megapixels, seconds))
        if perText { recall.report(listingWorst: verbose) }
    }

    /// A region found: where, how sure, its strokes' features and kind, and the overlay restored from it.
    static func describe(_ region: TextRegion, width: Int, height: Int) -> String {
        let b = region.pixelBounds(width: width, height: height)
        return String(format: "%4d,%4d %4dx%-4d angle %6.1f score %.2f strokes %6d", b.x, b.y, b.width, b.height,
                      region.angle, region.score, region.strokePixels)
            + (region.features.map { String(format: " spread %.2f sharp %.2f shading %.2f contrast %.2f → %@", $0.colourSpread,
                                            $0.edgeSharpness, $0.shading, $0.contrast, region.kind?.rawValue ?? "-") }
               ?? (region.tiled ? " a tile of a tiled watermark → artificial" : " no strokes"))
            + (region.overlay.map { " restored: " + describe($0) + String(format: " inliers %.2f", $0.inliers) } ?? "")
    }

    static func describe(_ overlay: OverlayUnblending.Overlay) -> String {
        String(format: "opacity %.2f colour %.0f,%.0f,%.0f", overlay.opacity, overlay.colour.x, overlay.colour.y, overlay.colour.z)
    }

    /// The style of the text painted over most of `bounds`, to read beside what was found there.
    static func paintedStyle(in bounds: PixelRect, sample: TextOverlaySample) -> String {
        let width = sample.original.width
        var counts: [Int16: Int] = [:]
        for y in bounds.y..<(bounds.y + bounds.height) {
            for x in bounds.x..<(bounds.x + bounds.width) where sample.painter[y * width + x] >= 0 { counts[sample.painter[y * width + x], default: 0] += 1 }
        }
        guard let (index, _) = counts.max(by: { $0.value < $1.value }) else { return " | painted: none" }
        let style = sample.styles[Int(index)]
        return String(format: " | painted: opacity %.2f colour %d,%d,%d%@%@%@", style.opacity, Int(style.colour.red), Int(style.colour.green),
                      Int(style.colour.blue), style.outline == nil ? "" : " outlined", style.shadow == nil ? "" : " shadow", style.tile ? " tile" : "")
    }
}
