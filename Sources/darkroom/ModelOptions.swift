import ArgumentParser
import Editing
import Foundation
import ONNXRuntime
import Vision

/// Where the runtime and the model come from: each flag falls back to its DARKROOM_ variable, then to the default.
struct ModelOptions: ParsableArguments {
    @Option(help: "Runtime library and models folder (env DARKROOM_HOME; default: the first that has them of ./.darkroom, the checkout's .darkroom, PREFIX/share/darkroom, ~/.local/share/darkroom, /var/lib/darkroom, /usr/local/share/darkroom, /usr/share/darkroom).")
    var home: String?

    @Option(help: "Segmentation model: a registry name — u2net (the default, best), u2netp (the fast tier), u2net-int8 and u2netp-int8 (int8, made by scripts/quantize), or another entry of models.json — or the path of an .onnx file (env DARKROOM_MODEL).")
    var model: String?

    @Option(help: "Model sessions running inference at once (env DARKROOM_INFERENCE_SESSIONS; default: cores, at most 4).")
    var inferenceSessions: Int?

    @Option(help: "Intra-op threads per session; 0 lets ONNX Runtime pick one per core (env DARKROOM_INFERENCE_THREADS; default: cores / sessions).")
    var inferenceThreads: Int?

    @Option(help: "Intra-op threads of the solo session, which serves a request that finds every session idle; 0 = no solo session (env DARKROOM_INFERENCE_SOLO_THREADS; default: twice the threads, at most the cores).")
    var inferenceSoloThreads: Int?

    @Option(help: "Let idle inference threads spin-wait: true or false (env DARKROOM_INFERENCE_SPINNING; default false).")
    var inferenceSpinning: Bool?

    @Option(help: "ONNX Runtime's CPU memory arena: true (faster; each session keeps its peak memory) or false (env DARKROOM_INFERENCE_ARENA; default true).")
    var inferenceArena: Bool?

    @Option(help: "Average masks with the mirrored photo's (a second inference): auto (uncertain masks only, about 1 photo in 6, and only on a session nobody waits for), spare (every mask, on a session nobody waits for), always, or off (env DARKROOM_TEST_TIME_MIRROR; default auto).")
    var testTimeMirror: String?

    @Option(help: "Extra text-detector passes on the photo turned by these angles in degrees, comma-separated (e.g. 30,-30), or none: they find lines turned by 20–35° (diagonal watermarks) that the level pass misses, at about 0.4 s/MP more (env DARKROOM_TEXT_TURNED_PASSES; default none).")
    var textTurnedPasses: String?

    @Option(help: "A text-detector pass on the photo with its colours stretched, which finds faint coloured text over a background of its own lightness: true or false (env DARKROOM_TEXT_COLOUR_PASS; default true).")
    var textColourPass: Bool?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    var layout: InferenceLayout {
        var layout = InferenceLayout.recommended()
        if let sessions = inferenceSessions ?? environment["DARKROOM_INFERENCE_SESSIONS"].flatMap(Int.init) {
            let threads = max(1, ProcessInfo.processInfo.activeProcessorCount / max(1, sessions))
            layout = InferenceLayout(sessions: max(1, sessions), threads: threads, soloThreads: InferenceLayout.soloThreads(threads: threads))
        }
        if let threads = inferenceThreads ?? environment["DARKROOM_INFERENCE_THREADS"].flatMap(Int.init) {
            layout.threads = max(0, threads)
            layout.soloThreads = InferenceLayout.soloThreads(threads: threads)
        }
        if let solo = inferenceSoloThreads ?? environment["DARKROOM_INFERENCE_SOLO_THREADS"].flatMap(Int.init) { layout.soloThreads = max(0, solo) }
        if let spinning = inferenceSpinning ?? environment["DARKROOM_INFERENCE_SPINNING"].flatMap(Bool.init) { layout.spinning = spinning }
        if let arena = inferenceArena ?? environment["DARKROOM_INFERENCE_ARENA"].flatMap(Bool.init) { layout.arena = arena }
        return layout
    }

    var sessionOptions: Session.Options { layout.sessionOptions }

    /// The text detector has one session for every caller, unlike the segmenter's several: with the regular
    /// sessions' threads (one each on 2 cores) a lone text removal ran its detection on half the cores. It gets
    /// the solo session's threads instead; concurrent callers share that session's thread pool.
    var textSessionOptions: Session.Options { layout.soloSessionOptions ?? layout.sessionOptions }

