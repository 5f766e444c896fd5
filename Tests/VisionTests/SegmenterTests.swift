import Foundation
import Imaging
import Testing
import TestSupport
@testable import Vision

@Suite struct SegmenterTests {
    @Test func cutsOutTheCoffeeCup() async throws { try await onOwnThread {
        let photo = try Image.decode(try Fixtures.bytes(Fixtures.samples.appendingPathComponent("skimage_coffee.png")))
        let mask = try VisionFixtures.segmenter().rawMask(for: photo)
        #expect(mask.width == 600 && mask.height == 400 && mask.bands == 1)
        #expect(try mask.pixel(x: 300, y: 200)[0] > 240)   // the cup
        #expect(try mask.pixel(x: 5, y: 5)[0] < 10)        // the table corner
        let box = try #require(try mask.boundingBox(above: 128))
        #expect(box.width > 200 && box.width < 600 && box.height > 150)
    }}

    @Test func uncertaintyFollowsItsFormula() {
        #expect(Uncertainty.score(mask: [0, 0, 255, 255]) == 0)          // crisp
        #expect(Uncertainty.score(mask: [0, 128, 128, 255]) == 2.0 / 3)  // two of three subject pixels ambiguous
        #expect(Uncertainty.score(mask: [0, 0, 0, 0]) == 1)              // no subject at all
        #expect(Uncertainty.score(mask: [20, 20, 0, 0]) == 1)            // a haze under 10 % is no subject at all
        #expect(Uncertainty.notComputed == -1)
    }

    @Test func crispCutoutIsMoreCertainThanAHaze() async throws { try await onOwnThread {
        let segmenter = try VisionFixtures.segmenter()
        let photo = try Image.decode(try Fixtures.bytes(Fixtures.samples.appendingPathComponent("skimage_coffee.png")))
        let mask = try segmenter.rawMask(for: photo)
        let crisp = Uncertainty.score(mask: try mask.pixels())
        // The same mask blurred into a haze: its edges become a wide band of partial alpha.
        let haze = Uncertainty.score(mask: try mask.blurred(sigma: 25).pixels())
        #expect(crisp >= 0 && crisp < 0.2)
        #expect(haze > crisp + 0.2, "crisp \(crisp), haze \(haze)")
    }}

    @Test func descriptorsComeFromFileNamesOrSidecars() throws {
        #expect(try SegmentationModel.describing(modelAt: "/m/u2netp.onnx") == .u2netp)
        #expect(try SegmentationModel.describing(modelAt: "/m/u2net.onnx") == .u2net)
        #expect(try SegmentationModel.describing(modelAt: "/m/isnet-general-use.onnx").inputSize == 1024)
        #expect(try SegmentationModel.describing(modelAt: "/m/BiRefNet-general.onnx").sigmoid)

        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("custom.onnx").path
        var custom = SegmentationModel.u2netp
        custom.name = "custom"
        custom.inputSize = 512
        try JSONEncoder().encode(custom).write(to: URL(fileURLWithPath: path + ".json"))
        #expect(try SegmentationModel.describing(modelAt: path) == custom)

        custom.std = [0, 1, 1]
        try JSONEncoder().encode(custom).write(to: URL(fileURLWithPath: path + ".json"))
        #expect(throws: SegmentationError.self) { try SegmentationModel.describing(modelAt: path) }
    }

    @Test func aModelThatDoesNotFitItsDescriptorIsRefused() throws {
        // sigmoid.onnx takes [3, 4, 5], not an image.
        let error = #expect(throws: SegmentationError.self) {
            try Segmenter(modelPath: Fixtures.model("test/sigmoid.onnx"), runtime: VisionFixtures.runtime(), model: .u2netp)
        }
        #expect(error?.description.contains("[3, 4, 5]") == true)
    }

    @Test func resamplerMatchesKnownValues() {
        // A constant image stays constant through any resize (weights are normalised).
        let flat = [UInt8](repeating: 77, count: 9 * 7 * 3)
        #expect(Set(ReferenceResampler.resize(flat, width: 9, height: 7, bands: 3, to: 4, 11)) == [77])
        // Same size is the identity.
        let ramp = (0..<30).map { UInt8($0 * 8) }
        #expect(ReferenceResampler.resize(ramp, width: 10, height: 3, bands: 1, to: 10, 3) == ramp)
    }
}
