import Imaging

/// Decodes the photo within the configured limits.
struct DecodeStep: EditStep {
    let name = "decode"

    func run(_ context: inout EditContext, pipeline: Pipeline) throws {
        // A fixed canvas over the limit is refused before any work is done on the photo.
        if case .fixed(let width, let height) = context.options.layout.outputSize {
            try LayoutStep.checkCanvas(width: width, height: height, limit: pipeline.decodeOptions.maxPixels)
        }
        let bytes = context.input.image
        context.photo = try Image.decode(bytes, options: pipeline.decodeOptions)
    }
}
