import Foundation
import ONNXRuntime

/// How a segmenter spends the cores on inference: `sessions` model sessions run at once under load, `threads`
/// intra-op threads each, and a solo session with `soloThreads` for a request that finds the segmenter idle.
/// Measured on 2 cores (README, "Throughput"): under load 2 sessions × 1 thread give about 10 % more requests/s
/// than one session (or two) with 2 threads, but a lone request takes 1.75× as long on one thread as on two;
/// the solo session gets both. Each session costs its own activations, so larger machines get up to 4
/// sessions and the remaining cores as threads.
public struct InferenceLayout: Sendable, Equatable {
    public var sessions: Int
    public var threads: Int
    /// Intra-op threads of the solo session; 0 (or no more than `threads`) means none.
    public var soloThreads: Int
    /// Idle intra-op threads spin (ORT's default) or sleep; sleeping leaves the cores to image work.
    public var spinning: Bool
    /// ORT's CPU memory arena: faster, but each session keeps its peak activations (≈ 0.5 GB for U²-Net at 320²).
    public var arena: Bool

    public init(sessions: Int, threads: Int, soloThreads: Int = 0, spinning: Bool = false, arena: Bool = true) {
        self.sessions = sessions
        self.threads = threads
        self.soloThreads = soloThreads
        self.spinning = spinning
        self.arena = arena
    }

    public static func recommended(cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> InferenceLayout {
        let sessions = min(max(cores, 1), 4)
        let threads = max(1, cores / sessions)
        return InferenceLayout(sessions: sessions, threads: threads, soloThreads: soloThreads(threads: threads, cores: cores))
    }

    /// Twice the regular sessions' threads, at most the cores.
    public static func soloThreads(threads: Int, cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> Int {
        min(max(cores, 1), 2 * max(1, threads))
    }

    public var sessionOptions: Session.Options {
        Session.Options(intraOpThreads: threads, allowSpinning: spinning, memoryArena: arena)
    }

    /// The solo session's options, nil when it would be no faster than a regular one.
    public var soloSessionOptions: Session.Options? {
        guard soloThreads > threads else { return nil }
        return Session.Options(intraOpThreads: soloThreads, allowSpinning: spinning, memoryArena: arena)
    }
}
