import Foundation
import Imaging
import ONNXRuntime
import Testing
import TestSupport
import Vision
@testable import Editing

/// Shadows on real photos, read back by pixels: each result is compared with the same edit without a shadow,
/// so what differs is the shadow and nothing else.
@Suite struct ShadowTests {
    static let newModel = ["pr-ai-shadows-model-version": "2026-04-15"]

    /// What a shadow did to the picture.
    struct Shadowed {
        let width: Int, height: Int
        /// Per pixel, how much darker the shadowed result is than the plain one (0…255, luma).
        let darkening: [Double]
        /// The subject's alpha on the canvas.
        let subject: [UInt8]
        let result: Image

        func at(_ x: Int, _ y: Int) -> Double { darkening[y * width + x] }
        var subjectBox: (top: Int, bottom: Int, left: Int, right: Int) {
            var top = height, bottom = 0, left = width, right = 0
            for y in 0..<height { for x in 0..<width where subject[y * width + x] > 127 {
                top = min(top, y); bottom = max(bottom, y); left = min(left, x); right = max(right, x)
            } }
            return (top, bottom, left, right)
        }
        /// Shadow pixels: darker by more than `threshold` and not under the subject.
        func shadowPixels(over threshold: Double = 6) -> [(x: Int, y: Int, value: Double)] {
            var pixels: [(Int, Int, Double)] = []
            for y in 0..<height { for x in 0..<width where subject[y * width + x] == 0 && at(x, y) > threshold {
                pixels.append((x, y, at(x, y)))
            } }
            return pixels
        }
    }

    func edit(_ photo: String, _ pairs: [(String, String)], headers: [String: String] = [:]) throws -> Image {
        try EditFixtures.edit(photo, pairs, headers: headers)
    }

    func shadowed(_ shadow: [(String, String)], photo: String = "sam_truck.jpg", size: String = "400x300",
                  padding: String = "0.12", headers: [String: String] = [:]) throws -> Shadowed {
        let layout: [(String, String)] = [("outputSize", size), ("padding", padding)]
        let plain = try edit(photo, layout + [("background.color", "FFFFFF")])
        let result = try edit(photo, layout + [("background.color", "FFFFFF")] + shadow, headers: headers)
        let cutout = try edit(photo, layout)
        let before = try Self.luma(plain), after = try Self.luma(result)
        var darkening = [Double](repeating: 0, count: before.count)
        for i in darkening.indices { darkening[i] = before[i] - after[i] }
        return Shadowed(width: result.width, height: result.height, darkening: darkening,
                        subject: try cutout.alpha()!.pixels(), result: result)
    }

    static func luma(_ image: Image) throws -> [Double] {
        let p = try image.pixels(), bands = image.bands
        var out = [Double](repeating: 0, count: image.pixelCount)
        for i in out.indices {
            let r = Double(p[i * bands]), g = Double(p[i * bands + 1]), b = Double(p[i * bands + 2])
            out[i] = 0.299 * r + 0.587 * g + 0.114 * b
        }
        return out
    }

    typealias ShadowPixel = (x: Int, y: Int, value: Double)
    static func mass(_ pixels: [ShadowPixel]) -> Double { pixels.reduce(0.0) { $0 + $1.value } }
    static func centroid(_ pixels: [ShadowPixel]) -> (x: Double, y: Double) {
        let m = mass(pixels)
        let x = pixels.reduce(0.0) { $0 + Double($1.x) * $1.value }, y = pixels.reduce(0.0) { $0 + Double($1.y) * $1.value }
        return (x / m, y / m)
    }

    @Test func softShadowLiesOnTheFloorBelowTheSubjectsTopAndNeverOverTheSubject() throws {
        let s = try shadowed([("shadow.mode", "ai.soft")])
        let box = s.subjectBox
        let shadow = s.shadowPixels()
        #expect(shadow.count > 200, "a visible shadow")
        #expect(shadow.allSatisfy { $0.y >= box.top }, "no shadow above the subject's top")
        // The subject itself is untouched where it is opaque.
        for y in 0..<s.height { for x in 0..<s.width where s.subject[y * s.width + x] == 255 {
            #expect(abs(s.at(x, y)) < 1.5, "subject pixel (\(x), \(y)) changed by \(s.at(x, y))")
        } }
        // The default studio light is in front and a little to the right: the shadow's mass is on the floor
        // near and behind the base, and leans left.
        #expect(Self.centroid(shadow).x < Double(box.left + box.right) / 2)
        let halfway = box.bottom - (box.bottom - box.top) / 2
        let nearBase = Self.mass(shadow.filter { $0.y >= halfway })
        #expect(nearBase / Self.mass(shadow) > 0.8, "the shadow hugs the floor line")
    }

    @Test func contactIsTheDarkestPartOfTheShadow() throws {
        let s = try shadowed([("shadow.mode", "ai.hard")])
        let box = s.subjectBox
        let height = box.bottom - box.top
        let shadow = s.shadowPixels()
        let band = max(2, height / 25), reach = height / 5
        let contact: [Double] = shadow.filter { abs($0.y - box.bottom) <= band }.map { $0.value }
        let away: [Double] = shadow.filter { p in
            p.y < box.bottom - reach || p.y > box.bottom + reach || p.x < box.left || p.x > box.right
        }.map { $0.value }
        let contactMax = contact.max() ?? 0, awayMax = away.max() ?? 0
        #expect(contactMax > awayMax + 20, "contact \(contactMax) vs elsewhere \(awayMax)")
        #expect(contactMax > 80, "a hard shadow is deep at the contact")
    }

