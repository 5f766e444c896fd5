import Imaging

/// Removes text from the original photo before anything else looks at it (`textRemoval.mode`).
struct TextRemovalStep: EditStep {
    let name = "textRemoval"

    func run(_ context: inout EditContext, pipeline: Pipeline) throws {
        // `textRemoval.*` still answers 501 in `EditOptions`, so nothing reaches here yet.
    }
}
