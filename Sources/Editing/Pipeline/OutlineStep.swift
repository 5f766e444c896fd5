import Imaging

/// A coloured outline around the subject: its alpha grown by `outline.width` (a share of the canvas' shorter
/// side) and softened by `outline.blurRadius`.
struct OutlineStep: EditStep {
    let name = "outline"

    func run(_ context: inout EditContext, pipeline: Pipeline) throws {
        guard let outline = context.options.outline, outline.width > 0 else { return }
        let subject = context.subject!
        do {
            let side = Double(min(subject.width, subject.height))
            let width = outline.width * side
            guard let alpha = try subject.alpha() else { return }
            // Blurring then boosting grows the shape by about the blur's reach: a cheap dilation.
            var grown = try alpha.blurred(sigma: max(0.5, width / 2)).linear(8, 0)
            if outline.blurRadius > 0 { grown = try grown.blurred(sigma: outline.blurRadius * side) }
            let colour = try Image.solid(RGBA(outline.color.red, outline.color.green, outline.color.blue), width: subject.width,
                                         height: subject.height, withAlpha: false)
            let scaledAlpha = outline.color.alpha == 255 ? grown : try grown.linear(Double(outline.color.alpha) / 255, 0)
            context.outline = try colour.withAlpha(scaledAlpha)
        }
    }
}
