import Foundation
import Imaging
import Testing
import TestSupport
@testable import Vision

@Suite struct OverlayGrowthTests {
    static let width = OverlayUnblendingTests.width, height = OverlayUnblendingTests.height
    /// The overlay as painted: white at 50 %.
    static let overlay = OverlayUnblending.Overlay(opacity: 0.5, colour: SIMD3(repeating: 255), inliers: 1)

    /// A 50 % white "SALE -50%" over the coffee photo, with a stroke mask that holds only the letters' lower half
    /// (as clustering keeps the part over one kind of background), and the overlay as painted.
    static func halfMasked() throws -> (sample: TextOverlaySample, strokes: RegionStrokes, region: TextRegion, hole: [Bool]) {
        let sample = try OverlayUnblendingTests.sample(opacity: 0.5)
        let (text, area) = OverlayUnblendingTests.masks(of: sample)
        let letters = TextDetectionTests.bounds(of: sample.mask, width: width)
        let middle = letters.y + letters.height / 2
        let lower = { (mask: [Bool]) in mask.indices.map { mask[$0] && $0 / width >= middle } }
        let rect = OverlayUnblendingTests.around(area)
        let strokes = RegionStrokes(bounds: rect, mask: OverlayUnblendingTests.crop(lower(area), to: rect),
                                    core: OverlayUnblendingTests.crop(lower(text), to: rect), textColour: [255, 255, 255],
                                    backgroundColour: [128, 128, 128], textHeight: Double(letters.height))
        let x0 = Double(letters.x), y0 = Double(letters.y), x1 = Double(letters.x + letters.width), y1 = Double(letters.y + letters.height)
        let region = TextRegion(corners: [Point(x: x0, y: y0), Point(x: x1, y: y0), Point(x: x1, y: y1), Point(x: x0, y: y1)], score: 1)
        return (sample, strokes, region, lower(area))
    }

    @Test func theMissedUpperHalfOfSemiTransparentLettersIsAddedAndThePhotoAroundThemIsNot() throws {
        let (sample, strokes, region, hole) = try Self.halfMasked()
        let grown = try #require(OverlayGrowth().grown(strokes, region: region, overlay: Self.overlay, hole: hole,
                                                       pixels: try sample.overlaid.pixels(), width: Self.width, outOfRange: 15),
                                 "nothing added")
        let b = strokes.bounds
        var missed = 0, recovered = 0, added = 0, addedOffText = 0
        for y in 0..<b.height {
            for x in 0..<b.width {
                let i = y * b.width + x, painted = sample.mask[(b.y + y) * Self.width + b.x + x]
                if painted && !strokes.mask[i] { missed += 1; if grown.mask[i] { recovered += 1 } }
                if grown.core[i] && !strokes.core[i] { added += 1; if !painted { addedOffText += 1 } }
            }
        }
        #expect(missed > 500, "the half mask leaves \(missed) painted pixels")
        #expect(Double(recovered) >= 0.7 * Double(missed), "\(recovered) of \(missed) missed painted pixels added")
        #expect(Double(addedOffText) <= 0.05 * Double(added), "\(addedOffText) of \(added) added pixels are unpainted photo")
    }

    @Test func nothingIsAddedWhereTheOverlayIsNotPainted() throws {
        // The photo without the text: no piece of it un-blends into something more like its surroundings.
        let (sample, strokes, region, hole) = try Self.halfMasked()
        let grown = OverlayGrowth().grown(strokes, region: region, overlay: Self.overlay, hole: hole,
                                          pixels: try sample.original.pixels(), width: Self.width, outOfRange: 15)
        let added = grown.map { g in g.core.indices.filter { g.core[$0] && !strokes.core[$0] }.count } ?? 0
        let painted = sample.mask.filter { $0 }.count
        #expect(added <= painted / 50, "\(added) pixels added to a photo with no text (the text has \(painted))")
    }
}
