import Imaging
import ONNXRuntime
import TestSupport
import Vision
@testable import Editing

/// One pipeline for the edit tests, and a `/v2/edit` on a shared sample photo decoded back to pixels.
enum EditFixtures {
    static let pipeline: Pipeline = {
        let runtime = try! Runtime.shared(libraryPath: Fixtures.runtimeLibrary)
        return Pipeline(segmenter: try! Segmenter(modelPath: Fixtures.model("u2netp.onnx"), runtime: runtime))
    }()

    static func edit(_ photo: String, _ pairs: [(String, String)], headers: [String: String] = [:]) throws -> Image {
        let bytes = try Fixtures.bytes(Fixtures.samples.appendingPathComponent(photo))
        let options = try EditOptions.parse(pairs.map { (name: $0.0, value: $0.1) }, headers: headers)
        return try Image.decode(try pipeline.run(EditInput(image: bytes, options: options)).bytes)
    }
}
