import Imaging

/// Stacks background, outline and subject into the final canvas (or keeps only the subject's alpha when the
/// mask alone was asked for).
struct CompositeStep: EditStep {
    let name = "composite"

    func run(_ context: inout EditContext, pipeline: Pipeline) throws {
        do {
            if context.options.alphaOnly {
                context.canvas = try context.subject.alpha() ?? context.subject.grayscale()
                return
            }
            var canvas = context.background ?? context.outline ?? context.subject!
            if context.background != nil, let outline = context.outline { canvas = try canvas.compositing(outline) }
            if context.background != nil || context.outline != nil { canvas = try canvas.compositing(context.subject) }
            context.canvas = canvas
        }
    }
}
