import Foundation
import Imaging
import Testing
import TestSupport
@testable import Vision

@Suite(.serialized) struct RefinementTests {
    /// The peer-mask composites (a regression fixture: their alpha is rembg's own mask, hardened): refined masks
    /// must still beat raw ones on both metrics.
    @Test func refinementBeatsTheRawMaskOnThePeerMaskRegressionFixture() async throws { try await onOwnThread {
        let sources = try TruthSet.sources(inFolder: Fixtures.samples.path)
        let set = try TruthSet.make(sources)
        #expect(set.count == sources.count)
        let scores = try CutoutEvaluation.score(set, segmenter: VisionFixtures.segmenter(), refiner: MaskRefiner())
        let raw = MaskScore.mean(scores.map(\.raw)), refined = MaskScore.mean(scores.map(\.refined))
        print(String(format: "truth set: mean IoU %.4f → %.4f, mean MAE %.4f → %.4f", raw.iou, refined.iou, raw.mae, refined.mae))
        #expect(refined.iou > raw.iou)
        #expect(refined.mae < raw.mae * 0.9)
    }}

    static let realSet = ProcessInfo.processInfo.environment["DARKROOM_TRUTH_SET"]
        ?? Fixtures.repositoryRoot.appendingPathComponent("data/truth/real").path

    /// Real photos with human-drawn masks (scripts/truthset-real), every tenth one: the refiner must raise IoU and
    /// lower MAE against them.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: realSet), "the real truth set is not built here (scripts/truthset-real)"))
    func refinementRaisesIoUAndLowersMAEOnRealPhotosWithHumanMasks() async throws { try await onOwnThread {
        let all = try TruthSet.load(realFolder: Self.realSet)
        let samples = all.enumerated().filter { $0.offset % 10 == 0 }.map(\.element)
        let scores = try CutoutEvaluation.score(samples, segmenter: VisionFixtures.segmenter(), refiner: MaskRefiner())
        let raw = MaskScore.mean(scores.map(\.raw)), refined = MaskScore.mean(scores.map(\.refined))
        print(String(format: "real truth set (%d photos): IoU %.4f → %.4f, MAE %.4f → %.4f", samples.count, raw.iou, refined.iou, raw.mae, refined.mae))
        #expect(refined.iou > raw.iou)
        #expect(refined.mae < raw.mae)
    }}

    @Test func truthSetAlphaIsExact() throws {
        // Subject: a white square; scenery: black. The composite must equal the alpha itself.
        var maskPixels = [UInt8](repeating: 0, count: 32 * 32)
        for y in 8..<24 { for x in 8..<24 { maskPixels[y * 32 + x] = 255 } }
        let mask = try Image(pixels: maskPixels, width: 32, height: 32, bands: 1)
        let white = try Image.solid(.white, width: 32, height: 32, withAlpha: false)
        let black = try Image.solid(.black, width: 32, height: 32, withAlpha: false)
        let set = try TruthSet.make([("a", white, mask), ("b", black, mask)])
        #expect(set[0].alpha == maskPixels)
        #expect(try set[0].photo.pixel(x: 16, y: 16) == [255, 255, 255])
        #expect(try set[0].photo.pixel(x: 2, y: 2) == [0, 0, 0])
    }

    /// The streamed filter, run in uneven row bands as the refiner splits them, against the window mean
    /// computed pixel by pixel (borders: the mean over the part of the window inside the plane).
    @Test func streamedBoxFilterInRowBandsEqualsTheWindowMeanComputedPixelByPixel() {
        let width = 23, height = 17, radius = 2, quantities = 2
        var generator = SplitMix(seed: 7)
        let planes = (0..<quantities).map { _ in (0..<(width * height)).map { _ in Float(generator.next() % 1000) / 999 } }
        let filter = BoxFilter(width: width, height: height, radius: radius, quantities: quantities)
        var streamed = [[Float]](repeating: [Float](repeating: .nan, count: width * height), count: quantities)
        for band in [0..<5, 5..<6, 6..<17] {
            filter.run(rows: band, fill: { y, row in
                for k in 0..<quantities { for x in 0..<width { row[k * width + x] = planes[k][y * width + x] } }
            }, consume: { y, means in
                for k in 0..<quantities { for x in 0..<width { streamed[k][y * width + x] = means[k * width + x] } }
            })
        }
        for k in 0..<quantities { for y in 0..<height { for x in 0..<width {
            var sum: Float = 0, count: Float = 0
            for v in max(0, y - radius)...min(height - 1, y + radius) { for u in max(0, x - radius)...min(width - 1, x + radius) {
                sum += planes[k][v * width + u]; count += 1
            }}
            #expect(abs(streamed[k][y * width + x] - sum / count) < 1e-5, "plane \(k) at (\(x), \(y))")
        }}}
    }

    @Test func refinedEdgeFollowsThePhoto() throws {
        // A photo with a sharp vertical edge at x = 100 and a blurry model mask whose ramp is centred there.
        let width = 200, height = 100, side = 20
        var photo = [UInt8]()
        for _ in 0..<height { for x in 0..<width { photo += x < 100 ? [230, 40, 40] : [30, 30, 200] } }
        let small = ReferenceResampler.resize(photo, width: width, height: height, bands: 3, to: side, side)
        var probabilities = [Float](repeating: 0, count: side * side)
        for y in 0..<side { for x in 0..<side { probabilities[y * side + x] = min(max(Float(10 - x) / 6 + 0.5, 0), 1) } }
        let tensor = try ONNXRuntimeTensor.zeros(side)
        let input = ModelInput(side: side, pixels: small, tensor: tensor, photoPixels: photo, photoWidth: width, photoHeight: height)
        let refined = try MaskRefiner(radius: 2).refine(probabilities, input: input).pixels()
        // Ten pixels either side of the edge the refined mask is already decided; the raw ramp is not.
        #expect(refined[50 * width + 90] > 240)
        #expect(refined[50 * width + 110] < 15)
    }
}

import ONNXRuntime
enum ONNXRuntimeTensor {
    static func zeros(_ side: Int) throws -> Tensor {
        try Tensor(shape: [1, 3, side, side], values: [Float](repeating: 0, count: 3 * side * side))
    }
}

