/// What each `/v2/edit` argument is, for people: its group, type, values, default and the rules that tie it to
/// other arguments (spec 4.3 and 4.4). The OpenAPI document is built from it, and the docs and the playground
/// are built from the OpenAPI document, so all three say the same thing. The parser stays the authority: a test
/// checks that every name here is one it accepts, and that it accepts no name missing here.
public struct ArgumentInfo: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case string, boolean, number, choice, color, length, url, file
        /// `auto`, `originalImage`, `croppedSubject` or `WIDTHxHEIGHT`.
        case size
        /// Degrees, or one of the named presets in `values`.
        case numberOrPreset
    }

    /// Another argument's state that a rule depends on: set at all, set to one of `values`, or set to a value
    /// matching `pattern` (a regular expression, e.g. a fixed output size).
    public struct Condition: Sendable, Equatable {
        public var argument: String
        public var values: [String]?
        public var pattern: String?
        public init(_ argument: String, _ values: [String]? = nil, pattern: String? = nil) {
            self.argument = argument; self.values = values; self.pattern = pattern
        }
    }

    public var name: String
    public var group: String
    public var kind: Kind
    public var summary: String
    public var values: [String] = []
    public var range: ClosedRange<Double>?
    public var defaultValue: String?
    /// The argument is only allowed when at least one of these holds.
    public var requiresAny: [Condition] = []
    /// The argument is not allowed when any of these holds.
    public var conflicts: [Condition] = []
    /// The same rules in words, plus the ones a form cannot check (headers, model versions).
    public var rules: [String] = []
}

public enum ArgumentCatalogue {
    public static let groups = ["Input", "Background removal", "Background", "AI background", "Layout", "Outline",
                                "Shadow", "Lighting", "Text removal", "Export"]

    static let noBackgroundRemoval = ArgumentInfo.Condition("removeBackground", ["false"])
    static let fixedOutputSize = ArgumentInfo.Condition("outputSize", pattern: "^[0-9]+x[0-9]+$")

    static func length(_ name: String, _ summary: String, default value: String = "0") -> ArgumentInfo {
        ArgumentInfo(name: name, group: "Layout", kind: .length,
                     summary: summary + " A ratio 0–0.49, a percentage such as `10%`, or pixels such as `100px`.",
                     defaultValue: value)
    }

