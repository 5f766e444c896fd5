import ArgumentParser
import Editing
import Foundation
import Imaging
import ONNXRuntime
import Vision

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure Darkroom against the bare model on this machine.",
        subcommands: [SegmentBench.self, RefineBench.self, EffectsBench.self, RelightBench.self, MemoryBench.self, StoreBench.self,
                      TextBench.self, BackgroundBench.self, InferenceBench.self]
    )
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func milliseconds(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1000) }

struct SegmentBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "segment",
        abstract: "Median time of each cut-out stage per image, and end-to-end against bare inference in the same run."
    )

    @Argument(help: "Photos to measure.")
    var images: [String]

    @Option(help: "Timed runs per image (after one warm-up).")
    var runs: Int = 5

    @Option(help: "Output format: png, jpg or webp.")
    var format: String = "png"

    @Flag(help: "Skip edge refinement.")
    var noRefine = false

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        let segmenter = try modelOptions.makeSegmenter()
        var pipeline = Pipeline(segmenter: segmenter)
        pipeline.refineEdges = !noRefine
        pipeline.mirrorTestTime = try modelOptions.mirrorPolicy()
        let options = try SegmentOptions.parse([("format", format)])

        // Bare inference: the model alone on a fixed tensor, no image work at all.
        let bareInput = try segmenter.blankInput(value: 0.1)
        _ = try segmenter.predict(bareInput)

        let stages = StageTimings.stages
        print("model \(segmenter.model.name), \(runs) runs per image, output \(format)\(noRefine ? ", no refinement" : "")")
        print(["image", "size", "MP"].map { $0.padding(toLength: 12, withPad: " ", startingAt: 0) }.joined()
              + (stages + ["total", "bare", "ratio"]).map { $0.prefix(8).padding(toLength: 9, withPad: " ", startingAt: 0) }.joined())
        var ratios: [Double] = []
        let clock = ContinuousClock()
        for path in images {
            guard let data = FileManager.default.contents(atPath: path) else { report("cannot read \(path)"); continue }
            let bytes = [UInt8](data)
            let input = EditInput(image: bytes, options: options)
            _ = try pipeline.run(input)
            var perStage: [String: [Double]] = [:]
            var totals: [Double] = [], bare: [Double] = []
            for _ in 0..<runs {
                // Interleave so that both figures see the same machine load.
                let start = clock.now
                _ = try segmenter.predict(bareInput)
                let elapsed = clock.now - start
                bare.append(elapsed.inSeconds)
                let result = try pipeline.run(input)
                for (stage, seconds) in result.timings.seconds { perStage[stage, default: []].append(seconds) }
                totals.append(result.timings.total)
            }
            let header = try Image.header(of: bytes)
            let ratio = median(totals) / median(bare)
            ratios.append(ratio)
            let name = URL(fileURLWithPath: path).lastPathComponent
            let cells = [String(name.prefix(11)), "\(header.width)x\(header.height)", String(format: "%.2f", Double(header.pixelCount) / 1e6)]
            let figures = stages.map { milliseconds(median(perStage[$0] ?? [0])) } + [milliseconds(median(totals)), milliseconds(median(bare)), String(format: "%.2f", ratio)]
            print(cells.map { $0.padding(toLength: 12, withPad: " ", startingAt: 0) }.joined()
                  + figures.map { $0.padding(toLength: 9, withPad: " ", startingAt: 0) }.joined())
        }
        print("times in ms (medians); ratio = end-to-end / bare inference; median ratio \(String(format: "%.2f", median(ratios)))")
    }
}

struct RefineBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refine",
        abstract: "Raw and refined masks on the peer-mask composites: a regression fixture, not ground truth (see `darkroom eval`)."
    )

    @Option(help: "Folder of sample photos with a rembg-u2netp-masks/ subfolder (default ../shared/samples).")
    var samples: String = "../shared/samples"

    @Option(help: "Guided filter radius at the model's input resolution.")
    var radius: Int = MaskRefiner().radius

    @Option(help: "Guided filter regularisation.")
    var epsilon: Float = MaskRefiner().epsilon

    @Option(help: "Contrast around half opacity after filtering.")
    var hardness: Float = MaskRefiner().hardness

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        let segmenter = try modelOptions.makeSegmenter()
        let refiner = MaskRefiner(radius: radius, epsilon: epsilon, hardness: hardness)
        let set = try TruthSet.make(try TruthSet.sources(inFolder: samples))
        let scores = try CutoutEvaluation.score(set, segmenter: segmenter, refiner: refiner)
        print("sample".padding(toLength: 24, withPad: " ", startingAt: 0) + "raw IoU  raw MAE  ref IoU  ref MAE")
        for s in scores {
            print(s.name.padding(toLength: 24, withPad: " ", startingAt: 0)
                  + [s.raw.iou, s.raw.mae, s.refined.iou, s.refined.mae].map { String(format: "%.4f   ", $0) }.joined())
        }
        let raw = MaskScore.mean(scores.map(\.raw)), refined = MaskScore.mean(scores.map(\.refined))
        print(String(format: "mean IoU %.4f → %.4f, mean MAE %.4f → %.4f (radius %d, epsilon %g, hardness %g)",
                     raw.iou, refined.iou, raw.mae, refined.mae, radius, Double(epsilon), Double(hardness)))
    }
}
