import ArgumentParser
import Editing
import Foundation
import ONNXRuntime
import Vision

/// Where the runtime and the model come from: each flag falls back to its DARKROOM_ variable, then to the default.
struct ModelOptions: ParsableArguments {
    @Option(help: "Runtime library and models folder (env DARKROOM_HOME; default: the first that has them of ./.darkroom, the checkout's .darkroom, PREFIX/share/darkroom, ~/.local/share/darkroom, /var/lib/darkroom, /usr/local/share/darkroom, /usr/share/darkroom).")
    var home: String?

    @Option(help: "Segmentation model file (env DARKROOM_SEGMENTATION_MODEL, default HOME/models/u2netp.onnx).")
    var model: String?

    @Option(help: "Threads per inference; 0 = one per core (env DARKROOM_INFERENCE_THREADS).")
    var inferenceThreads: Int?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    func makeSegmenter() throws -> Segmenter {
        let home = DarkroomHome(path: home)
        guard FileManager.default.fileExists(atPath: home.runtimeLibrary()) else { throw ValidationError(home.notFoundAdvice) }
        let runtime = try Runtime.shared(libraryPath: home.runtimeLibrary())
        let path = model ?? environment["DARKROOM_SEGMENTATION_MODEL"] ?? home.defaultSegmentationModel
        let threads = inferenceThreads ?? environment["DARKROOM_INFERENCE_THREADS"].flatMap(Int.init) ?? 0
        return try Segmenter(modelPath: path, runtime: runtime, options: Session.Options(intraOpThreads: threads))
    }

    /// The edit pipeline every command runs: the segmenter plus whatever other models the steps use.
    func makePipeline() throws -> Pipeline {
        var pipeline = Pipeline(segmenter: try makeSegmenter())
        pipeline.textRemover = try makeTextRemover()
        return pipeline
    }

    /// Text detection and inpainting for `textRemoval.mode`, when the detector model is installed (nil otherwise,
    /// and text removal answers 501). `HOME/models/inpainting.onnx`, if an operator put one there, replaces
    /// PatchMatch.
    func makeTextRemover() throws -> TextRemover? {
        let home = DarkroomHome(path: home)
        let path = environment["DARKROOM_TEXT_MODEL"] ?? home.textDetectionModel
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let runtime = try Runtime.shared(libraryPath: home.runtimeLibrary())
        let threads = inferenceThreads ?? environment["DARKROOM_INFERENCE_THREADS"].flatMap(Int.init) ?? 0
        var remover = TextRemover(detector: try TextDetector(modelPath: path, runtime: runtime,
                                                             options: Session.Options(intraOpThreads: threads)))
        let inpainting = home.model("inpainting.onnx")
        if FileManager.default.fileExists(atPath: inpainting) {
            remover.inpainter = try ModelInpainter(modelPath: inpainting, runtime: runtime,
                                                   options: Session.Options(intraOpThreads: threads))
        }
        return remover
    }
}

/// Prints a one-line message to stderr.
func report(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
