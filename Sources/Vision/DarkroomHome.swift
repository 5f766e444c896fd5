import Foundation

/// Where scripts/setup put the ONNX Runtime library and the models: `$DARKROOM_HOME`, default `.darkroom/`.
public struct DarkroomHome: Sendable {
    public var path: String

    public init(path: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.path = path ?? environment["DARKROOM_HOME"] ?? ".darkroom"
    }

    /// The ONNX Runtime shared library; `DARKROOM_ORT_LIBRARY` overrides it.
    public func runtimeLibrary(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        environment["DARKROOM_ORT_LIBRARY"] ?? "\(path)/lib/libonnxruntime.so.1.32.0"
    }

    public func model(_ file: String) -> String { "\(path)/models/\(file)" }

    /// The shipped default segmentation model.
    public var defaultSegmentationModel: String { model("u2netp.onnx") }
    public var textDetectionModel: String { model("ch_PP-OCRv4_det_infer.onnx") }
}
