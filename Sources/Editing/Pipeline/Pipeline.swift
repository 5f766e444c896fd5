import Imaging
import Vision

/// One step of an edit. Steps run in the order `Pipeline.steps` lists, with a deadline check between them.
public protocol EditStep: Sendable {
    var name: String { get }
    /// Whether the step times its own parts; otherwise the pipeline times it as a whole.
    var timesItself: Bool { get }
    func run(_ context: inout EditContext, pipeline: Pipeline) throws
}

extension EditStep {
    public var timesItself: Bool { false }
}

/// The edit pipeline shared by `/v2/edit`, `/v1/segment` (a preset of options) and the CLI.
public struct Pipeline: Sendable {
    /// The table of contents: every request goes through these, in this order.
    public static let steps: [any EditStep] = [
        DecodeStep(), TextRemovalStep(), SegmentStep(), LayoutStep(), SubjectStep(), BackgroundStep(), LightStep(), RelightStep(),
        ShadowStep(), OutlineStep(), CompositeStep(), WatermarkStep(), ExportStep(),
    ]

    /// The server's (or command's) segmentation model.
    public let segmenter: Segmenter
    /// The registry's other models, for requests that pick one; nil answers such requests with the default.
    public var otherSegmenters: SegmenterShelf?
    public var refiner = MaskRefiner()
    /// Relights the subject for `lighting.mode`; a model-backed relighter can take its place.
    public var relighter = Relighter()
    /// Snap the model's mask to the photo's edges at full resolution.
    public var refineEdges = true
    /// Average the model's mask with that of the mirrored photo: better cut-outs (`darkroom eval`), two
    /// inferences where it applies. By default only for uncertain masks, and only on a session nobody is
    /// waiting for.
    public var mirrorTestTime = MirrorPolicy.auto
    public var decodeOptions = DecodeOptions()
    /// Text detection and inpainting for `textRemoval.mode`; nil when the detector model is not installed.
    public var textRemover: TextRemover?
    /// Generates `background.prompt` backgrounds remotely; nil uses Darkroom's procedural scene generator.
    public var backgroundGenerator: (any BackgroundGenerator)?

    public init(segmenter: Segmenter) { self.segmenter = segmenter }

    /// The segmenter for a request's model choice (nil = the default).
    func segmenter(for model: SegmentationModel?) throws -> Segmenter {
        guard let model, model.name != segmenter.model.name, let otherSegmenters else { return segmenter }
        do { return try otherSegmenters.segmenter(for: model) } catch let missing as ModelNotInstalled {
            throw EditError.invalidArgument(argument: SegmentationModelChoice.header, message: missing.description)
        }
    }

    /// Runs every step; `deadline` is checked between steps.
    public func run(_ input: EditInput, deadline: ContinuousClock.Instant? = nil) throws -> EditResult {
        var context = EditContext(input: input)
        for step in Pipeline.steps {
            if let deadline, ContinuousClock.now > deadline { throw EditError.deadlineExceeded(step: step.name) }
            let start = ContinuousClock.now
            try step.run(&context, pipeline: self)
            if !step.timesItself { context.timings.add(step.name, ContinuousClock.now - start) }
        }
        return EditResult(bytes: context.bytes, mimeType: context.options.alphaOnly && context.options.exportFormat == .png ? "image/png" : context.options.encodeFormat.mimeType,
                          width: context.canvas.width, height: context.canvas.height,
                          uncertainty: context.uncertainty, timings: context.timings, headers: context.responseHeaders)
    }
}
