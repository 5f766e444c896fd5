import ArgumentParser
import Foundation
import ONNXRuntime
import Vision

/// Cut-out quality against real photos with human-drawn masks (scripts/truthset-real builds the set). The raw
/// mask is exactly what rembg makes with the same weights (the parity tests hold it to IoU 1.0), so "raw" is
/// the peer's score and "refined" is Darkroom's.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "mIoU, MAE and boundary F-measure of each model's cut-outs, raw and refined, on a real truth set."
    )

    @Option(help: "Folder of NAME.jpg photos with NAME.png masks (scripts/truthset-real; default DATA/truth/real).")
    var set: String?

    @Option(help: "Models to score, comma-separated registry names.")
    var models: String = "u2net,u2netp"

    @Option(help: "Score only photos whose name starts with this.")
    var prefix: String?

    @Flag(inversion: .prefixedNo, help: "Also score the refined mask averaged with the mirrored photo's (test-time augmentation: what `serve` does for uncertain masks when a session is spare; a second inference per photo). With --sweep: sweep the mirrored masks.")
    var mirror = true

    @Option(help: "Also score these refiner settings, RADIUS:EPSILON:HARDNESS separated by commas (one inference per photo for all).")
    var sweep: String?

    @Option(help: "Score the mirror applied only above these uncertainty thresholds, comma-separated.")
    var mirrorAbove: String?

    @Flag(help: "Print every photo's scores.")
    var perPhoto = false

    @OptionGroup var modelOptions: ModelOptions
    @OptionGroup var state: StateOptions

    func run() throws {
        let folder = set ?? state.dataFolder + "/truth/real"
        guard FileManager.default.fileExists(atPath: folder) else {
            throw ValidationError("no truth set at \(folder): build it with scripts/truthset-real (see README, \"Cut-out quality\")")
        }
        var samples = try TruthSet.load(realFolder: folder)
        if let prefix { samples = samples.filter { $0.name.hasPrefix(prefix) } }
        guard !samples.isEmpty else { throw ValidationError("no photos in \(folder)") }
        let home = DarkroomHome(path: modelOptions.home)
        let runtime = try Runtime.shared(libraryPath: home.runtimeLibrary())
        print("truth set \(folder): \(samples.count) photos")
        print("model\tmask\tmIoU\tMAE\tboundary F")
        for name in models.split(separator: ",").map(String.init) {
            guard let model = ModelRegistry.shipped.segmentation(named: name) else { throw ValidationError("unknown model \(name)") }
            let segmenter = try Segmenter(modelPath: home.model(model.file ?? name + ".onnx"), runtime: runtime, model: model,
                                          options: modelOptions.sessionOptions)
            if let mirrorAbove {
                let scores = try CutoutEvaluation.score(samples, segmenter: segmenter, refiner: MaskRefiner(), mirror: true)
                for threshold in mirrorAbove.split(separator: ",").compactMap({ Double($0) }) {
                    let policy = MirrorPolicy.whenSpare(uncertainAbove: threshold)
                    let mirrored = scores.filter { policy.mirrors(uncertainty: $0.uncertainty) }.count * 100 / max(scores.count, 1)
                    let mean = MaskScore.mean(scores.map { $0.score(under: policy) })
                    print("\(name)\tmirror above \(threshold) (\(mirrored) % mirrored)\t"
                          + String(format: "%.4f\t%.4f\t%.4f", mean.iou, mean.mae, mean.boundaryF))
                }
                continue
            }
            if let sweep {
                let refiners = try sweep.split(separator: ",").map { item -> MaskRefiner in
                    let parts = item.split(separator: ":").compactMap { Float($0) }
                    guard parts.count == 3 else { throw ValidationError("--sweep wants RADIUS:EPSILON:HARDNESS, got \(item)") }
                    return MaskRefiner(radius: Int(parts[0]), epsilon: parts[1], hardness: parts[2])
                }
                let table = try CutoutEvaluation.sweep(samples, segmenter: segmenter, refiners: refiners, mirror: mirror)
                for (refiner, mean) in zip(refiners, table) {
                    print("\(name)\tr\(refiner.radius) ε\(refiner.epsilon) h\(refiner.hardness)\t" + String(format: "%.4f\t%.4f\t%.4f", mean.iou, mean.mae, mean.boundaryF))
                }
                continue
            }
            let scores = try CutoutEvaluation.score(samples, segmenter: segmenter, refiner: MaskRefiner(), mirror: mirror)
            if perPhoto {
                for s in scores {
                    let mirrored = s.mirrored.map { [$0.iou, $0.mae, $0.boundaryF] } ?? []
                    print("  \(s.name)\t" + ([s.raw.iou, s.raw.mae, s.raw.boundaryF, s.refined.iou, s.refined.mae, s.refined.boundaryF] + mirrored)
                        .map { String(format: "%.4f", $0) }.joined(separator: "\t"))
                }
            }
            var rows = [("raw (= rembg)", scores.map(\.raw)), ("refined, one inference (as under full load)", scores.map(\.refined))]
            if mirror {
                let uncertain = scores.filter { MirrorPolicy.auto.mirrors(uncertainty: $0.uncertainty) }.count
                rows.append(("refined, mirror where uncertain (default with a spare session: \(uncertain * 100 / max(scores.count, 1)) % mirrored)",
                             scores.map { $0.score(under: .auto) }))
                rows.append(("refined, mirror on every photo (--test-time-mirror spare/always)", scores.map { $0.score(under: .always) }))
            }
            for (label, column) in rows {
                let mean = MaskScore.mean(column)
                print("\(name)\t\(label)\t" + String(format: "%.4f\t%.4f\t%.4f", mean.iou, mean.mae, mean.boundaryF))
            }
        }
    }
}
