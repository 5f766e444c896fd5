import Foundation
import Imaging
import Testing
import TestSupport
@testable import Vision

@Suite struct OverlayUnblendingTests {
    static let width = 400, height = 260

    /// One line of bold text at `opacity` over a 400×260 piece of a real photo (the coffee cup and saucer).
    static func sample(opacity: Double, colour: RGBA = .white) throws -> TextOverlaySample {
        let photo = try Image.decode(try Fixtures.bytes(Fixtures.samples.appendingPathComponent("skimage_coffee.png")))
            .removingAlpha().fitted(maxWidth: 400, maxHeight: 400).cropped(left: 0, top: 0, width: width, height: height)
        let style = TextOverlayStyle(text: "SALE -50%", font: "DejaVu Sans Bold 56", colour: colour, opacity: opacity, angle: 0,
                                     outline: nil, shadow: nil, centre: Point(x: 200, y: 140))
        return try TextOverlaySet.paint([style], on: photo, name: "overlay")
    }

    /// The painted pixels a step in from their edge (the strokes as a stroke mask would find them) and the painted
    /// pixels grown by two (the mask that is removed).
    static func masks(of sample: TextOverlaySample) -> (text: [Bool], area: [Bool]) {
        let outside = sample.mask.map { !$0 }
        let text = MaskMorphology.dilated(outside, width: width, height: height, radius: 1).map { !$0 }
        return (text, MaskMorphology.dilated(sample.mask, width: width, height: height, radius: 2))
    }

    /// The text's bounds with a margin, as a stroke mask's bounds take in a ring around the text.
    static func around(_ mask: [Bool]) -> PixelRect {
        let bounds = TextDetectionTests.bounds(of: mask, width: width)
        let x0 = max(0, bounds.x - 12), y0 = max(0, bounds.y - 12)
        return PixelRect(x: x0, y: y0, width: min(width, bounds.x + bounds.width + 12) - x0, height: min(height, bounds.y + bounds.height + 12) - y0)
    }

    static func crop(_ mask: [Bool], to rect: PixelRect) -> [Bool] {
        var out: [Bool] = []
        for y in rect.y..<(rect.y + rect.height) { for x in rect.x..<(rect.x + rect.width) { out.append(mask[y * width + x]) } }
        return out
    }

    static func meanError(_ pixels: [UInt8], against original: [UInt8], at indices: [Int]) -> Double {
        var sum = 0
        for p in indices { for k in 0..<3 { sum += abs(Int(pixels[3 * p + k]) - Int(original[3 * p + k])) } }
        return Double(sum) / Double(3 * max(1, indices.count))
    }

    static func applied(_ restored: OverlayUnblending.Restored, to pixels: [UInt8]) -> [UInt8] {
        var out = pixels
        for (p, colour) in restored.pixels { out[3 * p] = colour.x; out[3 * p + 1] = colour.y; out[3 * p + 2] = colour.z }
        return out
    }

