/// A request that cannot be honoured, with the argument to blame and a message safe to show the caller.
public enum EditError: Error, Equatable, CustomStringConvertible {
    /// 400: the value of `argument` is not acceptable, or it conflicts with another argument.
    case invalidArgument(argument: String, message: String)
    /// 400: a required input is missing.
    case missing(argument: String, message: String)
    /// 501: Darkroom recognises the argument but does not implement the effect yet.
    case notImplemented(argument: String)
    /// 501: the effect is implemented but this server lacks what it needs (e.g. a model file that is not installed).
    case unavailable(argument: String, message: String)
    /// 503: the request ran past its deadline (checked between two steps).
    case deadlineExceeded(step: String)
    /// 502: the operator's background generator failed or answered something unusable.
    case backgroundGeneratorFailed(message: String)

    public var description: String {
        switch self {
        case .invalidArgument(let argument, let message): return "\(argument): \(message)"
        case .missing(let argument, let message): return "\(argument): \(message)"
        case .notImplemented(let argument):
            return "\(argument): this effect is not implemented by this Darkroom server yet"
        case .unavailable(let argument, let message): return "\(argument): \(message)"
        case .deadlineExceeded(let step): return "the request ran past its deadline (during \(step))"
        case .backgroundGeneratorFailed(let message): return "background.prompt: the background generator failed: \(message)"
        }
    }
}
