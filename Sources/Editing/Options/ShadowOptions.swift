import Foundation

/// `shadow.*` and the `pr-ai-shadows-model-version` header (spec 4.3.5), with the spec's rules: the presets and
/// the overrides belong to the 2026-04-15 model, `ai.soft`/`ai.hard`/`ai.floating` to the earlier ones, and
/// the overrides need `ai.auto-with-overrides` as well as the header.
public struct ShadowOptions: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable {
        case soft = "ai.soft", hard = "ai.hard", floating = "ai.floating"
        case presetSoft = "ai.preset-soft", presetHard = "ai.preset-hard", autoWithOverrides = "ai.auto-with-overrides"

        /// Modes that only the 2026-04-15 model has.
        var needsNewModel: Bool { [.presetSoft, .presetHard, .autoWithOverrides].contains(self) }
    }

    public static let modelHeader = "pr-ai-shadows-model-version"
    public static let newModel = "2026-04-15"
    public static let overrideNames = ["shadow.softnessOverride", "shadow.intensityOverride", "shadow.directionOverride",
                                       "shadow.spreadOverride", "shadow.subjectPoseOverride"]
    public static let argumentNames = ["shadow.mode"] + overrideNames

    static let directionPresets: [String: Double] = [
        "behind": 0, "behindLeft": 45, "left": 90, "frontLeft": 135, "front": 180, "frontRight": 225, "right": 270,
        "behindRight": 315,
    ]
    static let spreadPresets: [String: Double] = ["short": 10, "medium": 45, "long": 90]
    static let posePresets: [String: Double] = ["flatlay": 0, "upright": 90]

    public var mode: Mode
    /// 0 = hard edge … 1 = very soft.
    public var softness: Double?
    /// 0 = faint … 1 = very dark.
    public var intensity: Double?
    /// Where the shadow falls, degrees: 0 = behind the subject, 90 = to its left, 180 = in front, 270 = right.
    public var direction: Double?
    /// Shadow length, degrees: 0 = very short … 90 = very long.
    public var spread: Double?
    /// 0 = lying flat, photographed from above … 90 = standing upright.
    public var subjectPose: Double?

    public init(mode: Mode, softness: Double? = nil, intensity: Double? = nil, direction: Double? = nil,
                spread: Double? = nil, subjectPose: Double? = nil) {
        self.mode = mode
        self.softness = softness
        self.intensity = intensity
        self.direction = direction
        self.spread = spread
        self.subjectPose = subjectPose
    }

    /// nil when the request asks for no shadow.
    static func parse(_ values: [String: String], headers: [String: String]) throws -> ShadowOptions? {
        let version = headers[modelHeader]
        if let version, version != newModel {
            throw EditError.invalidArgument(argument: modelHeader, message: "must be \(newModel), got \(version)")
        }
        let newModelOn = version != nil
        guard let text = values["shadow.mode"] else {
            if let name = overrideNames.first(where: { values[$0] != nil }) {
                throw EditError.invalidArgument(argument: name, message: "needs shadow.mode=ai.auto-with-overrides and the header \(modelHeader): \(newModel)")
            }
            return nil
        }
        guard let mode = Mode(rawValue: text) else {
            throw EditError.invalidArgument(argument: "shadow.mode",
                message: "must be one of \(Mode.allCases.map(\.rawValue).joined(separator: ", ")), got \(text)")
        }
        if mode.needsNewModel && !newModelOn {
            throw EditError.invalidArgument(argument: "shadow.mode", message: "\(text) needs the header \(modelHeader): \(newModel)")
        }
        if !mode.needsNewModel && newModelOn {
            throw EditError.invalidArgument(argument: "shadow.mode",
                message: "\(text) is not available with the \(newModel) shadow model; use ai.preset-soft, ai.preset-hard or ai.auto-with-overrides")
        }
        var options = ShadowOptions(mode: mode)
        for name in overrideNames where values[name] != nil {
            guard newModelOn else {
                throw EditError.invalidArgument(argument: name, message: "needs the header \(modelHeader): \(newModel)")
            }
            guard mode == .autoWithOverrides else {
                throw EditError.invalidArgument(argument: name, message: "needs shadow.mode=ai.auto-with-overrides, got \(text)")
            }
        }
        options.softness = try number(values, "shadow.softnessOverride", in: 0...1)
        options.intensity = try number(values, "shadow.intensityOverride", in: 0...1)
        options.direction = try angle(values, "shadow.directionOverride", presets: directionPresets, range: 0...360)
        options.spread = try angle(values, "shadow.spreadOverride", presets: spreadPresets, range: 0...90)
        options.subjectPose = try angle(values, "shadow.subjectPoseOverride", presets: posePresets, range: 0...90)
        return options
    }

    static func number(_ values: [String: String], _ name: String, in range: ClosedRange<Double>) throws -> Double? {
        guard let text = values[name] else { return nil }
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, range.contains(value) else {
            throw EditError.invalidArgument(argument: name, message: "must be a number from \(Int(range.lowerBound)) to \(Int(range.upperBound)), got \(text)")
        }
        return value
    }

    static func angle(_ values: [String: String], _ name: String, presets: [String: Double], range: ClosedRange<Double>) throws -> Double? {
        guard let text = values[name] else { return nil }
        if let preset = presets[text] { return preset }
        guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, range.contains(value) else {
            let names = presets.sorted { $0.value < $1.value }.map(\.key).joined(separator: ", ")
            throw EditError.invalidArgument(argument: name,
                message: "must be degrees from \(Int(range.lowerBound)) to \(Int(range.upperBound)) or one of \(names), got \(text)")
        }
        return value
    }
}
