import Foundation
import Imaging
import ONNXRuntime
import Testing
import TestSupport
@testable import Vision

/// Darkroom's raw mask must reproduce U²-Net-p as its reference integration (rembg) does.
@Suite(.serialized) struct ParityTests {
    @Test func rawMasksMatchThePeerOnEverySample() async throws { try await onOwnThread {
        let segmenter = try VisionFixtures.segmenter()
        let photos = Fixtures.samplePhotos
        #expect(photos.count >= 17, "expected the 17 shared sample photos in \(Fixtures.samples.path)")
        for url in photos {
            let photo = try Image.decode(try Fixtures.bytes(url))
            let mask = try segmenter.rawMask(for: photo)
            let peer = try Image.decode(try Fixtures.bytes(Fixtures.peerMask(for: url))).grayscale()
            #expect(mask.width == peer.width && mask.height == peer.height)
            let ours = try mask.pixels(), theirs = try peer.pixels()
            let iou = MaskMetrics.iou(ours, theirs)
            let mae = MaskMetrics.meanAbsoluteError(ours, theirs)
            print("parity \(url.lastPathComponent): IoU \(String(format: "%.4f", iou)) MAE \(String(format: "%.5f", mae))")
            #expect(iou >= 0.97, "\(url.lastPathComponent): IoU \(iou) against rembg's mask")
        }
    }}
}
