import Vision

/// Photoroom's `pr-background-removal-model-version` header (spec 4.2), mapped onto Darkroom's models through the
/// registry: `2024-09-26` (and the spec page's typo `2024-09-06`) is the full U²-Net, `2023-06-01` the light
/// U²-Net-p, `default` or no header the server's own model; Darkroom's model names are accepted as well.
public enum SegmentationModelChoice {
    public static let header = "pr-background-removal-model-version"

    /// The model the request asks for, or nil for the server's default.
    static func parse(headers: [String: String]) throws -> SegmentationModel? {
        guard let value = headers[header] else { return nil }
        do {
            return try ModelRegistry.shipped.model(forVersion: value.trimmingCharacters(in: .whitespaces))
        } catch let unknown as UnknownModelVersion {
            throw EditError.invalidArgument(argument: header, message: "unknown model version \(unknown.value); accepted: \(unknown.accepted.joined(separator: ", "))")
        }
    }
}
