/// What can go wrong with an image. Each case carries a message that is safe to show to the caller.
public enum ImagingError: Error, Equatable, CustomStringConvertible {
    /// The bytes are not an image in a format Darkroom accepts.
    case unsupportedFormat(String)
    /// The input is empty.
    case empty
    /// The header declares more pixels than allowed; nothing was decoded.
    case tooManyPixels(width: Int, height: Int, limit: Int)
    /// libvips failed while decoding (corrupt or truncated data).
    case decodeFailed(String)
    /// libvips failed in an operation; `operation` names it, `message` is libvips' own text.
    case operationFailed(operation: String, message: String)
    /// A caller passed a value no operation can use.
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .unsupportedFormat(let detail): return "unsupported image format: \(detail)"
        case .empty: return "the image is empty (0 bytes)"
        case .tooManyPixels(let w, let h, let limit):
            return "image is \(w)x\(h) = \(w * h) pixels, over the limit of \(limit) pixels"
        case .decodeFailed(let message): return "the image could not be decoded: \(message)"
        case .operationFailed(let operation, let message): return "\(operation) failed: \(message)"
        case .invalidArgument(let message): return message
        }
    }
}
