import Imaging

/// Harmonises the placed subject with the background it now stands on (`lighting.mode`, see `Relighter`),
/// shaded by the scene's one light so that it agrees with the shadow.
struct RelightStep: EditStep {
    let name = "relight"

    func run(_ context: inout EditContext, pipeline: Pipeline) throws {
        guard let mode = context.options.lighting, !context.options.alphaOnly else { return }
        context.subject = try pipeline.relighter.relight(subject: context.subject, background: context.background,
                                                         light: context.light, mode: mode)
    }
}
