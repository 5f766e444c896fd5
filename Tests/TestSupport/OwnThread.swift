import Foundation

/// Runs long synchronous work (model inference over many photos) on a thread of its own. Swift Testing runs
/// synchronous tests on the cooperative pool, which has one thread per core: on a 2-core machine two such tests
/// starve every async test beside them (a loopback fetch then outlives its own timeout).
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}
