import Foundation
import ONNXRuntime

/// How a segmenter spends the cores on inference: `sessions` model sessions run at once, `threads` intra-op
/// threads each. Measured on 2 cores (`darkroom bench inference`, README): 2 sessions × 1 thread beats 1 × 2,
/// since a 320² U²-Net does not split well across threads; more sessions cost one copy of the weights each,
/// so larger machines get up to 4 sessions and the remaining cores as threads.
public struct InferenceLayout: Sendable, Equatable {
    public var sessions: Int
    public var threads: Int
    /// Idle intra-op threads spin (ORT's default) or sleep; sleeping leaves the cores to image work.
    public var spinning: Bool
    /// ORT's CPU memory arena: faster, but each session keeps its peak activations (≈ 0.5 GB for U²-Net at 320²).
    public var arena: Bool

    public init(sessions: Int, threads: Int, spinning: Bool = false, arena: Bool = true) {
        self.sessions = sessions
        self.threads = threads
        self.spinning = spinning
        self.arena = arena
    }

    public static func recommended(cores: Int = ProcessInfo.processInfo.activeProcessorCount) -> InferenceLayout {
        let sessions = min(max(cores, 1), 4)
        return InferenceLayout(sessions: sessions, threads: max(1, cores / sessions))
    }

    public var sessionOptions: Session.Options {
        Session.Options(intraOpThreads: threads, allowSpinning: spinning, memoryArena: arena)
    }
}
