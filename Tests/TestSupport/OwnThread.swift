import Foundation

/// Runs long synchronous work (model inference over many photos) on a thread of its own. Swift Testing runs
/// synchronous tests on the cooperative pool, which has one thread per core: on a 2-core machine two such tests
/// starve every async test beside them (a loopback fetch then outlives its own timeout).
///
/// The work stays inside the calling test's task, moved onto the thread by a task-executor preference, rather
/// than handed to a detached thread: the test's task-locals come with it, so an `#expect` that fails in it is
/// reported under the test's name instead of as «unknown» (a CI log then named only the count of issues).
public func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    let thread = OwnThreadExecutor()
    defer { thread.stop() }
    return try await withTaskExecutorPreference(thread) { try await runHere(work) }
}

/// Nonisolated and async, so it runs on the preferred task executor, not on the caller's.
@concurrent private func runHere<T: Sendable>(_ work: @Sendable () throws -> T) async throws -> T { try work() }

/// A task executor that runs its jobs, in order, on one thread it owns until `stop()`.
final class OwnThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopped = false

    init() {
        let thread = Thread { [self] in runJobs() }
        thread.stackSize = 8 << 20
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func runJobs() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopped { condition.wait() }
            if jobs.isEmpty { condition.unlock(); return }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
