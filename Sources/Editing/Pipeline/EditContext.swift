import Imaging
import Vision

/// What one request carries in.
public struct EditInput: Sendable {
    public var image: [UInt8]
    public var backgroundImage: [UInt8]?
    /// `background.guidance.imageFile` or the bytes fetched from `background.guidance.imageUrl`.
    public var guidanceImage: [UInt8]?
    public var options: EditOptions

    /// Burn the sandbox watermark into the result: the server's decision for `sandbox_` keys, never an
    /// argument, so it travels beside the options rather than in them.
    public var watermark: Bool

    public init(image: [UInt8], backgroundImage: [UInt8]? = nil, guidanceImage: [UInt8]? = nil, options: EditOptions,
                watermark: Bool = false) {
        self.image = image
        self.backgroundImage = backgroundImage
        self.guidanceImage = guidanceImage
        self.options = options
        self.watermark = watermark
    }
}

/// What one request gets back.
public struct EditResult: Sendable {
    public var bytes: [UInt8]
    public var mimeType: String
    public var width: Int
    public var height: Int
    /// 0…1, or -1 when no segmentation ran (see `Uncertainty`).
    public var uncertainty: Double
    public var timings: StageTimings
    /// Response headers the steps set (`pr-texts-detected`, `pr-ai-background-seed`, …), in order.
    public var headers: [(name: String, value: String)] = []
}

/// The state handed from step to step. Each step reads what earlier steps left and adds its own part.
public struct EditContext {
    public var input: EditInput
    public var options: EditOptions { input.options }
    public var timings = StageTimings()

    /// The decoded photo (8-bit sRGB, alpha kept if it had one).
    public var photo: Image!
    /// The subject's alpha at the photo's size; nil when the whole photo is kept.
    public var mask: Image?
    public var uncertainty = Uncertainty.notComputed
    /// The subject's bounding box in the photo, nil when there is no subject.
    public var subjectBox: Box?
    public var placement: Placement!
    /// Canvas-sized layers, bottom to top.
    public var background: Image?
    public var outline: Image?
    public var subject: Image!
    /// The scene's one light, shared by shadows and relighting (and set by generated backgrounds).
    public var light = SceneLight.studio
    /// Response headers for the caller, added by the steps that have something to report.
    public var responseHeaders: [(name: String, value: String)] = []
    /// The flattened canvas, then the encoded bytes.
    public var canvas: Image!
    public var bytes: [UInt8] = []

    public init(input: EditInput) { self.input = input }
}
