import Foundation

/// A loaded ONNX Runtime library and its process-wide environment. ORT's environment is a singleton,
/// so one `Runtime` per library path is created and then shared.
public final class Runtime: @unchecked Sendable {
    let api: API
    let environment: OpaquePointer
    /// The library's own version string, e.g. "1.32.0".
    public var version: String { api.version }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var loaded: [String: Runtime] = [:]

    /// The runtime at `libraryPath`, loading it on first use.
    public static func shared(libraryPath: String) throws -> Runtime {
        lock.lock()
        defer { lock.unlock() }
        if let runtime = loaded[libraryPath] { return runtime }
        let runtime = try Runtime(libraryPath: libraryPath)
        loaded[libraryPath] = runtime
        return runtime
    }

    private init(libraryPath: String) throws {
        api = try API.load(path: libraryPath)
        var env: OpaquePointer?
        // Level 3 (ERROR): ORT's warnings are noise for a server's logs.
        try api.check(api.function(API.Slot.createEnv, as: API.CreateEnvFn.self)(3, "darkroom", &env))
        guard let env else { throw ORTError(code: 0, message: "CreateEnv returned no environment") }
        environment = env
    }

    // The environment lives as long as the process: sessions may outlive any particular caller.
}
