import Foundation
import Imaging
import Testing
import TestSupport
@testable import Vision

/// `TextRemover.extendingAlongOverlay`: a semi-transparent line whose detected rectangle stops partway.
@Suite struct OverlayLineEndTests {
    static let width = OverlayUnblendingTests.width, height = OverlayUnblendingTests.height

    /// A 50 % white "SALE -50%" over the coffee photo, found only as far as `share` of its length: the strokes and
    /// rectangle of that first part, and the overlay as painted.
    static func cutLine(share: Double = 0.6) throws -> (sample: TextOverlaySample, strokes: RegionStrokes, region: TextRegion, cutX: Int) {
        let sample = try OverlayUnblendingTests.sample(opacity: 0.5)
        let (text, area) = OverlayUnblendingTests.masks(of: sample)
        let letters = TextDetectionTests.bounds(of: sample.mask, width: width)
        let cutX = letters.x + Int(share * Double(letters.width))
        let firstPart = { (mask: [Bool]) in mask.indices.map { mask[$0] && $0 % width < cutX } }
        let rect = OverlayUnblendingTests.around(firstPart(area))
        let strokes = RegionStrokes(bounds: rect, mask: OverlayUnblendingTests.crop(firstPart(area), to: rect),
                                    core: OverlayUnblendingTests.crop(firstPart(text), to: rect), textColour: [255, 255, 255],
                                    backgroundColour: [128, 128, 128], textHeight: Double(letters.height))
        let x0 = Double(letters.x), y0 = Double(letters.y), x1 = Double(cutX), y1 = Double(letters.y + letters.height)
        let region = TextRegion(corners: [Point(x: x0, y: y0), Point(x: x1, y: y0), Point(x: x1, y: y1), Point(x: x0, y: y1)], score: 1)
        return (sample, strokes, region, cutX)
    }

    static let overlay = OverlayUnblending.Overlay(opacity: 0.5, colour: SIMD3(repeating: 255), inliers: 1)

    @Test func theLettersBeyondTheEndOfASemiTransparentLinesRectangleAreAddedAndThePhotoBesideThemIsNot() throws {
        let (sample, strokes, region, cutX) = try Self.cutLine()
        let hole = [Bool](repeating: false, count: Self.width * Self.height)
        let longer = try #require(TextRemover.extendingAlongOverlay(
            strokes, region: region, overlay: Self.overlay, growth: OverlayGrowth(), hole: hole,
            pixels: try sample.overlaid.pixels(), width: Self.width, height: Self.height, outOfRange: 15), "not lengthened")
        let b = longer.bounds
        var paintedBeyond = 0, maskedBeyond = 0, addedBeyond = 0, addedOffText = 0
        for y in 0..<Self.height {
            for x in cutX..<Self.width {
                let painted = sample.mask[y * Self.width + x]
                let inside = x >= b.x && y >= b.y && x < b.x + b.width && y < b.y + b.height
                let masked = inside && longer.mask[(y - b.y) * b.width + x - b.x]
                let core = inside && longer.core[(y - b.y) * b.width + x - b.x]
                if painted { paintedBeyond += 1; if masked { maskedBeyond += 1 } }
                if core { addedBeyond += 1; if !painted { addedOffText += 1 } }
            }
        }
        #expect(paintedBeyond > 1000, "the cut leaves \(paintedBeyond) painted pixels beyond the rectangle")
        #expect(Double(maskedBeyond) >= 0.7 * Double(paintedBeyond), "\(maskedBeyond) of \(paintedBeyond) painted pixels beyond the end masked")
        #expect(Double(addedOffText) <= 0.05 * Double(addedBeyond), "\(addedOffText) of \(addedBeyond) added core pixels are unpainted photo")
    }

    @Test func aLineIsNotLengthenedOverPhotoWithoutTheOverlay() throws {
        // The first part painted, the rest of the photo as it was: nothing beyond the end un-blends into photo.
        let (sample, strokes, region, cutX) = try Self.cutLine()
        var pixels = try sample.original.pixels()
        let overlaid = try sample.overlaid.pixels()
        for p in 0..<(Self.width * Self.height) where p % Self.width < cutX {
            for k in 0..<3 { pixels[3 * p + k] = overlaid[3 * p + k] }
        }
        let hole = [Bool](repeating: false, count: Self.width * Self.height)
        let longer = TextRemover.extendingAlongOverlay(strokes, region: region, overlay: Self.overlay, growth: OverlayGrowth(),
                                                       hole: hole, pixels: pixels, width: Self.width, height: Self.height,
                                                       outOfRange: 15)
        #expect(longer == nil, "lengthened over photo with no text beyond the end")
    }
}
