import Imaging
import Vision

/// Finds the subject: the model's mask (refined), or the photo's own transparency when
/// `keepExistingAlphaChannel=auto` and it has some. Pixels fully transparent in the photo are never subject.
struct SegmentStep: EditStep {
    let name = "segment"
    var timesItself: Bool { true }
    /// A photo "has transparency" when at least this share of its pixels is not fully opaque.
    static let significantTransparency = 0.01

    func run(_ context: inout EditContext, pipeline: Pipeline) throws {
        let photo = context.photo!
        let existingAlpha = try photo.alpha()
        guard context.options.removeBackground else {
            context.mask = existingAlpha
            return
        }
        let alphaPixels = try existingAlpha?.pixels()
        if context.options.keepExistingAlphaChannel == .auto, let alphaPixels,
           Double(alphaPixels.filter { $0 < 255 }.count) >= Double(alphaPixels.count) * Self.significantTransparency {
            context.mask = existingAlpha
            context.subjectBox = try existingAlpha?.boundingBox(above: 127).map(Box.init)
            return
        }
        let segmenter = try pipeline.segmenter(for: context.options.segmentationModel)
        context.responseHeaders.append(("x-darkroom-model", segmenter.model.name))
        let input = try context.timings.measure("preprocess") { try segmenter.prepare(photo) }
        let (probabilities, mirrored) = try context.timings.measure("inference") {
            try segmenter.predict(input.tensor, mirror: pipeline.mirrorTestTime)
        }
        context.responseHeaders.append(("x-darkroom-test-time-mirror", mirrored ? "applied" : "skipped"))
        var pixels: [UInt8]
        if pipeline.refineEdges {
            pixels = try context.timings.measure("refine") { try pipeline.refiner.refinedPixels(probabilities, input: input) }
        } else {
            pixels = context.timings.measure("postprocess") {
                segmenter.maskPixels(probabilities, width: photo.width, height: photo.height)
            }
        }
        if let alphaPixels, alphaPixels.contains(0) {
            for i in pixels.indices where alphaPixels[i] == 0 { pixels[i] = 0 }
        }
        context.mask = try Image(pixels: pixels, width: photo.width, height: photo.height, bands: 1)
        context.uncertainty = Uncertainty.score(mask: pixels)
        context.subjectBox = MaskBounds.box(of: pixels, width: photo.width, height: photo.height, above: 127).map(Box.init)
    }
}

extension Box {
    init(_ rect: PixelRect) {
        self.init(x: Double(rect.x), y: Double(rect.y), width: Double(rect.width), height: Double(rect.height))
    }
}
