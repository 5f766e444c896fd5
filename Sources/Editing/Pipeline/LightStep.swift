/// Settles the scene's one light before anything is lit or shadowed by it: the background (a generated scene)
/// may have set it, and the 2026-04-15 shadow overrides turn it. Relighting and the shadow both read the
/// result, so they always agree.
struct LightStep: EditStep {
    let name = "light"

    func run(_ context: inout EditContext, pipeline: Pipeline) throws {
        if let shadow = context.options.shadow { context.light = shadow.applied(to: context.light) }
    }
}
