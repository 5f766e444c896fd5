import Imaging

/// Harmonises the placed subject with the background it now stands on (`lighting.mode`).
struct RelightStep: EditStep {
    let name = "relight"

    func run(_ context: inout EditContext, pipeline: Pipeline) throws {
        // `lighting.*` still answers 501 in `EditOptions`, so nothing reaches here yet.
    }
}
