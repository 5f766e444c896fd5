import Foundation
import NIOPosix

/// At most `workers` image jobs run at once and at most `queueLength` wait; a job beyond that is refused
/// at once (the route answers 429), so memory stays bounded under overload. Jobs run on threads of their own
/// — neither the cooperative pool that serves requests nor NIO's shared blocking pool, where DNS lookups and
/// file I/O would otherwise queue behind long image jobs.
public actor WorkerPool {
    public struct Busy: Error {}

    let workers: Int
    let queueLength: Int
    private let threads: NIOThreadPool
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(workers: Int, queueLength: Int) {
        self.workers = workers
        self.queueLength = queueLength
        threads = NIOThreadPool(numberOfThreads: max(1, workers))
        threads.start()
    }

    deinit { threads.shutdownGracefully { _ in } }

    /// Jobs running plus jobs waiting.
    public var depth: Int { running + waiting.count }

    public func run<T: Sendable>(_ job: @escaping @Sendable () throws -> T) async throws -> T {
        try await acquire()
        defer { release() }
        return try await threads.runIfActive(job)
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
