import Imaging
import Vision

/// Removes text from the original photo before anything else looks at it (`textRemoval.mode`), and reports
/// how many texts were found in `pr-texts-detected` (all of them, whichever the mode removed).
struct TextRemovalStep: EditStep {
    let name = "textRemoval"

    func run(_ context: inout EditContext, pipeline: Pipeline) throws {
        guard let mode = context.options.textRemoval else { return }
        guard let remover = pipeline.textRemover else {
            throw EditError.unavailable(argument: "textRemoval.mode",
                message: "this server has no text detection model installed (ch_PP-OCRv4_det_infer.onnx; run scripts/setup)")
        }
        let outcome = try remover.remove(from: context.photo, kinds: mode.kinds)
        context.photo = outcome.image
        context.responseHeaders.append((name: "pr-texts-detected", value: String(outcome.regions.count)))
    }
}
