import Foundation
import Imaging
import ONNXRuntime
import Testing
import TestSupport
import Vision
@testable import Editing

/// The v1/segment preset of the pipeline, as the CLI's `cutout` uses it.
@Suite struct CutoutTests {
    func pipeline(refine: Bool = true) throws -> Pipeline {
        let runtime = try Runtime.shared(libraryPath: Fixtures.runtimeLibrary)
        var pipeline = Pipeline(segmenter: try Segmenter(modelPath: Fixtures.model("u2netp.onnx"), runtime: runtime))
        pipeline.refineEdges = refine
        return pipeline
    }

    func run(_ fields: [(name: String, value: String)], refine: Bool = true) throws -> EditResult {
        try pipeline(refine: refine).run(EditInput(image: try photo(), options: try SegmentOptions.parse(fields)))
    }

    func photo() throws -> [UInt8] { try Fixtures.bytes(Fixtures.samples.appendingPathComponent("skimage_coffee.png")) }

    @Test func transparentPNGCutout() throws {
        let result = try run([])
        #expect(result.mimeType == "image/png")
        let image = try Image.decode(result.bytes)
        #expect(image.width == 600 && image.height == 400 && image.bands == 4)
        #expect(try image.pixel(x: 300, y: 200)[3] == 255)
        #expect(try image.pixel(x: 5, y: 5)[3] == 0)
        #expect(result.uncertainty >= 0 && result.uncertainty <= 1)
        for stage in ["decode", "preprocess", "inference", "refine", "layout", "composite", "encode"] {
            #expect(result.timings.seconds[stage] != nil, "stage \(stage) was not timed")
        }
    }

    @Test func rawMaskWhenRefinementIsOff() throws {
        let result = try run([("channels", "alpha")], refine: false)
        let mask = try Image.decode(result.bytes)
        #expect(result.timings.seconds["refine"] == nil && result.timings.seconds["postprocess"] != nil)
        #expect(try mask.pixel(x: 300, y: 200)[0] > 240)
    }

    @Test func backgroundColourAndWebP() throws {
        let result = try run([("bg_color", "#FF00FF"), ("format", "webp")])
        #expect(result.mimeType == "image/webp")
        let image = try Image.decode(result.bytes)
        let corner = try image.pixel(x: 5, y: 5)
        #expect(corner[0] > 230 && corner[1] < 30 && corner[2] > 230)
    }

    @Test func badInputIsATypedError() throws {
        #expect(throws: ImagingError.empty) { try pipeline().run(EditInput(image: [], options: EditOptions())) }
    }
}