    @Test func hardShadowEdgesAreSharperThanSoftOnes() throws {
        func steepestEdge(_ s: Shadowed) -> Double {
            // Only away from the subject's edge, where its own antialiasing would count.
            var steepest = 0.0
            for y in 1..<s.height { for x in 1..<s.width where s.subject[y * s.width + x] == 0
                && s.subject[(y - 1) * s.width + x] == 0 && s.subject[y * s.width + x - 1] == 0 {
                steepest = max(steepest, abs(s.at(x, y) - s.at(x - 1, y)), abs(s.at(x, y) - s.at(x, y - 1)))
            } }
            return steepest
        }
        let hard = steepestEdge(try shadowed([("shadow.mode", "ai.hard")]))
        let soft = steepestEdge(try shadowed([("shadow.mode", "ai.soft")]))
        #expect(hard > soft * 1.5, "hard \(hard) vs soft \(soft)")
    }

    @Test func floatingShadowIsDetachedBelowTheSubjectByAGap() throws {
        let s = try shadowed([("shadow.mode", "ai.floating")], photo: "skimage_coffee.png", size: "300x300", padding: "0.2")
        let box = s.subjectBox
        var rowDarkness = [Double](repeating: 0, count: s.height)
        for y in 0..<s.height { for x in box.left...box.right { rowDarkness[y] = max(rowDarkness[y], s.at(x, y)) } }
        let gapRows = (box.bottom + 2)...(box.bottom + 6)
        let shadowRows = (box.bottom + 8)..<s.height
        #expect(gapRows.allSatisfy { rowDarkness[$0] < 6 }, "gap rows \(gapRows.map { rowDarkness[$0] })")
        #expect(shadowRows.map { rowDarkness[$0] }.max() ?? 0 > 25)
        #expect(s.shadowPixels().allSatisfy { $0.y > box.bottom }, "a floating shadow is only below the subject")
    }

    @Test func directionOverrideMovesTheShadowToTheNamedSide() throws {
        func centroidX(_ direction: String) throws -> (shadow: Double, subject: Double) {
            let s = try shadowed([("shadow.mode", "ai.auto-with-overrides"), ("shadow.directionOverride", direction),
                                  ("shadow.spreadOverride", "long")], headers: Self.newModel)
            let box = s.subjectBox
            return (Self.centroid(s.shadowPixels()).x, Double(box.left + box.right) / 2)
        }
        let left = try centroidX("left"), right = try centroidX("right")
        #expect(left.shadow < left.subject - 10, "left: shadow at \(left.shadow), subject at \(left.subject)")
        #expect(right.shadow > right.subject + 10, "right: shadow at \(right.shadow), subject at \(right.subject)")
    }

    @Test func frontShadowFallsBelowTheFloorLineAndBehindAbove() throws {
        func meanY(_ direction: String) throws -> (shadow: Double, bottom: Double) {
            let s = try shadowed([("shadow.mode", "ai.auto-with-overrides"), ("shadow.directionOverride", direction),
                                  ("shadow.spreadOverride", "long")], headers: Self.newModel)
            return (Self.centroid(s.shadowPixels()).y, Double(s.subjectBox.bottom))
        }
        let front = try meanY("front"), behind = try meanY("behind")
        #expect(front.shadow > front.bottom, "front: \(front)")
        #expect(behind.shadow < behind.bottom, "behind: \(behind)")
    }

    @Test func transparentCanvasCarriesTheShadowAsSemiTransparentBlack() throws {
        let image = try edit("sam_truck.jpg", [("outputSize", "400x300"), ("padding", "0.12"), ("shadow.mode", "ai.hard")])
        let cutout = try edit("sam_truck.jpg", [("outputSize", "400x300"), ("padding", "0.12")])
        #expect(image.bands == 4)
        let pixels = try image.pixels(), subject = try cutout.alpha()!.pixels()
        var shadowPixels = 0
        for i in subject.indices where subject[i] == 0 {
            let alpha = pixels[i * 4 + 3]
            guard alpha > 0 else { continue }
            shadowPixels += 1
            #expect(alpha < 255 && pixels[i * 4] == 0 && pixels[i * 4 + 1] == 0 && pixels[i * 4 + 2] == 0)
        }
        #expect(shadowPixels > 200)
        // Far from the subject the canvas stays transparent.
        #expect(try image.pixel(x: 2, y: 2)[3] == 0)
    }

    @Test func flatLayPoseGivesAnOffsetDropShadowAroundTheWholeSilhouette() throws {
        let s = try shadowed([("shadow.mode", "ai.auto-with-overrides"), ("shadow.subjectPoseOverride", "flatlay"),
                              ("shadow.directionOverride", "right")],
                             photo: "skimage_coffee.png", size: "300x300", padding: "0.2", headers: Self.newModel)
        let box = s.subjectBox
        let middle = (box.top + box.bottom) / 2
        // Lying flat, the silhouette's whole outline casts: the shadow shows beside the middle of the subject,
        // on the light's far side (right) and not on the near side (left).
        var rightSide = 0.0, leftSide = 0.0
        for x in (box.right + 1)...min(s.width - 1, box.right + 6) { rightSide = max(rightSide, s.at(x, middle)) }
        for x in max(0, box.left - 6)...(box.left - 1) { leftSide = max(leftSide, s.at(x, middle)) }
        #expect(rightSide > 10 && rightSide > leftSide * 2, "right \(rightSide), left \(leftSide)")
    }
}