    public static let all: [ArgumentInfo] = {
        var list: [ArgumentInfo] = [
            ArgumentInfo(name: "imageUrl", group: "Input", kind: .url,
                         summary: "The photo to edit, fetched by the server (GET; POST accepts it for older clients). At most 30 MB.",
                         rules: ["GET needs it; POST takes imageFile instead."]),
            ArgumentInfo(name: "imageFile", group: "Input", kind: .file, summary: "The photo to edit, uploaded (POST only). At most 30 MB."),
            ArgumentInfo(name: "apiKey", group: "Input", kind: .string,
                         summary: "The API key in the query, for GET only; the x-api-key header is preferred. Never part of a shared link."),
            ArgumentInfo(name: "removeBackground", group: "Background removal", kind: .boolean,
                         summary: "Cut the subject out; false keeps the photo's own background.", values: ["true", "false"], defaultValue: "true"),
            ArgumentInfo(name: "keepExistingAlphaChannel", group: "Background removal", kind: .choice,
                         summary: "`auto` uses the input's own transparency as the cut-out when it has one.",
                         values: ["auto", "never"], defaultValue: "never"),
            ArgumentInfo(name: "background.color", group: "Background", kind: .color,
                         summary: "A hex colour without `#` (`FF0000`, `FF0000EE` with alpha) or a colour name.", defaultValue: "transparent"),
            ArgumentInfo(name: "background.imageUrl", group: "Background", kind: .url, summary: "A background photo by URL. At most 30 MB.",
                         conflicts: [noBackgroundRemoval, .init("background.imageFile"), .init("background.prompt")],
                         rules: ["Only one of background.imageUrl, background.imageFile and background.prompt.", "Not with removeBackground=false."]),
            ArgumentInfo(name: "background.imageFile", group: "Background", kind: .file, summary: "A background photo, uploaded (POST only).",
                         conflicts: [noBackgroundRemoval, .init("background.imageUrl"), .init("background.prompt")],
                         rules: ["Only one of background.imageUrl, background.imageFile and background.prompt.", "Not with removeBackground=false."]),
            ArgumentInfo(name: "background.scaling", group: "Background", kind: .choice, summary: "How the background photo covers the canvas; `fit` leaves transparent bands.",
                         values: ["fit", "fill"], defaultValue: "fill",
                         requiresAny: [.init("background.imageUrl"), .init("background.imageFile")],
                         rules: ["Only with background.imageUrl or background.imageFile."]),
            ArgumentInfo(name: "background.blur.mode", group: "Background", kind: .choice, summary: "Blurs the photo's own background.",
                         values: ["gaussian", "bokeh"]),
            ArgumentInfo(name: "background.blur.radius", group: "Background", kind: .number, summary: "Blur strength, relative to the canvas diagonal.",
                         range: 0...0.05, defaultValue: "0.01", requiresAny: [.init("background.blur.mode")],
                         rules: ["Needs background.blur.mode; must be greater than 0."]),
            ArgumentInfo(name: "background.prompt", group: "AI background", kind: .string,
                         summary: "Describe a scene; Darkroom draws it procedurally (not a diffusion model) unless the operator set a generator URL.",
                         conflicts: [noBackgroundRemoval, .init("background.imageUrl"), .init("background.imageFile")],
                         rules: ["Only one of background.imageUrl, background.imageFile and background.prompt.", "Not with removeBackground=false."]),
            ArgumentInfo(name: "background.negativePrompt", group: "AI background", kind: .string, summary: "What the scene should avoid (model version 2 only).",
                         requiresAny: [.init("background.prompt")], rules: ["Only with background.prompt; honoured by pr-ai-background-model-version: 2."]),
            ArgumentInfo(name: "background.seed", group: "AI background", kind: .number, summary: "Repeats a scene: same seed, photo and prompt, same result. A whole number; drawn at random when absent.",
                         range: 0...4_294_967_295, requiresAny: [.init("background.prompt")], rules: ["Only with background.prompt."]),
            ArgumentInfo(name: "background.expandPrompt", group: "AI background", kind: .choice, summary: "Legacy form of background.expandPrompt.mode.",
                         values: ["auto", "never", "ai.auto", "ai.never"], requiresAny: [.init("background.prompt")], rules: ["Only with background.prompt."]),
            ArgumentInfo(name: "background.expandPrompt.mode", group: "AI background", kind: .choice, summary: "Fill in what a short prompt leaves open.",
                         values: ["ai.auto", "ai.never"], defaultValue: "ai.auto", requiresAny: [.init("background.prompt")], rules: ["Only with background.prompt."]),
            ArgumentInfo(name: "background.guidance.imageUrl", group: "AI background", kind: .url, summary: "A style guide image for the scene.",
                         requiresAny: [.init("background.prompt")], conflicts: [noBackgroundRemoval, .init("background.guidance.imageFile")],
                         rules: ["Only with background.prompt.", "Not with removeBackground=false.", "Not with background.guidance.imageFile."]),
            ArgumentInfo(name: "background.guidance.imageFile", group: "AI background", kind: .file, summary: "A style guide image, uploaded (POST only).",
                         requiresAny: [.init("background.prompt")], conflicts: [noBackgroundRemoval, .init("background.guidance.imageUrl")],
                         rules: ["Only with background.prompt.", "Not with removeBackground=false.", "Not with background.guidance.imageUrl."]),
            ArgumentInfo(name: "background.guidance.scale", group: "AI background", kind: .number, summary: "0 ignores the guide image, 1 follows it closely.",
                         range: 0...1, defaultValue: "0.6",
                         requiresAny: [.init("background.guidance.imageUrl"), .init("background.guidance.imageFile")],
                         conflicts: [noBackgroundRemoval],
                         rules: ["Only with background.prompt and a guidance image.", "Not with removeBackground=false."]),
            ArgumentInfo(name: "outputSize", group: "Layout", kind: .size,
                         summary: "`auto` (like originalImage), `originalImage`, `croppedSubject`, or `WIDTHxHEIGHT` (1–10000 each).",
                         values: ["auto", "originalImage", "croppedSubject"], defaultValue: "auto"),
            ArgumentInfo(name: "maxWidth", group: "Layout", kind: .number, summary: "Shrinks the result to this width, keeping the aspect ratio.",
                         range: 1...100_000, conflicts: [fixedOutputSize],
                         rules: ["Not with a fixed outputSize WIDTHxHEIGHT (auto, originalImage and croppedSubject take it)."]),
            ArgumentInfo(name: "maxHeight", group: "Layout", kind: .number, summary: "Shrinks the result to this height, keeping the aspect ratio.",
                         range: 1...100_000, conflicts: [fixedOutputSize],
                         rules: ["Not with a fixed outputSize WIDTHxHEIGHT (auto, originalImage and croppedSubject take it)."]),
            ArgumentInfo(name: "scaling", group: "Layout", kind: .choice, summary: "`fit` places the whole subject; `fill` covers the target area.",
                         values: ["fit", "fill"], defaultValue: "fit"),
        ]
        list.append(length("padding", "Space between the subject and the canvas edges, inside the margin."))
        for side in ["Top", "Right", "Bottom", "Left"] {
            list.append(length("padding" + side, "Padding on one side; overrides padding.", default: "padding"))
        }
        list.append(length("margin", "Space at the canvas edges that the subject never enters, even on cropped sides."))
        for side in ["Top", "Right", "Bottom", "Left"] {
            list.append(length("margin" + side, "Margin on one side; overrides margin.", default: "margin"))
        }
        list += [
            ArgumentInfo(name: "referenceBox", group: "Layout", kind: .choice,
                         summary: "What padding and margin surround: the subject, or the whole original photo (keeping the subject where it was).",
                         values: ["subjectBox", "originalImage"], defaultValue: "subjectBox", conflicts: [noBackgroundRemoval],
                         rules: ["Not with removeBackground=false."]),
            ArgumentInfo(name: "ignorePaddingAndSnapOnCroppedSides", group: "Layout", kind: .boolean,
                         summary: "A subject cut off by the photo's frame touches the canvas edge on that side (padding ignored, margin kept).",
                         values: ["true", "false"], defaultValue: "true", conflicts: [noBackgroundRemoval], rules: ["Not with removeBackground=false."]),
            ArgumentInfo(name: "horizontalAlignment", group: "Layout", kind: .choice, summary: "Where the subject sits across; setting it turns snapping off horizontally.",
                         values: ["left", "center", "right"], defaultValue: "center"),
            ArgumentInfo(name: "verticalAlignment", group: "Layout", kind: .choice, summary: "Where the subject sits down; setting it turns snapping off vertically.",
                         values: ["top", "center", "bottom"], defaultValue: "center"),
            ArgumentInfo(name: "outline.color", group: "Outline", kind: .color, summary: "Draws an outline around the subject in this colour."),
            ArgumentInfo(name: "outline.width", group: "Outline", kind: .number, summary: "Outline width as a fraction of the image size.",
                         range: 0...0.1, defaultValue: "0.03", requiresAny: [.init("outline.color")], rules: ["Needs outline.color."]),
            ArgumentInfo(name: "outline.blurRadius", group: "Outline", kind: .number, summary: "Softens the outline into a glow.",
                         range: 0...0.025, defaultValue: "0", requiresAny: [.init("outline.color")], rules: ["Needs outline.color."]),
            ArgumentInfo(name: "shadow.mode", group: "Shadow", kind: .choice, summary: "Casts a shadow from the subject's silhouette.",
                         values: ShadowOptions.Mode.allCases.map(\.rawValue),
                         rules: ["ai.preset-soft, ai.preset-hard and ai.auto-with-overrides need the header pr-ai-shadows-model-version: 2026-04-15; ai.soft, ai.hard and ai.floating must be sent without it."]),
        ]
        let overrides: [(String, String, [String: Double])] = [
            ("shadow.softnessOverride", "0 is a hard edge, 1 very soft.", [:]),
            ("shadow.intensityOverride", "0 is faint, 1 very dark.", [:]),
            ("shadow.directionOverride", "Degrees: 0 behind the subject, 90 to its left, 180 in front, 270 right; or a preset.", ShadowOptions.directionPresets),
            ("shadow.spreadOverride", "Degrees: 0 very short … 90 very long; or a preset.", ShadowOptions.spreadPresets),
            ("shadow.subjectPoseOverride", "Degrees: 0 lying flat … 90 upright; or a preset.", ShadowOptions.posePresets),
        ]
        for (name, summary, presets) in overrides {
            list.append(ArgumentInfo(name: name, group: "Shadow", kind: presets.isEmpty ? .number : .numberOrPreset, summary: summary,
                                     values: presets.sorted { $0.value < $1.value }.map(\.key),
                                     range: presets.isEmpty ? 0...1 : 0...360,
                                     requiresAny: [.init("shadow.mode", [ShadowOptions.Mode.autoWithOverrides.rawValue])],
                                     rules: ["Needs shadow.mode=ai.auto-with-overrides and the header pr-ai-shadows-model-version: 2026-04-15."]))
        }
        list += [
            ArgumentInfo(name: "lighting.mode", group: "Lighting", kind: .choice, summary: "Relights the subject to sit in its new background.",
                         values: LightingMode.allCases.map(\.rawValue)),
            ArgumentInfo(name: "textRemoval.mode", group: "Text removal", kind: .choice,
                         summary: "Removes overlaid text (watermarks, promo text), text in the scene (signs), or both.",
                         values: ["ai.artificial", "ai.natural", "ai.all"]),
            ArgumentInfo(name: "export.format", group: "Export", kind: .choice, summary: "Encoding of the result (JPEG 80, WebP 90, AVIF 90).",
                         values: ["png", "jpeg", "jpg", "webp", "avif"], defaultValue: "png"),
            ArgumentInfo(name: "export.dpi", group: "Export", kind: .number, summary: "Pixel density written into the file.", range: 72...1200),
            ArgumentInfo(name: "preserveMetadata", group: "Export", kind: .choice, summary: "Only `never` is implemented; other values answer 501.",
                         values: ["never"], defaultValue: "never"),
            ArgumentInfo(name: "colorSpace", group: "Export", kind: .choice, summary: "Only `sRGB` is implemented; `original` answers 501.",
                         values: ["sRGB"], defaultValue: "sRGB"),
        ]
        return list
    }()

    public static func info(_ name: String) -> ArgumentInfo? { all.first { $0.name == name } }
}
