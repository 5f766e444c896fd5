/// `lighting.mode` (spec 4.3.6): how the subject is relit to sit in its new background.
public enum LightingMode: String, Sendable, CaseIterable {
    /// Exposure, contrast and white balance toward the background, plus shading from the scene's light.
    case auto = "ai.auto"
    /// Lightness only: hue and saturation stay the subject's own.
    case preserveHueAndSaturation = "ai.preserve-hue-and-saturation"
    /// As `auto`, but skin keeps its hue and faces keep their contrast.
    case optimizePortrait = "ai.optimize-portrait"

    static func parse(_ values: [String: String]) throws -> LightingMode? {
        guard let text = values["lighting.mode"] else { return nil }
        guard let mode = LightingMode(rawValue: text) else {
            throw EditError.invalidArgument(argument: "lighting.mode",
                message: "must be one of \(allCases.map(\.rawValue).joined(separator: ", ")), got \(text)")
        }
        return mode
    }
}
