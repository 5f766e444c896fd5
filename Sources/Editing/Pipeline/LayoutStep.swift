/// Computes the canvas and where the photo sits on it (see `Layout`), then applies the output pixel cap.
struct LayoutStep: EditStep {
    let name = "layout"

    func run(_ context: inout EditContext, pipeline: Pipeline) throws {
        let options = context.options
        var layout = options.layout
        if !options.removeBackground {
            // The whole photo is the subject: nothing to snap, nothing to crop to.
            layout.referenceBox = .originalImage
        }
        var placement = Layout.place(imageWidth: context.photo.width, imageHeight: context.photo.height,
                                     subject: context.subjectBox, options: layout)
        if let cap = options.maxOutputPixels, placement.canvasWidth * placement.canvasHeight > cap {
            let shrink = (Double(cap) / Double(placement.canvasWidth * placement.canvasHeight)).squareRoot()
            placement = Placement(canvasWidth: max(1, Int(Double(placement.canvasWidth) * shrink)),
                                  canvasHeight: max(1, Int(Double(placement.canvasHeight) * shrink)),
                                  scale: placement.scale * shrink, x: placement.x * shrink, y: placement.y * shrink)
        }
        try Self.checkCanvas(width: placement.canvasWidth, height: placement.canvasHeight, limit: pipeline.decodeOptions.maxPixels)
        context.placement = placement
    }

    /// The output canvas obeys the same pixel limit as inputs (`--max-pixels`): a tiny upload must not buy a
    /// gigantic canvas.
    static func checkCanvas(width: Int, height: Int, limit: Int) throws {
        guard width * height > limit else { return }
        throw EditError.invalidArgument(argument: "outputSize",
            message: "the output would be \(width)x\(height) = \(width * height) pixels, over this server's limit of \(limit) pixels (--max-pixels)")
    }
}
