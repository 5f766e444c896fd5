import Testing
@testable import Vision
import Imaging

/// A drop shadow is the strokes' shape moved down and to the right and darkened; it has no colour to cluster, so
/// `StrokeMask.addingDropShadow` finds it by shape. The glyphs are bars drawn pixel by pixel (a vertical bar, a
/// horizontal one, and an L), white over a grey photo with a little texture.
@Suite struct DropShadowStrokeTests {
    static let width = 90, height = 50, textHeight = 24.0
    static let shadowOffset = 3

    static func isStroke(_ x: Int, _ y: Int) -> Bool {
        (10..<15).contains(x) && (12..<36).contains(y)           // |
            || (24..<44).contains(x) && (20..<25).contains(y)    // —
            || (54..<59).contains(x) && (12..<36).contains(y)    // L, upright
            || (54..<74).contains(x) && (31..<36).contains(y)    // L, foot
    }

    /// The photo: grey with a checkered texture of ±6 levels, `top` at the top row to `bottom` at the last.
    static func photo(top: Double, bottom: Double, shadow: Bool) -> (pixels: [UInt8], core: [Bool]) {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        var core = [Bool](repeating: false, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                var value = top + (bottom - top) * Double(y) / Double(height - 1) + ((x / 2 + y / 2) % 2 == 0 ? 6 : -6)
                if isStroke(x, y) {
                    value = 250; core[y * width + x] = true
                } else if shadow, isStroke(x - shadowOffset, y - shadowOffset) {
                    value *= 0.55
                }
                for k in 0..<3 { pixels[3 * (y * width + x) + k] = UInt8(max(0, min(255, value.rounded()))) }
            }
        }
        return (pixels, core)
    }

    static let bounds = PixelRect(x: 0, y: 0, width: width, height: height)

    @Test func theShadowOfWhiteBarsOverGreyIsFoundAtItsOffsetAndMasked() {
        let (pixels, core) = Self.photo(top: 140, bottom: 140, shadow: true)
        #expect(StrokeMask.dropShadowOffset(core, core: core, bounds: Self.bounds, pixels: pixels, width: Self.width,
                                            textHeight: Self.textHeight) == Self.shadowOffset)
        let mask = StrokeMask.addingDropShadow(core, core: core, bounds: Self.bounds, pixels: pixels, width: Self.width,
                                               textHeight: Self.textHeight)
        var shadow = 0, shadowMasked = 0, beyond = 0
        for y in 0..<Self.height {
            for x in 0..<Self.width where !Self.isStroke(x, y) {
                let inShadow = Self.isStroke(x - Self.shadowOffset, y - Self.shadowOffset)
                if inShadow { shadow += 1; if mask[y * Self.width + x] { shadowMasked += 1 } }
                // Nothing further than the diagonal steps up to the shadow's offset is added.
                let onTheWay = (1...Self.shadowOffset).contains { Self.isStroke(x - $0, y - $0) }
                if mask[y * Self.width + x], !onTheWay { beyond += 1 }
            }
        }
        #expect(shadow > 100)
        #expect(shadowMasked == shadow, "\(shadowMasked) of \(shadow) shadow pixels masked")
        #expect(beyond == 0, "\(beyond) pixels masked that no step of the shadow covers")
        #expect(core.indices.allSatisfy { !core[$0] || mask[$0] }, "the strokes stay masked")
    }

    @Test func aPhotoDarkeningDownwardsIsNotTakenForAShadow() {
        // Every bar's underside is darker than its top here (by 3 levels per pixel), but its right side is not
        // darker than its left.
        let (pixels, core) = Self.photo(top: 230, bottom: 60, shadow: false)
        #expect(StrokeMask.dropShadowOffset(core, core: core, bounds: Self.bounds, pixels: pixels, width: Self.width,
                                            textHeight: Self.textHeight) == nil)
        let mask = StrokeMask.addingDropShadow(core, core: core, bounds: Self.bounds, pixels: pixels, width: Self.width,
                                               textHeight: Self.textHeight)
        #expect(mask == core)
    }

    @Test func barsWithoutAShadowOverFlatGreyGetNone() {
        let (pixels, core) = Self.photo(top: 140, bottom: 140, shadow: false)
        #expect(StrokeMask.dropShadowOffset(core, core: core, bounds: Self.bounds, pixels: pixels, width: Self.width,
                                            textHeight: Self.textHeight) == nil)
    }
}
