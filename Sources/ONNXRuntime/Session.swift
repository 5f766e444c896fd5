import Foundation

/// A model loaded once and run by any number of callers at once (ORT's `Run` is thread-safe).
public final class Session: @unchecked Sendable {
    public struct Options: Sendable {
        /// Threads inside one operator; 0 lets ORT choose (one per core).
        public var intraOpThreads: Int
        public var interOpThreads: Int
        /// GraphOptimizationLevel: 0 none, 1 basic, 2 extended, 99 all.
        public var optimizationLevel: Int32

        /// Let idle intra-op threads spin-wait for the next operator (ORT's default). Off, they sleep: better
        /// when several sessions or image work share the cores.
        public var allowSpinning: Bool
        /// ORT's CPU memory arena (default on): faster allocation, memory kept for the session's life.
        public var memoryArena: Bool

        public init(intraOpThreads: Int = 0, interOpThreads: Int = 1, optimizationLevel: Int32 = 99,
                    allowSpinning: Bool = true, memoryArena: Bool = true) {
            self.intraOpThreads = intraOpThreads
            self.interOpThreads = interOpThreads
            self.optimizationLevel = optimizationLevel
            self.allowSpinning = allowSpinning
            self.memoryArena = memoryArena
        }
    }

    public let runtime: Runtime
    public let modelPath: String
    public let inputs: [TensorInfo]
    public let outputs: [TensorInfo]
    private let handle: OpaquePointer
    private let inputNames: [UnsafeMutablePointer<CChar>]
    private let outputNames: [UnsafeMutablePointer<CChar>]
    private var api: API { runtime.api }

    public init(modelPath: String, runtime: Runtime, options: Options = Options()) throws {
        self.runtime = runtime
        self.modelPath = modelPath
        let api = runtime.api
        guard FileManager.default.fileExists(atPath: modelPath) else {
            throw ORTError(code: ORTError.noSuchFile, message: "model file not found: \(modelPath)")
        }
        var sessionOptions: OpaquePointer?
        try api.check(api.function(API.Slot.createSessionOptions, as: API.CreateOutFn.self)(&sessionOptions))
        defer { api.release(API.Slot.releaseSessionOptions, sessionOptions) }
        try api.check(api.function(API.Slot.setIntraOpThreads, as: API.SetIntFn.self)(sessionOptions, Int32(options.intraOpThreads)))
        try api.check(api.function(API.Slot.setInterOpThreads, as: API.SetIntFn.self)(sessionOptions, Int32(options.interOpThreads)))
        try api.check(api.function(API.Slot.setGraphOptimization, as: API.SetIntFn.self)(sessionOptions, options.optimizationLevel))
        try api.check(api.function(API.Slot.addSessionConfigEntry, as: API.ConfigEntryFn.self)(
            sessionOptions, "session.intra_op.allow_spinning", options.allowSpinning ? "1" : "0"))
        let arena = options.memoryArena ? API.Slot.enableCpuMemArena : API.Slot.disableCpuMemArena
        try api.check(api.function(arena, as: API.StatusFn.self)(sessionOptions))

        var session: OpaquePointer?
        try api.check(api.function(API.Slot.createSession, as: API.CreateSessionFn.self)(runtime.environment, modelPath, sessionOptions, &session))
        guard let session else { throw ORTError(code: 0, message: "CreateSession returned no session") }
        handle = session
        do {
            inputs = try Session.describe(api, session, countSlot: API.Slot.inputCount, nameSlot: API.Slot.inputName, typeSlot: API.Slot.inputTypeInfo)
            outputs = try Session.describe(api, session, countSlot: API.Slot.outputCount, nameSlot: API.Slot.outputName, typeSlot: API.Slot.outputTypeInfo)
        } catch {
            api.release(API.Slot.releaseSession, session)
            throw error
        }
        // Run takes C string arrays; these stay valid for the session's life.
        inputNames = inputs.map { strdup($0.name) }
        outputNames = outputs.map { strdup($0.name) }
    }

    deinit {
        api.release(API.Slot.releaseSession, handle)
        inputNames.forEach { free($0) }
        outputNames.forEach { free($0) }
    }

