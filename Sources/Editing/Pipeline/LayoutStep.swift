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
        context.placement = placement
    }
}
