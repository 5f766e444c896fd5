import Foundation
import Imaging
import ONNXRuntime
import Testing
import TestSupport
import Vision
@testable import Editing

/// Relighting on real cut-outs, judged by colour distance, gradient structure and pixels.
@Suite struct RelightTests {
    func run(_ photo: String, _ pairs: [(String, String)], headers: [String: String] = [:]) throws -> Image {
        try EditFixtures.edit(photo, pairs, headers: headers)
    }

    /// The subject layer as the pipeline places it: a transparent cut-out on a small square canvas.
    func subject(_ photo: String) throws -> Image { try run(photo, [("outputSize", "240x240"), ("padding", "0.1")]) }

    func background(_ hex: String) throws -> Image { try Image.solid(RGBA(hex: hex)!, width: 240, height: 240) }

    @Test func strongColoursPullTheSubjectAThirdOfTheWayAndKeepItsStructure() throws {
        var shrinks: [Double] = [], ssims: [Double] = []
        for photo in ["sam_truck.jpg", "skimage_coffee.png"] {
            let cutout = try subject(photo)
            for colour in RelightEvaluation.strongColours {
                let ground = try background(colour)
                let relit = try Relighter().relight(subject: cutout, background: ground, light: .studio, mode: .auto)
                let e = try RelightEvaluation.measure(before: cutout, after: relit, background: ground)
                #expect(e.distanceShrink > 0.2, "\(photo) on \(colour): \(e.distanceBefore) → \(e.distanceAfter)")
                #expect(e.gradientSSIM > 0.92, "\(photo) on \(colour): gradient SSIM \(e.gradientSSIM)")
                shrinks.append(e.distanceShrink)
                ssims.append(e.gradientSSIM)
            }
        }
        let meanShrink = shrinks.reduce(0, +) / Double(shrinks.count), meanSSIM = ssims.reduce(0, +) / Double(ssims.count)
        #expect(meanShrink >= 0.30, "mean shrink \(meanShrink)")
        #expect(meanSSIM >= 0.95, "mean gradient SSIM \(meanSSIM)")
    }

    @Test func neutralGreyBackgroundBarelyChangesTheSubject() throws {
        let cutout = try subject("sam_truck.jpg")
        let ground = try background("808080")
        let relit = try Relighter().relight(subject: cutout, background: ground, light: .studio, mode: .auto)
        let e = try RelightEvaluation.measure(before: cutout, after: relit, background: ground)
        #expect(e.meanChange < 2.5, "mean change \(e.meanChange) levels")
        // The red background, by contrast, changes it a lot.
        let red = try background("D62828")
        let reddened = try RelightEvaluation.measure(before: cutout, after: try Relighter().relight(subject: cutout, background: red, light: .studio, mode: .auto), background: red)
        #expect(reddened.meanChange > 10)
    }

    @Test func preserveHueAndSaturationMovesLightnessOnly() throws {
        let cutout = try subject("skimage_coffee.png")
        let dark = try background("0F172A")
        let relit = try Relighter().relight(subject: cutout, background: dark, light: .studio, mode: .preserveHueAndSaturation)
        let inside = { (p: [UInt8]) in { (i: Int) in p[i * 4 + 3] == 255 } }
        let before = try cutout.pixels(), after = try relit.pixels()
        let b = Relighter.statistics(before, width: 240, height: 240, where: inside(before)).mean
        let a = Relighter.statistics(after, width: 240, height: 240, where: inside(before)).mean
        #expect(a.l < b.l - 3, "darker on a dark background: \(b.l) → \(a.l)")
        #expect(abs(a.hue - b.hue) < 3, "hue \(b.hue) → \(a.hue)")
        #expect(abs(a.chroma - b.chroma) < 0.15 * b.chroma, "chroma \(b.chroma) → \(a.chroma)")
    }

    @Test func portraitModeKeepsSkinCloserToItsOwnColourThanAuto() throws {
        let cutout = try subject("rembg_girl-1.jpg")
        let blue = try background("1D4ED8")
        let pixels = try cutout.pixels()
        let skin = { (p: [UInt8]) in { (i: Int) in pixels[i * 4 + 3] == 255 && Relighter.isSkin(Lab(red: pixels[i * 4], green: pixels[i * 4 + 1], blue: pixels[i * 4 + 2])) } }
        let original = Relighter.statistics(pixels, width: 240, height: 240, where: skin(pixels))
        #expect(original.count > 50, "the sample has skin")
        func skinShift(_ mode: LightingMode) throws -> Double {
            let relit = try Relighter().relight(subject: cutout, background: blue, light: .studio, mode: mode).pixels()
            return Relighter.statistics(relit, width: 240, height: 240, where: skin(pixels)).mean.distance(to: original.mean)
        }
        let auto = try skinShift(.auto), portrait = try skinShift(.optimizePortrait)
        #expect(portrait < auto * 0.6, "skin moved \(portrait) in portrait mode, \(auto) in auto")
    }

    @Test func shadowAndShadingShareOneLight() throws {
        // The override puts the light on the left (shadow to the right), against the studio default that lights
        // from the front right: the relit subject's left half brightens relative to its right half only if the
        // relighting reads the same, overridden, light. Grey background, so harmonisation adds nothing.
        let layout: [(String, String)] = [("outputSize", "300x240"), ("padding", "0.1"), ("background.color", "808080")]
        let light: [(String, String)] = [("shadow.mode", "ai.auto-with-overrides"), ("shadow.directionOverride", "right")]
        let headers = ["pr-ai-shadows-model-version": "2026-04-15"]
        let plain = try run("sam_truck.jpg", layout + light, headers: headers)
        let relit = try run("sam_truck.jpg", layout + light + [("lighting.mode", "ai.auto")], headers: headers)
        let cutout = try run("sam_truck.jpg", [("outputSize", "300x240"), ("padding", "0.1")])
        let p0 = try plain.pixels(), p1 = try relit.pixels(), alpha = try cutout.alpha()!.pixels()
        let box = try cutout.alpha()!.boundingBox(above: 127)!
        let middle = box.x + box.width / 2
        var left = 0.0, right = 0.0, nLeft = 0.0, nRight = 0.0
        for y in 0..<240 { for x in 0..<300 where alpha[y * 300 + x] == 255 {
            let i = (y * 300 + x) * plain.bands
            let change = Double(p1[i]) + Double(p1[i + 1]) + Double(p1[i + 2]) - Double(p0[i]) - Double(p0[i + 1]) - Double(p0[i + 2])
            if x < middle { left += change; nLeft += 1 } else { right += change; nRight += 1 }
        } }
        #expect(left / nLeft > right / nRight + 3, "left half \(left / nLeft), right half \(right / nRight)")
    }
}
