import ArgumentParser
import Editing
import Foundation
import Imaging
import Vision

/// `darkroom bench effects`: what each effect step costs on top of a cut-out, beside bare inference measured in
/// the same run.
struct EffectsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "effects",
        abstract: "Median time of the relight and shadow steps per image, beside the bare model in the same run."
    )

    @Argument(help: "Photos to measure.")
    var images: [String]

    @Option(help: "Timed runs per image (after one warm-up).")
    var runs: Int = 5

    @Option(help: "Output size, WIDTHxHEIGHT.")
    var outputSize: String = "1000x1000"

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        let pipeline = try modelOptions.makePipeline()
        let segmenter = pipeline.segmenter
        let variants: [(String, [(name: String, value: String)])] = [
            ("soft", [("shadow.mode", "ai.soft")]), ("hard", [("shadow.mode", "ai.hard")]),
            ("floating", [("shadow.mode", "ai.floating")]), ("relight", [("lighting.mode", "ai.auto")]),
        ]
        let base: [(name: String, value: String)] = [("background.color", "E8D9C0"), ("outputSize", outputSize), ("padding", "0.1")]
        let bareInput = try segmenter.blankInput(value: 0.1)
        _ = try segmenter.predict(bareInput)
        print("model \(segmenter.model.name), output \(outputSize), \(runs) runs; medians in ms")
        print(["image", "variant", "step", "total", "bare"].map { $0.padding(toLength: 12, withPad: " ", startingAt: 0) }.joined())
        let clock = ContinuousClock()
        for path in images {
            guard let data = FileManager.default.contents(atPath: path) else { report("cannot read \(path)"); continue }
            let name = String(URL(fileURLWithPath: path).lastPathComponent.prefix(11))
            for (variant, arguments) in variants {
                let input = EditInput(image: [UInt8](data), options: try EditOptions.parse(base + arguments))
                _ = try pipeline.run(input)
                var step: [Double] = [], totals: [Double] = [], bare: [Double] = []
                for _ in 0..<runs {
                    let start = clock.now
                    _ = try segmenter.predict(bareInput)
                    bare.append((clock.now - start).inSeconds)
                    let result = try pipeline.run(input)
                    step.append((result.timings.seconds["shadow"] ?? 0) + (result.timings.seconds["relight"] ?? 0))
                    totals.append(result.timings.total)
                }
                print([name, variant, milliseconds(median(step)), milliseconds(median(totals)), milliseconds(median(bare))]
                    .map { $0.padding(toLength: 12, withPad: " ", startingAt: 0) }.joined())
            }
        }
    }
}

/// `darkroom bench relight`: relighting judged on subjects placed on strongly coloured backgrounds and on a
/// neutral grey one.
struct RelightBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relight",
        abstract: "Colour distance to the background before/after, gradient SSIM and change on grey, per sample and colour."
    )

    @Argument(help: "Photos to use (default: every photo in ../shared/samples).")
    var images: [String] = []

    @Option(help: "lighting.mode to measure.")
    var mode: String = "ai.auto"

    @OptionGroup var modelOptions: ModelOptions

    static let strongColours = RelightEvaluation.strongColours
    static let extremeGreys = RelightEvaluation.extremeGreys
    static let neutralGrey = "808080"

    func run() throws {
        guard let lighting = LightingMode(rawValue: mode) else { throw ValidationError("--mode must be a lighting.mode value") }
        let pipeline = try modelOptions.makePipeline()
        let photos = images.isEmpty ? Self.samplePhotos() : images
        let cutout = try EditOptions.parse([("outputSize", "600x600"), ("padding", "0.1")])
        print("mode \(mode); distance = Lab distance from the subject's mean to the background ring's mean")
        print(["image", "background", "before", "after", "shrink", "gradSSIM", "change"].map { $0.padding(toLength: 11, withPad: " ", startingAt: 0) }.joined())
        var shrinks: [Double] = [], ssims: [Double] = [], greyChanges: [Double] = [], extremeShrinks: [Double] = [], extremeSSIMs: [Double] = []
        for path in photos {
            guard let data = FileManager.default.contents(atPath: path) else { report("cannot read \(path)"); continue }
            let subject = try Image.decode(try pipeline.run(EditInput(image: [UInt8](data), options: cutout)).bytes)
            let name = String(URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent.prefix(10))
            for colour in Self.strongColours + Self.extremeGreys + [Self.neutralGrey] {
                let background = try Image.solid(RGBA(hex: colour)!, width: subject.width, height: subject.height)
                let relit = try pipeline.relighter.relight(subject: subject, background: background, light: .studio, mode: lighting)
                let e = try RelightEvaluation.measure(before: subject, after: relit, background: background)
                if colour == Self.neutralGrey {
                    greyChanges.append(e.meanChange)
                } else if Self.extremeGreys.contains(colour) {
                    extremeShrinks.append(e.distanceShrink); extremeSSIMs.append(e.gradientSSIM)
                } else {
                    shrinks.append(e.distanceShrink); ssims.append(e.gradientSSIM)
                }
                print([name, colour, String(format: "%.1f", e.distanceBefore), String(format: "%.1f", e.distanceAfter),
                       String(format: "%.0f%%", e.distanceShrink * 100), String(format: "%.4f", e.gradientSSIM), String(format: "%.2f", e.meanChange)]
                    .map { $0.padding(toLength: 11, withPad: " ", startingAt: 0) }.joined())
            }
        }
        func mean(_ v: [Double]) -> Double { v.isEmpty ? 0 : v.reduce(0, +) / Double(v.count) }
        print(String(format: "strong colours: mean shrink %.1f%% (min %.1f%%), gradient SSIM mean %.4f (min %.4f)",
                     mean(shrinks) * 100, (shrinks.min() ?? 0) * 100, mean(ssims), ssims.min() ?? 0))
        print(String(format: "near-black and near-white: mean shrink %.1f%% (min %.1f%%), gradient SSIM mean %.4f (min %.4f)",
                     mean(extremeShrinks) * 100, (extremeShrinks.min() ?? 0) * 100, mean(extremeSSIMs), extremeSSIMs.min() ?? 0))
        print(String(format: "neutral grey %@: mean change %.2f levels (max %.2f)", Self.neutralGrey, mean(greyChanges), greyChanges.max() ?? 0))
    }

    static func samplePhotos() -> [String] {
        let folder = "../shared/samples"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".jpg") || $0.hasSuffix(".png") }.sorted().map { "\(folder)/\($0)" }
    }
}
