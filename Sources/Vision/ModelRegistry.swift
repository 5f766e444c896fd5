import Foundation

/// Every model Darkroom knows, read from `Resources/models.json`: the same file scripts/setup reads to install
/// them, so a model is added in one place.
public struct ModelRegistry: Sendable, Codable {
    public var segmentation: [SegmentationModel]
    public var text: [TextModelEntry]

    public struct TextModelEntry: Sendable, Codable, Equatable {
        public var name: String
        public var file: String
        public var sha256: String?
    }

    public static let shipped: ModelRegistry = {
        guard let url = Bundle.module.url(forResource: "models", withExtension: "json"),
              let data = try? Data(contentsOf: url),
              let registry = try? JSONDecoder().decode(ModelRegistry.self, from: data) else {
            fatalError("Darkroom's model registry (models.json in the Vision resources) is missing or invalid")
        }
        return registry
    }()

    public func segmentation(named name: String) -> SegmentationModel? {
        segmentation.first { $0.name == name }
    }

    /// The model used when nothing picks another.
    public var defaultSegmentation: SegmentationModel {
        segmentation.first { $0.default == true } ?? segmentation[0]
    }

    /// Models setup installs (those with a pinned package).
    public var installable: [SegmentationModel] { segmentation.filter { $0.package != nil } }

    /// int8 models scripts/quantize makes from installable ones.
    public var quantized: [SegmentationModel] { segmentation.filter { $0.quantizedFrom != nil } }

    /// Models a request may name: the installed ones and their int8 versions (descriptor-only entries are not).
    public var requestable: [SegmentationModel] { installable + quantized }

    /// The model for a `pr-background-removal-model-version` value: `default` is the server's own default
    /// (nil), a Photoroom version maps to the model registered for it, and Darkroom's own model names are
    /// accepted too. Unknown values throw, listing the accepted ones.
    public func model(forVersion value: String) throws -> SegmentationModel? {
        if value == "default" { return nil }
        if let model = installable.first(where: { $0.photoroomVersions?.contains(value) == true }) { return model }
        if let model = requestable.first(where: { $0.name == value }) { return model }
        throw UnknownModelVersion(value: value, accepted: acceptedVersions)
    }

    public var acceptedVersions: [String] {
        ["default"] + installable.flatMap { $0.photoroomVersions ?? [] } + requestable.map(\.name)
    }
}

public struct UnknownModelVersion: Error, Equatable {
    public var value: String
    public var accepted: [String]
}
