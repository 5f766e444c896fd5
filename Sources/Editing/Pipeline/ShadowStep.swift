import Imaging

/// Draws the subject's shadow (`shadow.mode`) onto the background layer, under the subject, inside the
/// canvas: on a colour or image it darkens what is there (black over it, which multiplies it by 1 − opacity);
/// on a transparent canvas it becomes a semi-transparent black layer, as Photoroom's transparent PNGs carry it.
struct ShadowStep: EditStep {
    let name = "shadow"

    func run(_ context: inout EditContext, pipeline: Pipeline) throws {
        guard let options = context.options.shadow, !context.options.alphaOnly,
              let subjectAlpha = try context.subject.alpha() else { return }
        let style = ShadowStyle(options: options, light: context.light)
        guard let opacity = try ShadowCaster.render(subjectAlpha: subjectAlpha, style: style) else { return }
        let layer = try Image.solid(.black, width: opacity.width, height: opacity.height, withAlpha: false).withAlpha(opacity)
        context.background = try context.background.map { try $0.compositing(layer) } ?? layer
    }
}
