import Dispatch
import Foundation

/// Splits rows 0..<count into one band per core and runs `body` on the bands at once. Used by the per-pixel
/// loops that run while the model is idle (before and after inference), so both cores do the work.
/// `body` must only write rows of its own band.
public enum RowParallel {
    private struct Body: @unchecked Sendable { let run: (Range<Int>) -> Void }

    /// `minimumPerBand`: fewer rows than this are not worth a thread of their own (fewer for rows that each
    /// carry a lot of work).
    public static func forEach(_ count: Int, minimumPerBand: Int = 64, _ body: (Range<Int>) -> Void) {
        let bands = min(ProcessInfo.processInfo.activeProcessorCount, max(1, count / minimumPerBand))
        if bands <= 1 { body(0..<count); return }
        withoutActuallyEscaping(body) { escapable in
            let shared = Body(run: escapable)
            DispatchQueue.concurrentPerform(iterations: bands) { band in
                shared.run((count * band / bands)..<(count * (band + 1) / bands))
            }
        }
    }
}
