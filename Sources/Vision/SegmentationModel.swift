import Foundation

/// How to feed a salient-object segmentation model and read its mask. The models Darkroom knows are entries of
/// `ModelRegistry` (`Resources/models.json`); any other model is described in a JSON file next to it
/// (`MODEL.onnx.json`, the same fields).
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

    // Registry facts: where setup gets the file, and which Photoroom model versions it stands for.
    /// File name under `HOME/models/`.
    public var file: String?
    public var sha256: String?
    /// Pinned PyPI wheel that ships the file, its sha256 and the file's path inside it.
    public var package: String?
    public var packageSHA256: String?
    public var member: String?
    /// Values of Photoroom's `pr-background-removal-model-version` header that this model answers.
    public var photoroomVersions: [String]?
    /// The model every route and command uses unless told otherwise.
    public var `default`: Bool?
    /// An int8 model that scripts/quantize makes from this registry model's installed file (no package of its own).
    public var quantizedFrom: String?
    /// Nodes scripts/quantize leaves in fp32.
    public var keepFloat: [String]?

    /// The command that puts this model's file in place.
    public var installCommand: String { quantizedFrom == nil ? "scripts/setup" : "scripts/truthset-real, then scripts/quantize" }

    public static var u2net: SegmentationModel { ModelRegistry.shipped.segmentation(named: "u2net")! }
    public static var u2netp: SegmentationModel { ModelRegistry.shipped.segmentation(named: "u2netp")! }
    public static var known: [SegmentationModel] { ModelRegistry.shipped.segmentation }

    /// The descriptor for the model file at `path`: its JSON sidecar if there is one, else the known
    /// model its file name starts with, else U²-Net's conventions.
    public static func describing(modelAt path: String) throws -> SegmentationModel {
        let sidecar = path + ".json"
        // (scripts/quantize's MODEL.onnx.recipe.json is a build record, not a descriptor.)
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
