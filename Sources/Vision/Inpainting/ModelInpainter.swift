import Foundation
import ONNXRuntime

/// How to feed an ONNX inpainting model (LaMa-style: an RGB image and a mask in, the RGB image out), read from
/// `MODEL.onnx.json` beside the model. None ships: no inpainting model is published on the registries Darkroom
/// installs from, so this is the extension point for an operator who has one (`inpainting.onnx` in the
/// models folder is picked up by `darkroom serve`).
public struct InpaintingModel: Sendable, Codable, Equatable {
    /// Square input side; the region around the hole is resized to it.
    public var inputSize: Int
    public var imageInput: String
    public var maskInput: String
    /// The output's values are 0…`outputScale` (1 for LaMa exports that end in a sigmoid, 255 for others).
    public var outputScale: Float

    public static let lamaDefaults = InpaintingModel(inputSize: 512, imageInput: "image", maskInput: "mask", outputScale: 1)

    public static func describing(modelAt path: String) throws -> InpaintingModel {
        let sidecar = path + ".json"
        guard FileManager.default.fileExists(atPath: sidecar) else { return .lamaDefaults }
        return try JSONDecoder().decode(InpaintingModel.self, from: Data(contentsOf: URL(fileURLWithPath: sidecar)))
    }
}

/// Inpaints with an ONNX model: the hole's surroundings are resized to the model's square input (bilinear), the
/// model fills them, and only the hole's pixels take the result, resized back.
public final class ModelInpainter: Inpainter {
    let session: Session
    public let model: InpaintingModel

    public init(modelPath: String, runtime: Runtime, options: Session.Options = Session.Options()) throws {
        model = try InpaintingModel.describing(modelAt: modelPath)
        session = try Session(modelPath: modelPath, runtime: runtime, options: options)
        let names = Set(session.inputs.map(\.name))
        guard names.contains(model.imageInput), names.contains(model.maskInput), let _ = session.outputs.first else {
            throw SegmentationError.unexpectedModel("inpainting model needs inputs '\(model.imageInput)' and '\(model.maskInput)', has \(names.sorted())")
        }
    }

    public func inpaint(_ image: inout InpaintingImage) throws {
        let side = model.inputSize, plane = side * side
        let w = image.width, h = image.height
        var pixels = [Float](repeating: 0, count: 3 * plane), mask = [Float](repeating: 0, count: plane)
        for y in 0..<side {
            for x in 0..<side {
                let sx = (Float(x) + 0.5) * Float(w) / Float(side) - 0.5, sy = (Float(y) + 0.5) * Float(h) / Float(side) - 0.5
                let c = Self.bilinear(image.colour, w, h, sx, sy)
                for k in 0..<3 { pixels[k * plane + y * side + x] = c[k] / 255 }
                let nx = min(w - 1, max(0, Int(sx.rounded()))), ny = min(h - 1, max(0, Int(sy.rounded())))
                mask[y * side + x] = image.hole[ny * w + nx] ? 1 : 0
            }
        }
        let outputName = session.outputs[0].name
        let outputs = try session.run([
            model.imageInput: try Tensor(shape: [1, 3, side, side], values: pixels),
            model.maskInput: try Tensor(shape: [1, 1, side, side], values: mask),
        ], outputs: [outputName])
        guard let output = outputs[outputName], output.values.count == 3 * plane else {
            throw SegmentationError.unexpectedModel("inpainting output '\(outputName)' is not 3×\(side)×\(side)")
        }
        var interleaved = [Float](repeating: 0, count: 3 * plane)
        for i in 0..<plane { for k in 0..<3 { interleaved[3 * i + k] = output.values[k * plane + i] * 255 / model.outputScale } }
        for y in 0..<h {
            for x in 0..<w where image.hole[y * w + x] {
                let sx = (Float(x) + 0.5) * Float(side) / Float(w) - 0.5, sy = (Float(y) + 0.5) * Float(side) / Float(h) - 0.5
                let c = Self.bilinear(interleaved, side, side, sx, sy)
                for k in 0..<3 { image.colour[3 * (y * w + x) + k] = min(max(c[k], 0), 255) }
            }
        }
    }

    static func bilinear(_ colour: [Float], _ w: Int, _ h: Int, _ x: Float, _ y: Float) -> SIMD3<Float> {
        let x = min(max(x, 0), Float(w - 1)), y = min(max(y, 0), Float(h - 1))
        let x0 = Int(x), y0 = Int(y), x1 = min(x0 + 1, w - 1), y1 = min(y0 + 1, h - 1)
        let fx = x - Float(x0), fy = y - Float(y0)
        func at(_ px: Int, _ py: Int) -> SIMD3<Float> { let i = 3 * (py * w + px); return SIMD3(colour[i], colour[i + 1], colour[i + 2]) }
        return (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) + (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy
    }
}