    /// Runs the model on `feeds` (one tensor per input name) and returns the requested outputs (all by default).
    public func run(_ feeds: [String: Tensor], outputs wanted: [String]? = nil) throws -> [String: Tensor] {
        for info in inputs where feeds[info.name] == nil {
            throw ORTError(code: ORTError.invalidArgument, message: "missing input '\(info.name)'")
        }
        for (name, tensor) in feeds {
            guard let info = inputs.first(where: { $0.name == name }) else {
                throw ORTError(code: ORTError.invalidArgument,
                               message: "unknown input '\(name)'; the model takes \(inputs.map(\.name))")
            }
            guard info.accepts(tensor.shape) else {
                throw ORTError(code: ORTError.invalidArgument,
                               message: "input '\(name)' has shape \(tensor.shape), the model expects \(info.shape)")
            }
        }
        let outputIndices = try (wanted ?? outputs.map(\.name)).map { name in
            guard let index = outputs.firstIndex(where: { $0.name == name }) else {
                throw ORTError(code: ORTError.invalidArgument, message: "unknown output '\(name)'")
            }
            return index
        }

        var memoryInfo: OpaquePointer?
        // OrtArenaAllocator (1), OrtMemTypeDefault (0).
        try api.check(api.function(API.Slot.createCpuMemoryInfo, as: API.CreateCpuMemoryInfoFn.self)(1, 0, &memoryInfo))
        defer { api.release(API.Slot.releaseMemoryInfo, memoryInfo) }

        // ORT wraps input buffers without copying: they must stay put until the values are released.
        var buffers: [UnsafeMutableBufferPointer<Float>] = []
        var values: [OpaquePointer?] = []
        var names: [UnsafePointer<CChar>?] = []
        defer {
            values.forEach { api.release(API.Slot.releaseValue, $0) }
            buffers.forEach { $0.deallocate() }
        }
        for (index, info) in inputs.enumerated() {
            let tensor = feeds[info.name]!
            let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: tensor.values.count)
            _ = buffer.initialize(from: tensor.values)
            buffers.append(buffer)
            let shape = tensor.shape.map(Int64.init)
            var value: OpaquePointer?
            try shape.withUnsafeBufferPointer { dims in
                try api.check(api.function(API.Slot.createTensorWithData, as: API.CreateTensorWithDataFn.self)(
                    memoryInfo, UnsafeMutableRawPointer(buffer.baseAddress), buffer.count * MemoryLayout<Float>.stride,
                    dims.baseAddress, dims.count, TensorInfo.float, &value))
            }
            values.append(value)
            names.append(UnsafePointer(inputNames[index]))
        }

        let outputNamePointers: [UnsafePointer<CChar>?] = outputIndices.map { UnsafePointer(outputNames[$0]) }
        var results = [OpaquePointer?](repeating: nil, count: outputIndices.count)
        defer { results.forEach { api.release(API.Slot.releaseValue, $0) } }
        try api.check(api.function(API.Slot.run, as: API.RunFn.self)(
            handle, nil, names, values, values.count, outputNamePointers, outputNamePointers.count, &results))

        var tensors: [String: Tensor] = [:]
        for (position, index) in outputIndices.enumerated() {
            tensors[outputs[index].name] = try copyTensor(results[position], name: outputs[index].name)
        }
        return tensors
    }

    private func copyTensor(_ value: OpaquePointer?, name: String) throws -> Tensor {
        var shapeInfo: OpaquePointer?
        try api.check(api.function(API.Slot.getTensorTypeAndShape, as: API.CastTypeInfoFn.self)(value, &shapeInfo))
        defer { api.release(API.Slot.releaseTensorTypeAndShapeInfo, shapeInfo) }
        let (shape, elementType) = try Session.shape(api, shapeInfo)
        guard elementType == TensorInfo.float else {
            throw ORTError(code: 0, message: "output '\(name)' has element type \(elementType); only float outputs are supported")
        }
        var data: UnsafeMutableRawPointer?
        try api.check(api.function(API.Slot.getTensorMutableData, as: API.GetMutableDataFn.self)(value, &data))
        let dims = shape.map { Int($0) }
        let count = dims.reduce(1, *)
        let floats = data.map { Array(UnsafeBufferPointer(start: $0.assumingMemoryBound(to: Float.self), count: count)) } ?? []
        return try Tensor(shape: dims, values: floats)
    }

    private static func shape(_ api: API, _ info: OpaquePointer?) throws -> ([Int64], Int32) {
        var elementType: Int32 = 0
        try api.check(api.function(API.Slot.getElementType, as: API.ElementTypeFn.self)(info, &elementType))
        var rank = 0
        try api.check(api.function(API.Slot.getDimensionsCount, as: API.CountFn.self)(info, &rank))
        var dims = [Int64](repeating: 0, count: rank)
        try dims.withUnsafeMutableBufferPointer {
            try api.check(api.function(API.Slot.getDimensions, as: API.DimensionsFn.self)(info, $0.baseAddress, rank))
        }
        return (dims, elementType)
    }

    private static func describe(_ api: API, _ session: OpaquePointer, countSlot: Int, nameSlot: Int, typeSlot: Int) throws -> [TensorInfo] {
        var count = 0
        try api.check(api.function(countSlot, as: API.CountFn.self)(session, &count))
        var allocator: OpaquePointer?
        try api.check(api.function(API.Slot.defaultAllocator, as: API.CreateOutFn.self)(&allocator))
        return try (0..<count).map { index in
            var cName: UnsafeMutablePointer<CChar>?
            try api.check(api.function(nameSlot, as: API.NameFn.self)(session, index, allocator, &cName))
            let name = cName.map { String(cString: $0) } ?? ""
            try api.check(api.function(API.Slot.allocatorFree, as: API.AllocatorFreeFn.self)(allocator, cName))

            var typeInfo: OpaquePointer?
            try api.check(api.function(typeSlot, as: API.TypeInfoFn.self)(session, index, &typeInfo))
            defer { api.release(API.Slot.releaseTypeInfo, typeInfo) }
            var tensorInfo: OpaquePointer?  // borrowed from typeInfo: never released
            try api.check(api.function(API.Slot.castTypeInfoToTensorInfo, as: API.CastTypeInfoFn.self)(typeInfo, &tensorInfo))
            guard tensorInfo != nil else { return TensorInfo(name: name, shape: [], elementType: 0) }
            let (shape, elementType) = try shape(api, tensorInfo)
            return TensorInfo(name: name, shape: shape, elementType: elementType)
        }
    }
}
