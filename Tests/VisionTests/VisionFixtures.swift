import ONNXRuntime
import TestSupport
import Vision

enum VisionFixtures {
    static func runtime() throws -> Runtime { try Runtime.shared(libraryPath: Fixtures.runtimeLibrary) }
    static func segmenter() throws -> Segmenter {
        try Segmenter(modelPath: Fixtures.model("u2netp.onnx"), runtime: runtime())
    }
}
