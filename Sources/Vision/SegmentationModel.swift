import Foundation

/// How to feed a salient-object segmentation model and read its mask. Darkroom ships U²-Net-p; owners of
/// u2net, isnet-general-use or BiRefNet ONNX files get the matching descriptor from the file name, or
/// describe any other model in a JSON file next to it (`MODEL.onnx.json`, same fields as this struct).
public struct SegmentationModel: Sendable, Codable, Equatable {
    public var name: String
    /// Square input side in pixels; the photo is resized to it without keeping the aspect ratio.
    public var inputSize: Int
    public var mean: [Float]
    public var std: [Float]
    /// Divide pixels by the image's own maximum before normalising (as rembg does) instead of by 255.
    public var scaleByMaximum: Bool
    /// Which model output holds the mask.
    public var outputIndex: Int
    /// Apply a logistic sigmoid to the output (models that emit logits, e.g. BiRefNet).
    public var sigmoid: Bool
    /// Stretch the output to [0, 1] by its own minimum and maximum (as rembg does for U²-Net).
    public var minMaxNormalize: Bool

    public static let u2netp = SegmentationModel(
        name: "u2netp", inputSize: 320, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225],
        scaleByMaximum: true, outputIndex: 0, sigmoid: false, minMaxNormalize: true)
    public static let u2net = SegmentationModel(
        name: "u2net", inputSize: 320, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225],
        scaleByMaximum: true, outputIndex: 0, sigmoid: false, minMaxNormalize: true)
    public static let isnetGeneralUse = SegmentationModel(
        name: "isnet-general-use", inputSize: 1024, mean: [0.5, 0.5, 0.5], std: [1, 1, 1],
        scaleByMaximum: true, outputIndex: 0, sigmoid: false, minMaxNormalize: true)
    public static let birefnet = SegmentationModel(
        name: "birefnet", inputSize: 1024, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225],
        scaleByMaximum: false, outputIndex: 0, sigmoid: true, minMaxNormalize: false)

    public static let known = [u2netp, u2net, isnetGeneralUse, birefnet]

    /// The descriptor for the model file at `path`: its JSON sidecar if there is one, else the known
    /// model its file name starts with, else U²-Net's conventions.
    public static func describing(modelAt path: String) throws -> SegmentationModel {
        let sidecar = path + ".json"
        if FileManager.default.fileExists(atPath: sidecar) {
            let data = try Data(contentsOf: URL(fileURLWithPath: sidecar))
            let model = try JSONDecoder().decode(SegmentationModel.self, from: data)
            try model.validate()
            return model
        }
        let file = URL(fileURLWithPath: path).lastPathComponent.lowercased()
        // Longest name first, so "u2netp" wins over "u2net".
        for model in known.sorted(by: { $0.name.count > $1.name.count }) where file.hasPrefix(model.name) {
            return model
        }
        return .u2net
    }

    func validate() throws {
        guard inputSize >= 16, inputSize <= 4096, mean.count == 3, std.count == 3, std.allSatisfy({ $0 > 0 }), outputIndex >= 0 else {
            throw SegmentationError.invalidDescriptor(name)
        }
    }
}

public enum SegmentationError: Error, CustomStringConvertible, Equatable {
    case invalidDescriptor(String)
    case unexpectedModel(String)

    public var description: String {
        switch self {
        case .invalidDescriptor(let name): return "model descriptor '\(name)' is invalid (inputSize 16–4096, 3 means, 3 positive stds)"
        case .unexpectedModel(let detail): return "the segmentation model does not fit its descriptor: \(detail)"
        }
    }
}
