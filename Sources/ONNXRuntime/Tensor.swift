/// A dense Float32 tensor: its shape and its values in row-major order.
public struct Tensor: Sendable, Equatable {
    public var shape: [Int]
    public var values: [Float]

    public init(shape: [Int], values: [Float]) throws {
        let count = shape.reduce(1, *)
        guard shape.allSatisfy({ $0 > 0 }), count == values.count else {
            throw ORTError(code: ORTError.invalidArgument,
                           message: "tensor shape \(shape) holds \(count) values, \(values.count) were given")
        }
        self.shape = shape
        self.values = values
    }
}

/// What a model declares for one of its inputs or outputs. Dynamic dimensions are -1.
public struct TensorInfo: Sendable, Equatable {
    public var name: String
    public var shape: [Int64]
    /// ONNXTensorElementDataType: 1 is FLOAT.
    public var elementType: Int32

    public static let float: Int32 = 1

    /// Whether a tensor of `shape` can be fed where this is declared.
    public func accepts(_ shape: [Int]) -> Bool {
        shape.count == self.shape.count && zip(shape, self.shape).allSatisfy { $1 < 0 || Int64($0) == $1 }
    }
}
