import Foundation

/// `background.prompt` and its companions (spec 4.3.3), and the `pr-ai-background-model-version` header
/// (spec 4.2) that picks the generator variant.
public struct GeneratedBackgroundOptions: Sendable, Equatable {
    /// The three AI Backgrounds versions Photoroom names; each picks a variant of Darkroom's generator.
    public enum ModelVersion: String, Sendable, CaseIterable {
        /// The previous model: the only one that honours `background.negativePrompt`.
        case v2 = "2"
        /// The default.
        case v3 = "3"
        /// Cleaner: a seamless sweep, softer light, calmer textures.
        case studio = "background-studio-beta-2025-03-17"
    }

    public enum ExpandMode: String, Sendable {
        /// Fill what the prompt leaves open with tasteful defaults chosen by the seed.
        case auto = "ai.auto"
        /// Use only what the prompt says; everything else stays plain and neutral.
        case never = "ai.never"
    }

    public static let modelVersionHeader = "pr-ai-background-model-version"
    public static let defaultGuidanceScale = 0.6

    public var prompt: String
    public var negativePrompt: String?
    /// The seed asked for; nil draws one (and the one drawn is reported in `pr-ai-background-seed`).
    public var seed: UInt32?
    public var expand = ExpandMode.auto
    public var guidanceImageURL: String?
    public var guidanceImageFile = false
    public var guidanceScale = defaultGuidanceScale
    public var modelVersion = ModelVersion.v3

    public var hasGuidanceImage: Bool { guidanceImageURL != nil || guidanceImageFile }

    public init(prompt: String) { self.prompt = prompt }

    static let argumentNames = [
        "background.prompt", "background.negativePrompt", "background.seed", "background.expandPrompt",
        "background.expandPrompt.mode", "background.guidance.imageUrl", "background.guidance.imageFile",
        "background.guidance.scale",
    ]

    /// Reads the prompt family out of `values` (the request's known arguments) and checks the spec's cross
    /// rules. Returns nil when no prompt was given (after checking that no companion argument was either).
    static func parse(_ values: [String: String], files: Set<String>, headers: [String: String],
                      removeBackground: Bool, hasBackgroundImage: Bool) throws -> GeneratedBackgroundOptions? {
        var version = ModelVersion.v3
        if let text = headers[modelVersionHeader] {
            guard let parsed = ModelVersion(rawValue: text.trimmingCharacters(in: .whitespaces)) else {
                throw EditError.invalidArgument(argument: modelVersionHeader,
                    message: "unknown AI Backgrounds model version \(text); use 3, 2 or background-studio-beta-2025-03-17")
            }
            version = parsed
        }
        let guidanceFile = files.contains("background.guidance.imageFile")
        let guidanceURL = values["background.guidance.imageUrl"]
        if !removeBackground {
            for name in ["background.prompt", "background.guidance.imageUrl", "background.guidance.scale"] where values[name] != nil {
                throw EditError.invalidArgument(argument: name, message: "is not allowed with removeBackground=false")
            }
            if guidanceFile {
                throw EditError.invalidArgument(argument: "background.guidance.imageFile", message: "is not allowed with removeBackground=false")
            }
        }
        guard let prompt = values["background.prompt"] else {
            let companions = argumentNames.dropFirst().filter { values[$0] != nil } + (guidanceFile ? ["background.guidance.imageFile"] : [])
            if let first = companions.first {
                throw EditError.invalidArgument(argument: first, message: "is only allowed with background.prompt")
            }
            return nil
        }
        if hasBackgroundImage {
            throw EditError.invalidArgument(argument: "background.prompt",
                message: "only one of background.imageUrl, background.imageFile and background.prompt may be given")
        }
        guard !prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw EditError.invalidArgument(argument: "background.prompt", message: "must not be empty")
        }
        var options = GeneratedBackgroundOptions(prompt: prompt)
        options.modelVersion = version
        options.negativePrompt = values["background.negativePrompt"]
        if let text = values["background.seed"] {
            guard let seed = UInt32(text.trimmingCharacters(in: .whitespaces)) else {
                throw EditError.invalidArgument(argument: "background.seed", message: "must be a whole number between 0 and 4294967295, got \(text)")
            }
            options.seed = seed
        }
        // The current form is `background.expandPrompt.mode`; the bare legacy values are still accepted.
        for name in ["background.expandPrompt", "background.expandPrompt.mode"] {
            guard let text = values[name] else { continue }
            switch text {
            case "ai.auto", "auto": options.expand = .auto
            case "ai.never", "never": options.expand = .never
            default: throw EditError.invalidArgument(argument: name, message: "must be ai.auto or ai.never (legacy: auto, never), got \(text)")
            }
        }
        if guidanceURL != nil && guidanceFile {
            throw EditError.invalidArgument(argument: "background.guidance.imageUrl",
                message: "only one of background.guidance.imageUrl and background.guidance.imageFile may be given")
        }
        options.guidanceImageURL = guidanceURL
        options.guidanceImageFile = guidanceFile
        if let text = values["background.guidance.scale"] {
            guard let scale = Double(text.trimmingCharacters(in: .whitespaces)), scale.isFinite, (0...1).contains(scale) else {
                throw EditError.invalidArgument(argument: "background.guidance.scale", message: "must be a number between 0 and 1, got \(text)")
            }
            guard options.hasGuidanceImage else {
                throw EditError.invalidArgument(argument: "background.guidance.scale",
                    message: "needs background.guidance.imageUrl or background.guidance.imageFile")
            }
            options.guidanceScale = scale
        }
        return options
    }
}