    @Test func aSemiTransparentWhiteTextIsFittedAndThePhotoUnderItComesBack() throws {
        let sample = try Self.sample(opacity: 0.4)
        let (text, area) = Self.masks(of: sample)
        let observed = try sample.overlaid.pixels(), original = try sample.original.pixels()
        let found = OverlayUnblending().restore(text: Self.crop(text, to: Self.around(area)), area: Self.crop(area, to: Self.around(area)), rect: Self.around(area),
                                                hole: area, pixels: observed, width: Self.width)
        let restored = try #require(found, "not restored")
        #expect(abs(restored.overlay.opacity - 0.4) < 0.05, "\(restored.overlay)")
        #expect(restored.overlay.colour.min() > 240 && restored.overlay.colour.max() < 270, "\(restored.overlay)")
        let painted = sample.mask.indices.filter { sample.mask[$0] }
        let back = Set(restored.pixels.map(\.index))
        #expect(Double(painted.filter(back.contains).count) >= 0.8 * Double(painted.count))
        // On the pixels it restored, a few levels off the photo; the painted text was tens of levels off.
        let result = Self.applied(restored, to: observed)
        let indices = painted.filter(back.contains)
        let before = Self.meanError(observed, against: original, at: indices), after = Self.meanError(result, against: original, at: indices)
        // Deeper than a step inside the strokes the text covered the photo fully and it comes back nearly exact;
        // nearer their edges the coverage is read off pixel by pixel, and is rougher.
        let deep = indices.filter { p in (-1...1).allSatisfy { dy in (-1...1).allSatisfy { dx in text[p + dy * Self.width + dx] } } }
        let deepAfter = Self.meanError(result, against: original, at: deep)
        #expect(after < 10 && after < before / 6 && deepAfter < 8,
                "mean error \(before) → \(after) levels, \(deepAfter) inside; \(restored.overlay)")
    }

    @Test func anOpaqueTextIsLeftToTheFill() throws {
        let sample = try Self.sample(opacity: 1)
        let (text, area) = Self.masks(of: sample)
        let restored = OverlayUnblending().restore(text: Self.crop(text, to: Self.around(area)), area: Self.crop(area, to: Self.around(area)), rect: Self.around(area),
                                                   hole: area, pixels: try sample.overlaid.pixels(), width: Self.width)
        #expect(restored == nil, "\(String(describing: restored?.overlay))")
    }

    /// A stroke mask over faint text on busy photo swallows photo between the letters. Those pixels fit "no
    /// overlay" better than the overlay, so they neither drag the fit nor get darkened as if text covered them.
    @Test func photoTheStrokeMaskTookInNeitherBendsTheFitNorIsRepainted() throws {
        let sample = try Self.sample(opacity: 0.4)
        var (text, area) = Self.masks(of: sample)
        let painted = text.indices.filter { text[$0] }.count
        // A block of unpainted photo below the text, about half as many pixels as the strokes.
        var swallowed: [Int] = []
        for y in 205..<250 { for x in 60..<340 where !sample.mask[y * Self.width + x] && swallowed.count < painted / 2 { swallowed.append(y * Self.width + x) } }
        for p in swallowed { text[p] = true; area[p] = true }
        let observed = try sample.overlaid.pixels(), original = try sample.original.pixels()
        let found = OverlayUnblending().restore(text: Self.crop(text, to: Self.around(area)), area: Self.crop(area, to: Self.around(area)), rect: Self.around(area),
                                                hole: area, pixels: observed, width: Self.width)
        let restored = try #require(found, "not restored")
        #expect(abs(restored.overlay.opacity - 0.4) < 0.06, "\(restored.overlay)")
        let result = Self.applied(restored, to: observed)
        let interior = swallowed.filter { p in (-1...1).allSatisfy { dy in (-1...1).allSatisfy { dx in text[p + dy * Self.width + dx] } } }
        #expect(Self.meanError(result, against: original, at: interior) < 4)
    }

    @Test func theRemoverRestoresASemiTransparentCaptionBetterThanItFillsIt() async throws { try await onOwnThread {
        let sample = try Self.sample(opacity: 0.5, colour: RGBA(250, 210, 20))
        let unblending = TextRemover(detector: try TextDetectionTests.detector())
        var filling = unblending
        filling.unblending = nil
        let restored = try unblending.remove(from: sample.overlaid, kinds: [.artificial])
        let filled = try filling.remove(from: sample.overlaid, kinds: [.artificial])
        let overlay = try #require(restored.regions.compactMap(\.overlay).first, "no text was restored from its blend")
        #expect(abs(overlay.opacity - 0.5) < 0.08, "\(overlay)")
        // Both masked the same strokes, un-blending perhaps more (the parts of letters the overlay explains,
        // `OverlayGrowth`); on the painted pixels both removed, restoring beats filling.
        let onlyFilled = filled.mask.indices.filter { filled.mask[$0] && !restored.mask[$0] }.count
        #expect(onlyFilled == 0, "\(onlyFilled) pixels removed by the fill alone")
        let original = try sample.original.pixels()
        let removed = sample.mask.indices.map { sample.mask[$0] && filled.mask[$0] }
        func score(_ outcome: TextRemover.Outcome) throws -> Double {
            TextRemovalScore.score(result: try outcome.image.pixels(), original: original, mask: removed,
                                   width: Self.width, height: Self.height).psnrInText
        }
        let withBlend = try score(restored), withFill = try score(filled)
        #expect(withBlend > withFill + 2, "\(withFill) → \(withBlend) dB on the painted pixels removed")
    } }

    /// The nine tiles of a watermark are one overlay, fitted once over all of them; the tiles the detector did not
    /// find carry that overlay too, and the painted pixels come back better than the fill gets them.
    @Test func aTiledWatermarkIsFittedOnceOverAllItsTiles() async throws { try await onOwnThread {
        let sample = try TiledWatermarkTests.tiledSample()
        let unblending = TextRemover(detector: try TextDetectionTests.detector())
        var filling = unblending
        filling.unblending = nil
        let restored = try unblending.remove(from: sample.overlaid, kinds: [.artificial])
        let tiles = restored.regions.filter(\.tiled)
        try #require(!tiles.isEmpty, "the tiling was not found; nothing here is tested")
        let overlays = tiles.compactMap(\.overlay)
        #expect(overlays.count == tiles.count && Set(overlays.map(\.opacity)).count == 1, "\(overlays)")
        let overlay = try #require(overlays.first)
        #expect(abs(overlay.opacity - 0.35) < 0.06 && overlay.colour.min() > 225, "\(overlay)")
        let filled = try filling.remove(from: sample.overlaid, kinds: [.artificial])
        let original = try sample.original.pixels(), width = sample.original.width, height = sample.original.height
        let removed = sample.mask.indices.map { sample.mask[$0] && restored.mask[$0] && filled.mask[$0] }
        func score(_ outcome: TextRemover.Outcome) throws -> Double {
            TextRemovalScore.score(result: try outcome.image.pixels(), original: original, mask: removed, width: width, height: height).psnrInText
        }
        let withBlend = try score(restored), withFill = try score(filled)
        #expect(withBlend > withFill + 1, "\(withFill) → \(withBlend) dB on the painted pixels removed")
    } }
}
