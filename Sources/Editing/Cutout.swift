import Imaging
import Vision

/// What to make of a photo's subject.
public struct CutoutOptions: Sendable {
    public enum Output: Sendable, Equatable {
        /// The subject on a transparent background (RGBA).
        case transparent
        /// The subject flattened onto a solid colour.
        case background(RGBA)
        /// The mask itself, as a grey image (white = subject).
        case mask
    }

    public var output: Output = .transparent
    public var format: EncodeFormat = .png()
    /// Snap the model's mask to the photo's edges at full resolution.
    public var refine = true
    public var decode = DecodeOptions()

    public init(output: Output = .transparent, format: EncodeFormat = .png(), refine: Bool = true) {
        self.output = output
        self.format = format
        self.refine = refine
    }
}

public struct CutoutResult: Sendable {
    public var bytes: [UInt8]
    public var mimeType: String
    public var width: Int
    public var height: Int
    /// See `Uncertainty` for the formula.
    public var uncertainty: Double
    public var timings: StageTimings
}

/// decode → segment → refine → composite → encode, timing each stage.
public struct Cutout: Sendable {
    public let segmenter: Segmenter
    public let refiner: MaskRefiner

    public init(segmenter: Segmenter, refiner: MaskRefiner = MaskRefiner()) {
        self.segmenter = segmenter
        self.refiner = refiner
    }

    public func run(_ input: [UInt8], options: CutoutOptions = CutoutOptions()) throws -> CutoutResult {
        var timings = StageTimings()
        let photo = try timings.measure("decode") { try Image.decode(input, options: options.decode) }
        let mask = try segment(photo, refine: options.refine, timings: &timings)
        let maskPixels = try mask.pixels()
        let result = try timings.measure("composite") { () throws -> Image in
            switch options.output {
            case .mask: return mask
            case .transparent: return try photo.withAlpha(mask)
            case .background(let colour): return try photo.withAlpha(mask).flattened(onto: colour)
            }
        }
        let bytes = try timings.measure("encode") { try result.encoded(as: options.format) }
        return CutoutResult(bytes: bytes, mimeType: options.format.mimeType, width: photo.width, height: photo.height,
                            uncertainty: Uncertainty.score(mask: maskPixels), timings: timings)
    }

    /// The subject mask at the photo's size: the model's mask, refined against the photo when asked.
    public func segment(_ photo: Image, refine: Bool, timings: inout StageTimings) throws -> Image {
        let input = try timings.measure("preprocess") { try segmenter.prepare(photo) }
        let probabilities = try timings.measure("inference") { try segmenter.predict(input.tensor) }
        if refine { return try timings.measure("refine") { try refiner.refine(probabilities, input: input) } }
        return try timings.measure("postprocess") {
            try segmenter.maskImage(probabilities, width: photo.width, height: photo.height)
        }
    }
}
