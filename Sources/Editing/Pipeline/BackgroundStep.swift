import Imaging

/// The background layer: a supplied image (fit or fill), or the original photo blurred, over an optional
/// solid colour that also fills whatever the rest leaves transparent.
struct BackgroundStep: EditStep {
    let name = "background"

    func run(_ context: inout EditContext, pipeline: Pipeline) throws {
        let options = context.options
        let placement = context.placement!
        let width = placement.canvasWidth, height = placement.canvasHeight
        do {
            var layer: Image?
            if let generated = options.generatedBackground {
                layer = try GeneratedBackgroundLayer.make(generated, context: &context, pipeline: pipeline)
            } else if let bytes = context.input.backgroundImage {
                let image = try Image.decode(bytes, options: pipeline.decodeOptions)
                layer = try Self.scale(image, width: width, height: height, scaling: options.backgroundScaling)
            } else if let blur = options.backgroundBlur, options.removeBackground {
                let diagonal = Double(width * width + height * height).squareRoot()
                let radius = blur.radius * diagonal
                let scenery = try placement.draw(try context.photo.removingAlpha())
                layer = blur.mode == .gaussian ? try scenery.blurred(sigma: radius / 2) : try scenery.discBlurred(radius: radius)
            }
            if let colour = options.backgroundColor {
                let solid = try Image.solid(colour, width: width, height: height)
                layer = try layer.map { try solid.compositing($0) } ?? solid
            }
            context.background = layer
        }
    }

    /// `fill`: cover the canvas and crop the centre; `fit`: fit inside it, centred, transparent around.
    static func scale(_ image: Image, width: Int, height: Int, scaling: LayoutOptions.Scaling) throws -> Image {
        let sx = Double(width) / Double(image.width), sy = Double(height) / Double(image.height)
        let scale = scaling == .fill ? max(sx, sy) : min(sx, sy)
        let w = max(1, Int((Double(image.width) * scale).rounded())), h = max(1, Int((Double(image.height) * scale).rounded()))
        let resized = try image.resized(width: w, height: h).withOpaqueAlpha()
        let placement = Placement(canvasWidth: width, canvasHeight: height, scale: 1,
                                  x: Double(width - w) / 2, y: Double(height - h) / 2)
        return try placement.draw(resized)
    }
}
