import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// ONNX Runtime's C function table, reached through `dlopen` so that no header or import library is needed.
/// Slot numbers come from the verified ABI notes (shared/reference/onnxruntime-c-abi.md); the table is
/// append-only, so they never move between releases.
struct API: @unchecked Sendable {
    /// The lowest API version that contains every slot used below (all are from API 1).
    static let requiredVersion: UInt32 = 1

    let handle: UnsafeMutableRawPointer
    let table: UnsafePointer<UnsafeRawPointer?>
    let version: String

    typealias GetApiBaseFn = @convention(c) () -> UnsafeRawPointer?
    typealias GetApiFn = @convention(c) (UInt32) -> UnsafeRawPointer?
    typealias GetVersionFn = @convention(c) () -> UnsafePointer<CChar>?

    static func load(path: String) throws -> API {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ORTError(code: 0, message: "ONNX Runtime library not found at \(path); run scripts/setup or set DARKROOM_ORT_LIBRARY")
        }
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw ORTError(code: 0, message: "cannot load \(path): \(String(cString: dlerror()))")
        }
        guard let symbol = dlsym(handle, "OrtGetApiBase"),
              let base = unsafeBitCast(symbol, to: GetApiBaseFn.self)() else {
            throw ORTError(code: 0, message: "\(path) has no OrtGetApiBase: not an ONNX Runtime library")
        }
        let getApi = unsafeBitCast(base.load(as: UnsafeRawPointer.self), to: GetApiFn.self)
        let getVersion = unsafeBitCast(base.load(fromByteOffset: 8, as: UnsafeRawPointer.self), to: GetVersionFn.self)
        guard let raw = getApi(requiredVersion) else {
            throw ORTError(code: 0, message: "ONNX Runtime at \(path) is too old for API \(requiredVersion)")
        }
        let version = getVersion().map { String(cString: $0) } ?? "unknown"
        return API(handle: handle, table: UnsafePointer(raw.assumingMemoryBound(to: UnsafeRawPointer?.self)), version: version)
    }

    func function<F>(_ slot: Int, as type: F.Type) -> F {
        unsafeBitCast(table[slot]!, to: type)
    }

    // Signatures of the slots used (C → Swift: handles are OpaquePointer, size_t is Int, enums are Int32).
    typealias StatusFn = @convention(c) (OpaquePointer?) -> OpaquePointer?
    typealias ReleaseFn = @convention(c) (OpaquePointer?) -> Void
    typealias GetErrorCodeFn = @convention(c) (OpaquePointer?) -> Int32
    typealias GetErrorMessageFn = @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
    typealias CreateEnvFn = @convention(c) (Int32, UnsafePointer<CChar>?, UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer?
    typealias CreateSessionFn = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer?
    typealias RunFn = @convention(c) (OpaquePointer?, OpaquePointer?, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<OpaquePointer?>?, Int,
                                      UnsafePointer<UnsafePointer<CChar>?>?, Int, UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer?
    typealias CreateOutFn = @convention(c) (UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer?
    typealias SetIntFn = @convention(c) (OpaquePointer?, Int32) -> OpaquePointer?
    typealias ConfigEntryFn = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> OpaquePointer?
    typealias CountFn = @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int>?) -> OpaquePointer?
    typealias TypeInfoFn = @convention(c) (OpaquePointer?, Int, UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer?
    typealias NameFn = @convention(c) (OpaquePointer?, Int, OpaquePointer?, UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> OpaquePointer?
    typealias CreateTensorWithDataFn = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int, UnsafePointer<Int64>?, Int, Int32,
                                                       UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer?
    typealias GetMutableDataFn = @convention(c) (OpaquePointer?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> OpaquePointer?
    typealias CastTypeInfoFn = @convention(c) (OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer?
    typealias ElementTypeFn = @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int32>?) -> OpaquePointer?
    typealias DimensionsFn = @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int64>?, Int) -> OpaquePointer?
    typealias CreateCpuMemoryInfoFn = @convention(c) (Int32, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> OpaquePointer?
    typealias AllocatorFreeFn = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> OpaquePointer?

    enum Slot {
        static let getErrorCode = 1, getErrorMessage = 2, createEnv = 3, createSession = 7, run = 9
        static let createSessionOptions = 10, setExecutionMode = 13, setGraphOptimization = 23
        static let enableCpuMemArena = 18, disableCpuMemArena = 19
        static let setIntraOpThreads = 24, setInterOpThreads = 25
        /// API 5; the loaded library is 1.32, whose table has it.
        static let addSessionConfigEntry = 130
        static let inputCount = 30, outputCount = 31, inputTypeInfo = 33, outputTypeInfo = 34
        static let inputName = 36, outputName = 37
        static let createTensorWithData = 49, getTensorMutableData = 51, castTypeInfoToTensorInfo = 55
        static let getElementType = 60, getDimensionsCount = 61, getDimensions = 62
        static let getTensorTypeAndShape = 65, createCpuMemoryInfo = 69, allocatorFree = 76
        static let defaultAllocator = 78
        static let releaseEnv = 92, releaseStatus = 93, releaseMemoryInfo = 94, releaseSession = 95
        static let releaseValue = 96, releaseTypeInfo = 98, releaseTensorTypeAndShapeInfo = 99
        static let releaseSessionOptions = 100
    }

    /// Turns a returned status into a thrown error (releasing it); nil means success.
    func check(_ status: OpaquePointer?) throws {
        guard let status else { return }
        let code = function(Slot.getErrorCode, as: GetErrorCodeFn.self)(status)
        let message = function(Slot.getErrorMessage, as: GetErrorMessageFn.self)(status).map { String(cString: $0) } ?? ""
        release(Slot.releaseStatus, status)
        throw ORTError(code: code, message: message)
    }

    func release(_ slot: Int, _ handle: OpaquePointer?) {
        function(slot, as: ReleaseFn.self)(handle)
    }
}