    /// The model file and, for a registry name, its descriptor (a file path is described by its name or sidecar).
    func modelChoice(home: DarkroomHome) throws -> (path: String, model: SegmentationModel?) {
        let registry = ModelRegistry.shipped
        let choice = model ?? environment["DARKROOM_MODEL"] ?? environment["DARKROOM_SEGMENTATION_MODEL"] ?? registry.defaultSegmentation.name
        if let entry = registry.segmentation(named: choice) {
            return (home.model(entry.file ?? entry.name + ".onnx"), entry)
        }
        guard choice.contains("/") || choice.hasSuffix(".onnx") else {
            throw ValidationError("unknown model '\(choice)': use one of \(registry.segmentation.map(\.name).joined(separator: ", ")) or the path of an .onnx file")
        }
        return (choice, nil)
    }

    func makeSegmenter() throws -> Segmenter {
        let home = DarkroomHome(path: home)
        guard FileManager.default.fileExists(atPath: home.runtimeLibrary()) else { throw ValidationError(home.notFoundAdvice) }
        let runtime = try Runtime.shared(libraryPath: home.runtimeLibrary())
        let (path, model) = try modelChoice(home: home)
        do {
            return try Segmenter(modelPath: path, runtime: runtime, model: model, options: sessionOptions, sessions: layout.sessions,
                                 solo: layout.soloSessionOptions)
        } catch {
            throw ValidationError("cannot load the segmentation model \(path): \(error). Run \(model?.installCommand ?? "scripts/setup") in the Darkroom checkout to install it, or pick another with --model / DARKROOM_MODEL")
        }
    }

    func mirrorPolicy() throws -> MirrorPolicy {
        guard let text = testTimeMirror ?? environment["DARKROOM_TEST_TIME_MIRROR"] else { return .auto }
        guard let policy = MirrorPolicy(text) else {
            throw ValidationError("--test-time-mirror / DARKROOM_TEST_TIME_MIRROR must be auto, spare, always or off, got '\(text)'")
        }
        return policy
    }

    /// The edit pipeline every command runs: the segmenter plus whatever other models the steps use.
    func makePipeline() throws -> Pipeline {
        let segmenter = try makeSegmenter()
        var pipeline = Pipeline(segmenter: segmenter)
        pipeline.mirrorTestTime = try mirrorPolicy()
        let home = DarkroomHome(path: home)
        pipeline.otherSegmenters = SegmenterShelf(modelsFolder: home.modelsFolder, runtime: try Runtime.shared(libraryPath: home.runtimeLibrary()),
                                                  options: sessionOptions, preloaded: [segmenter])
        pipeline.textRemover = try makeTextRemover()
        return pipeline
    }

    /// Text detection and inpainting for `textRemoval.mode`, when the detector model is installed (nil otherwise,
    /// and text removal answers 501). `HOME/models/inpainting.onnx`, if an operator put one there, replaces
    /// PatchMatch.
    func makeTextRemover() throws -> TextRemover? {
        // The settings are checked first, so a wrong value is refused even where the detector is not installed.
        let turned = try textTurnedPassAngles(), colourStretch = try textColourStretch()
        let home = DarkroomHome(path: home)
        let path = environment["DARKROOM_TEXT_MODEL"] ?? home.textDetectionModel
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let runtime = try Runtime.shared(libraryPath: home.runtimeLibrary())
        var remover = TextRemover(detector: try TextDetector(modelPath: path, runtime: runtime, options: textSessionOptions,
                                                             turnedPasses: turned, colourStretch: colourStretch))
        let inpainting = home.model("inpainting.onnx")
        if FileManager.default.fileExists(atPath: inpainting) {
            remover.inpainter = try ModelInpainter(modelPath: inpainting, runtime: runtime, options: sessionOptions)
        }
        return remover
    }
}

extension ModelOptions {
    /// `--text-turned-passes` / DARKROOM_TEXT_TURNED_PASSES, or the detector's default.
    func textTurnedPassAngles() throws -> [Double] {
        guard let setting = textTurnedPasses ?? environment["DARKROOM_TEXT_TURNED_PASSES"] else { return TextDetector.defaultTurnedPasses }
        guard let angles = TextDetector.turnedPasses(parsing: setting) else {
            throw ValidationError("--text-turned-passes / DARKROOM_TEXT_TURNED_PASSES: '\(setting)' is not a comma-separated list of angles between -90 and 90 degrees, or none")
        }
        return angles
    }

    /// `--text-colour-pass` / DARKROOM_TEXT_COLOUR_PASS: the detector's colour stretch, or nil when it is off.
    func textColourStretch() throws -> Float? {
        var on = true
        if let flag = textColourPass { on = flag } else if let setting = environment["DARKROOM_TEXT_COLOUR_PASS"] {
            guard let value = Bool(setting) else { throw ValidationError("DARKROOM_TEXT_COLOUR_PASS: '\(setting)' is not true or false") }
            on = value
        }
        return on ? TextDetector.defaultColourStretch : nil
    }
}

/// Prints a one-line message to stderr.
func report(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
