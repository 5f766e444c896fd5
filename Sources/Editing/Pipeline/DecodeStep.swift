import Imaging

/// Decodes the photo within the configured limits.
struct DecodeStep: EditStep {
    let name = "decode"

    func run(_ context: inout EditContext, pipeline: Pipeline) throws {
        let bytes = context.input.image
        context.photo = try Image.decode(bytes, options: pipeline.decodeOptions)
    }
}
