import Imaging

/// Draws the subject's shadow on the background layer (`shadow.mode`).
struct ShadowStep: EditStep {
    let name = "shadow"

    func run(_ context: inout EditContext, pipeline: Pipeline) throws {
        // `shadow.*` still answers 501 in `EditOptions`, so nothing reaches here yet.
    }
}
