import Foundation
import Imaging
import Testing
import TestSupport
@testable import Vision

/// One caption the detector split in two boxes shares one overlay (`TextRemover.continuesLine`,
/// `TextRemover.borrowingFromLine`).
@Suite struct LineOverlayTests {
    static func box(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, turnedBy degrees: Double = 0) -> TextRegion {
        let cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, r = degrees * .pi / 180
        let corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)].map { x, y in
            Point(x: cx + (x - cx) * cos(r) - (y - cy) * sin(r), y: cy + (x - cx) * sin(r) + (y - cy) * cos(r))
        }
        return TextRegion(corners: corners, score: 0.9)
    }

    @Test func boxesSideBySideOnOneLineContinueItAndOthersDoNot() {
        let first = Self.box(40, 100, 190, 150)
        #expect(TextRemover.continuesLine(first, Self.box(270, 102, 370, 151)))   // a gap of 1.6 heights
        #expect(TextRemover.continuesLine(Self.box(270, 102, 370, 151), first))
        #expect(!TextRemover.continuesLine(first, Self.box(40, 160, 190, 210)))   // the next line
        #expect(!TextRemover.continuesLine(first, Self.box(200, 90, 300, 170)))   // taller by 0.6
        #expect(!TextRemover.continuesLine(first, Self.box(330, 100, 430, 150)))  // a gap of 2.8 heights
        #expect(!TextRemover.continuesLine(first, Self.box(200, 100, 300, 150, turnedBy: 12)))
        #expect(TextRemover.continuesLine(Self.box(40, 100, 190, 150, turnedBy: 20), Self.box(40, 100, 190, 150, turnedBy: 20)
            .shifted(by: 200, degrees: 20)))
    }

    /// A 50 % yellow "SALE -50%" over the coffee photo: the detector finds "SALE -" over the cup and the table and
    /// "0%" over the saucer. Both boxes are restored with the overlay as painted, fitted on either.
    @Test func bothBoxesOfASplitSemiTransparentCaptionCarryTheOverlayAsPainted() async throws { try await onOwnThread {
        let sample = try OverlayUnblendingTests.sample(opacity: 0.5, colour: RGBA(250, 210, 20))
        let outcome = try TextRemover(detector: try TextDetectionTests.detector()).remove(from: sample.overlaid, kinds: [.artificial])
        try #require(outcome.regions.count >= 2, "the caption was found as \(outcome.regions.count) box(es); nothing here is tested")
        for region in outcome.regions {
            let overlay = try #require(region.overlay, "\(region.corners) not restored")
            #expect(abs(overlay.opacity - 0.5) < 0.08 && abs(overlay.colour.x - 250) < 20 && abs(overlay.colour.y - 210) < 20,
                    "\(overlay)")
        }
    } }
}

extension TextRegion {
    /// The region moved `distance` pixels along a line turned by `degrees`.
    func shifted(by distance: Double, degrees: Double) -> TextRegion {
        let r = degrees * .pi / 180
        return TextRegion(corners: corners.map { Point(x: $0.x + distance * cos(r), y: $0.y + distance * sin(r)) }, score: score)
    }
}
