import Imaging

/// Encodes the canvas in the requested format and resolution.
struct ExportStep: EditStep {
    let name = "encode"

    func run(_ context: inout EditContext, pipeline: Pipeline) throws {
        let options = context.options
        let canvas = context.canvas!
        context.bytes = try canvas.encoded(as: options.encodeFormat, dpi: options.dpi ?? 72, background: options.backgroundColor ?? .white)
    }
}
