import Foundation
import ONNXRuntime

/// The registry's other segmentation models, for requests that pick one (`pr-background-removal-model-version`):
/// each is loaded on first use and kept, so a server that never sees the header never pays for the memory.
public final class SegmenterShelf: @unchecked Sendable {
    let modelsFolder: String
    let runtime: Runtime
    let options: Session.Options
    private var loaded: [String: Segmenter]
    private let lock = NSLock()

    public init(modelsFolder: String, runtime: Runtime, options: Session.Options, preloaded: [Segmenter] = []) {
        self.modelsFolder = modelsFolder
        self.runtime = runtime
        self.options = options
        loaded = Dictionary(preloaded.map { ($0.model.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The loaded segmenter for `model`; throws `ModelNotInstalled` when its file is not in the models folder.
    public func segmenter(for model: SegmentationModel) throws -> Segmenter {
        lock.lock()
        defer { lock.unlock() }
        if let segmenter = loaded[model.name] { return segmenter }
        let path = "\(modelsFolder)/\(model.file ?? model.name + ".onnx")"
        guard FileManager.default.fileExists(atPath: path) else {
            throw ModelNotInstalled(model: model.name, path: path, installCommand: model.installCommand)
        }
        let segmenter = try Segmenter(modelPath: path, runtime: runtime, model: model, options: options)
        loaded[model.name] = segmenter
        return segmenter
    }
}

public struct ModelNotInstalled: Error, CustomStringConvertible {
    public var model: String
    public var path: String
    public var installCommand = "scripts/setup"
    public var description: String { "model \(model) is not installed on this server (\(path) is missing; \(installCommand) installs it)" }
}
