import Foundation
import NIOPosix
import NIOConcurrencyHelpers

/// At most `workers` image jobs run at once and at most `queueLength` wait; a job beyond that is refused
/// at once (the route answers 429), so memory stays bounded under overload. Jobs run on threads of their own
/// — neither the cooperative pool that serves requests nor NIO's shared blocking pool, where DNS lookups and
/// file I/O would otherwise queue behind long image jobs.
public actor WorkerPool {
    public struct Busy: Error {}

    /// A place held for one request from before its upload or download is read until its job starts, so a
    /// request the server has no room for is refused before its body costs anything (imgproxy's order: the
    /// semaphore before the download). A route's `Services.guarded` takes it; `run` uses it.
    public final class Admission: Sendable {
        private let used = NIOLockedValueBox(false)
        /// Marks the place as taken by a job; false when it already was.
        func use() -> Bool { used.withLockedValue { was in let first = !was; was = true; return first } }
    }
    @TaskLocal public static var admission: Admission?

    let workers: Int
    let queueLength: Int
    private let threads: NIOThreadPool
    private var running = 0
    /// Requests holding a place while they read their images.
    private var admitted = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(workers: Int, queueLength: Int) {
        self.workers = workers
        self.queueLength = queueLength
        threads = NIOThreadPool(numberOfThreads: max(1, workers))
        threads.start()
    }

    deinit { threads.shutdownGracefully { _ in } }

    /// Jobs running, jobs waiting, and requests holding a place while they read their images.
    public var depth: Int { running + waiting.count + admitted }

    /// Holds a place for a request that will run a job, or throws `Busy` when every place is taken.
    public func admit() throws -> Admission {
        guard running + waiting.count + admitted < workers + queueLength else { throw Busy() }
        admitted += 1
        return Admission()
    }

    /// Gives back a place that no job used (the request failed before its job).
    public func withdraw(_ admission: Admission) {
        if admission.use() { admitted -= 1 }
    }

    public func run<T: Sendable>(_ job: @escaping @Sendable () throws -> T) async throws -> T {
        try await acquire(holding: Self.admission)
        defer { release() }
        return try await threads.runIfActive(job)
    }

    private func acquire(holding admission: Admission?) async throws {
        let holdsPlace = admission?.use() ?? false
        if holdsPlace { admitted -= 1 }
        if running < workers { running += 1; return }
        guard holdsPlace || waiting.count < queueLength else { throw Busy() }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
    }
}
