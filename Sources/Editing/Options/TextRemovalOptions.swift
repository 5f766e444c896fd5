import Vision

/// `textRemoval.mode` (spec 4.3.6): which texts to remove from the original photo.
public enum TextRemovalMode: String, Sendable, Equatable, CaseIterable {
    case artificial = "ai.artificial"
    case natural = "ai.natural"
    case all = "ai.all"

    /// The kinds of text this mode removes.
    public var kinds: Set<TextKind> {
        switch self {
        case .artificial: return [.artificial]
        case .natural: return [.natural]
        case .all: return [.artificial, .natural]
        }
    }

    static let argumentNames = ["textRemoval.mode"]

    static func parse(_ values: [String: String]) throws -> TextRemovalMode? {
        guard let text = values["textRemoval.mode"] else { return nil }
        guard let mode = TextRemovalMode(rawValue: text) else {
            throw EditError.invalidArgument(argument: "textRemoval.mode",
                message: "must be ai.artificial, ai.natural or ai.all, got \(text)")
        }
        return mode
    }
}
