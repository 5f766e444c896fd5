/// An ONNX Runtime failure with its error code and message, or a problem loading the runtime itself.
public struct ORTError: Error, CustomStringConvertible, Equatable {
    /// OrtErrorCode: 1 FAIL, 2 INVALID_ARGUMENT, 3 NO_SUCHFILE, 7 INVALID_PROTOBUF, …; 0 for binding-side errors.
    public var code: Int32
    public var message: String

    public init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }

    public static let noSuchFile: Int32 = 3
    public static let invalidArgument: Int32 = 2
    public static let invalidProtobuf: Int32 = 7

    public var description: String { "ONNX Runtime error \(code): \(message)" }
}
