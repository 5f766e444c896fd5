import Dispatch
import Foundation
import Imaging
import NIOConcurrencyHelpers

/// What `/health` checks: a libvips round trip and a real inference of the model on a blank input. The probe
/// runs on a thread of its own, so that a timeout can abandon it — a probe stuck in libvips or the runtime
/// must not hold the answer. A report is reused for `cacheLifetime`; after that one probe refreshes it while
/// the callers still get the last report, as long as it is younger than `staleLimit`: a node whose cores are
/// all busy with images is slow, not dead, and must not look dead to its load balancer.
enum HealthProbe {
    static let cacheLifetime: Duration = .seconds(5)
    static let staleLimit: Duration = .seconds(60)
    private static let cache = NIOLockedValueBox<(at: ContinuousClock.Instant, report: [String: String])?>(nil)
    private static let refreshing = NIOLockedValueBox(false)

    struct TimedOut: Error, CustomStringConvertible {
        var limit: Duration
        var description: String { "health check took longer than \(limit)" }
    }

    static func report(_ services: Services, timeout: Duration) async throws -> [String: String] {
        let cached = cache.withLockedValue { $0 }
        if let cached, ContinuousClock.now - cached.at < cacheLifetime { return cached.report }
        if let cached, ContinuousClock.now - cached.at < staleLimit {
            // Serve the recent report now; one probe in the background brings it up to date.
            if refreshing.withLockedValue({ busy in let first = !busy; busy = true; return first }) {
                Task.detached {
                    _ = try? await refresh(services, timeout: staleLimit)
                    refreshing.withLockedValue { $0 = false }
                }
            }
            return cached.report
        }
        return try await refresh(services, timeout: timeout)
    }

    static func refresh(_ services: Services, timeout: Duration) async throws -> [String: String] {
        let report = try await abandoning(after: timeout) { try probe(services) }
        cache.withLockedValue { $0 = (ContinuousClock.now, report) }
        return report
    }

    static func probe(_ services: Services) throws -> [String: String] {
        let image = try Image.solid(RGBA(10, 20, 30), width: 4, height: 4).encoded(as: .png())
        guard try Image.decode(image).pixel(x: 1, y: 1) == [10, 20, 30, 255] else {
            throw APIError(.serviceUnavailable, "libvips round trip gave wrong pixels")
        }
        let segmenter = services.pipeline.segmenter
        let clock = ContinuousClock(), start = clock.now
        let output = try segmenter.predict(try segmenter.blankInput())
        guard output.allSatisfy(\.isFinite) else { throw APIError(.serviceUnavailable, "the model produced non-finite values") }
        let elapsed = (clock.now - start).components
        let milliseconds = elapsed.seconds * 1000 + elapsed.attoseconds / 1_000_000_000_000_000
        return ["model": segmenter.model.name, "onnxruntime": segmenter.runtimeVersion, "inference_ms": String(milliseconds)]
    }

    /// Runs `work` on a thread of its own and answers with its result, or with `TimedOut` after `limit` —
    /// whichever comes first; the work is left to finish on its own. The timer has its own thread too: on a
    /// loaded node the shared queues and the cooperative pool can be busy for seconds.
    static func abandoning<T: Sendable>(after limit: Duration, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        let once = Once()
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let answer: @Sendable (Result<T, any Error>) -> Void = { result in
                if once.claim() { continuation.resume(with: result) }
            }
            Thread.detachNewThread { answer(Result { try work() }) }
            let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) * 1e-18
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: seconds)
                answer(.failure(TimedOut(limit: limit)))
            }
        }
    }

    /// True for the first caller only.
    final class Once: Sendable {
        private let done = NIOLockedValueBox(false)
        func claim() -> Bool { done.withLockedValue { done in let first = !done; done = true; return first } }
    }
}
