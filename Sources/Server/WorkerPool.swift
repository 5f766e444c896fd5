import Foundation
import NIOPosix

/// At most `workers` image jobs run at once and at most `queueLength` wait; a job beyond that is refused
/// at once (the route answers 429), so memory stays bounded under overload. Jobs run on NIO's blocking
/// thread pool, never on the cooperative pool that serves requests.
public actor WorkerPool {
    public struct Busy: Error {}

    let workers: Int
    let queueLength: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(workers: Int, queueLength: Int) {
        self.workers = workers
        self.queueLength = queueLength
    }

    /// Jobs running plus jobs waiting.
    public var depth: Int { running + waiting.count }

    public func run<T: Sendable>(_ job: @escaping @Sendable () throws -> T) async throws -> T {
        try await acquire()
        defer { release() }
        return try await NIOThreadPool.singleton.runIfActive(job)
    }

    private func acquire() async throws {
        if running < workers { running += 1; return }
        guard waiting.count < queueLength else { throw Busy() }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
    }
}
