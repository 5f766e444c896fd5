import Foundation

/// A padding or margin length: a ratio of a reference size, a percentage, or pixels.
public enum Length: Sendable, Equatable {
    case ratio(Double)
    case pixels(Double)

    public static let zero = Length.ratio(0)

    /// Pixels of this length against `reference` pixels.
    public func pixels(of reference: Double) -> Double {
        switch self {
        case .ratio(let r): return r * reference
        case .pixels(let p): return p
        }
    }

    /// Parses `0.1`, `"10%"` or `"100px"`. Ratios and percentages must stay under half (0–0.49).
    public static func parse(_ text: String, argument: String) throws -> Length {
        let value = text.trimmingCharacters(in: .whitespaces)
        func number(_ s: Substring) -> Double? { Double(s).flatMap { $0.isFinite ? $0 : nil } }
        if value.hasSuffix("px"), let px = number(value.dropLast(2)) {
            guard px >= 0, px <= 100_000 else {
                throw EditError.invalidArgument(argument: argument, message: "pixels must be between 0px and 100000px, got \(text)")
            }
            return .pixels(px)
        }
        if value.hasSuffix("%"), let percent = number(value.dropLast()) {
            guard percent >= 0, percent <= 49 else {
                throw EditError.invalidArgument(argument: argument, message: "a percentage must be between 0% and 49%, got \(text)")
            }
            return .ratio(percent / 100)
        }
        if let ratio = number(Substring(value)) {
            guard ratio >= 0, ratio <= 0.49 else {
                throw EditError.invalidArgument(argument: argument, message: "a ratio must be between 0 and 0.49, got \(text)")
            }
            return .ratio(ratio)
        }
        throw EditError.invalidArgument(argument: argument, message: "must be a ratio (0.1), a percentage (\"10%\") or pixels (\"100px\"), got \(text)")
    }
}

/// Four lengths, one per side.
public struct Insets: Sendable, Equatable {
    public var top: Length, right: Length, bottom: Length, left: Length
    public init(_ all: Length = .zero) { top = all; right = all; bottom = all; left = all }
    public init(top: Length, right: Length, bottom: Length, left: Length) {
        self.top = top; self.right = right; self.bottom = bottom; self.left = left
    }
}
