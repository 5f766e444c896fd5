import ONNXRuntime
import TestSupport
import Vision

enum VisionFixtures {
    static func runtime() throws -> Runtime { try Runtime.shared(libraryPath: Fixtures.runtimeLibrary) }
    static func segmenter() throws -> Segmenter {
        try Segmenter(modelPath: Fixtures.model("u2netp.onnx"), runtime: runtime())
    }
}

extension RegionStrokes {
    /// The share of the photo pixels `wanted` picks (within the strokes' bounds) that the stroke mask covers.
    func maskedShare(where wanted: (Int, Int) -> Bool) -> Double {
        var total = 0, masked = 0
        for y in bounds.y..<(bounds.y + bounds.height) {
            for x in bounds.x..<(bounds.x + bounds.width) where wanted(x, y) {
                total += 1
                if mask[(y - bounds.y) * bounds.width + x - bounds.x] { masked += 1 }
            }
        }
        return Double(masked) / Double(max(1, total))
    }
}
