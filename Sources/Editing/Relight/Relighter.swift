import Foundation
import Imaging
import Vision

/// Relights a cut-out subject so that it sits in the background it was placed on. No relighting model ships
/// on the registries Darkroom can reach, so this is a classical colour harmonisation:
///
/// 1. **Statistics in Lab** of the subject and of the background in a ring around it (what the eye compares).
/// 2. **Exposure and white balance**: the subject's mean lightness and colour move a fixed share of the way
///    toward the ring's — but only as far as the ring departs from a neutral mid-grey, so a grey backdrop
///    leaves the subject alone while a saturated or very dark/bright one pulls it in.
/// 3. **Contrast** follows the ring's only when the ring has texture of its own (a flat colour says nothing
///    about the scene's contrast).
/// 4. **Shading** from the scene's one light (`SceneLight`): a gentle ramp across the subject, brighter on the
///    side the light comes from and toward the top, stronger for a small (hard) light.
///
/// `ai.preserve-hue-and-saturation` changes lightness only; `ai.optimize-portrait` keeps skin's colour and most
/// of its contrast. A model can replace this behind the same step (`RelightStep`).
public struct Relighter: Sendable {
    /// Share of the way the subject's mean colour (a*, b*) moves toward the ring's, for a fully saturated ring.
    public var colourStrength = 0.42
    /// Share of the way the subject's mean lightness moves toward the ring's, for a very dark or bright ring.
    public var lightnessStrength = 0.35
    /// Largest move of mean lightness, L* units.
    public var maximumLightnessShift = 18.0
    /// Shading amplitude, L* units at the subject's edges, for a point light.
    public var shadingAmplitude = 6.0

    public init() {}

    /// Lab means and lightness spread of a set of pixels.
    public struct Statistics: Sendable {
        var mean: Lab
        var lightnessDeviation: Double
        var count: Int
        /// Mean of `reflectance` over the pixels, so that tinting moves the mean colour by exactly the plan.
        var meanReflectance = 1.0
    }

    /// The adjustments one subject gets, decided from the statistics before any pixel changes.
    struct Plan {
        var lightnessShift = 0.0
        var colourShift = (a: 0.0, b: 0.0)
        var contrast = 1.0
        var subjectMeanL = 50.0
        var meanReflectance = 1.0
    }

    /// Relights `subject` (canvas-sized RGBA) for `background` (canvas-sized, nil when transparent).
    public func relight(subject lazySubject: Image, background: Image?, light: SceneLight, mode: LightingMode) throws -> Image {
        // Read twice below: compute the subject's lazy pipeline once.
        let subject = try lazySubject.materialized()
        guard subject.bands == 4, let box = try subject.alpha()?.boundingBox(above: 127) else { return subject }
        var pixels = try subject.pixels()
        let width = subject.width, height = subject.height
        let backgroundPixels = try background.map { try $0.withOpaqueAlpha().pixels() }
        let subjectStats = Self.statistics(pixels, width: width, height: height) { i in pixels[i * 4 + 3] >= 128 }
        var plan = Plan(subjectMeanL: subjectStats.mean.l)
        if let backgroundPixels, let ring = Self.ringStatistics(subject: pixels, background: backgroundPixels, box: box, width: width, height: height) {
            plan = self.plan(subject: subjectStats, ring: ring, mode: mode)
        }
        // Shading ramp: light from the side opposite the shadow, and from above.
        let toward = light.shadowVector
        let elevation = light.elevation * .pi / 180
        let sideways = -toward.dx * cos(elevation), upward = 0.5 * sin(elevation)
        let amplitude = shadingAmplitude * (1 - 0.6 * light.softness)
        let centreX = Double(box.x) + Double(box.width) / 2, centreY = Double(box.y) + Double(box.height) / 2
        let halfWidth = max(1, Double(box.width) / 2), halfHeight = max(1, Double(box.height) / 2)
        let tint = mode == .preserveHueAndSaturation ? (red: 1.0, green: 1.0, blue: 1.0) : light.tint
        let tinted = tint.red != 1 || tint.green != 1 || tint.blue != 1

        pixels.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            RowParallel.forEach(height) { rows in
                for y in rows {
                    let v = (Double(y) - centreY) / halfHeight
                    for x in 0..<width {
                        let i = (y * width + x) * 4
                        guard out[i + 3] > 0 else { continue }
                        var r = Lab.linearTable[Int(out[i])], g = Lab.linearTable[Int(out[i + 1])], b = Lab.linearTable[Int(out[i + 2])]
                        if tinted { r *= tint.red; g *= tint.green; b *= tint.blue }
                        var lab = Lab(linearRed: r, green: g, blue: b)
                        let u = (Double(x) - centreX) / halfWidth
                        var shade = amplitude * (sideways * u - upward * v) / 1.5
                        var colourShare = 1.0, contrast = plan.contrast
                        if mode == .optimizePortrait && Self.isSkin(lab) {
                            colourShare = 0.25
                            contrast = 1 + (contrast - 1) * 0.3
                            shade *= 0.5
                        }
                        lab.l = plan.subjectMeanL + (lab.l - plan.subjectMeanL) * contrast
                        lab.l = Self.expose(lab.l, mean: plan.subjectMeanL, shift: plan.lightnessShift) + shade
                        if mode != .preserveHueAndSaturation {
                            // Coloured light tints what it lights: bright surfaces take more of it than dark ones.
                            let reflectance = Self.reflectance(lab.l, meanL: plan.subjectMeanL) / plan.meanReflectance
                            lab.a += plan.colourShift.a * colourShare * reflectance
                            lab.b += plan.colourShift.b * colourShare * reflectance
                        }
                        let (nr, ng, nb) = lab.sRGB
                        out[i] = nr; out[i + 1] = ng; out[i + 2] = nb
                    }
                }
            }
        }
        return try Image(pixels: pixels, width: width, height: height, bands: 4)
    }

    /// Adds `shift` to lightness, easing it off within 25 L* of the end it moves toward, so that deep shadows
    /// are not crushed to black nor highlights burnt to white: elsewhere gradients stay exactly as they were.
    static func expose(_ l: Double, mean: Double, shift: Double) -> Double {
        let room = shift < 0 ? l : 100 - l
        return l + shift * max(0, min(1, room / 25))
    }

    func plan(subject: Statistics, ring: Statistics, mode: LightingMode) -> Plan {
        var plan = Plan(subjectMeanL: subject.mean.l)
        // How loud the ring is: its chroma, and how far its lightness is from a neutral mid-grey (#808080,
        // L* 54). A grey backdrop is silent: it leaves the subject alone.
        let colourWeight = max(0, min(1, (ring.mean.chroma - 6) / 24))
        let lightnessWeight = max(0, min(1, (abs(ring.mean.l - 54) - 10) / 25))
        let shift = lightnessStrength * max(lightnessWeight, 0.7 * colourWeight) * (ring.mean.l - subject.mean.l)
        plan.lightnessShift = max(-maximumLightnessShift, min(maximumLightnessShift, shift))
        if mode != .preserveHueAndSaturation {
            plan.colourShift = (colourStrength * colourWeight * (ring.mean.a - subject.mean.a),
                                colourStrength * colourWeight * (ring.mean.b - subject.mean.b))
        }
        if ring.lightnessDeviation > 6, subject.lightnessDeviation > 1 {
            plan.contrast = max(0.9, min(1.1, pow(ring.lightnessDeviation / subject.lightnessDeviation, 0.15)))
        }
        plan.meanReflectance = subject.meanReflectance
        return plan
    }

    /// How much of a coloured light a surface of lightness `l` gives back, relative to the subject's mean.
    static func reflectance(_ l: Double, meanL: Double) -> Double { max(0.3, min(1.6, l / max(1, meanL))) }

    /// Skin, loosely: warm hues of moderate chroma and lightness (the range of human skin in Lab).
    static func isSkin(_ lab: Lab) -> Bool {
        let hue = lab.hue, chroma = lab.chroma
        return hue >= 20 && hue <= 75 && chroma >= 8 && chroma <= 50 && lab.l >= 25 && lab.l <= 95
    }

    static func statistics(_ pixels: [UInt8], width: Int, height: Int, where include: (Int) -> Bool) -> Statistics {
        var sumL = 0.0, sumA = 0.0, sumB = 0.0, sumLL = 0.0, count = 0
        var lightnesses: [Double] = []
        // Every other pixel in both directions is plenty for means.
        for y in stride(from: 0, to: height, by: 2) {
            for x in stride(from: 0, to: width, by: 2) {
                let i = y * width + x
                guard include(i) else { continue }
                let lab = Lab(red: pixels[i * 4], green: pixels[i * 4 + 1], blue: pixels[i * 4 + 2])
                sumL += lab.l; sumA += lab.a; sumB += lab.b; sumLL += lab.l * lab.l; count += 1
                lightnesses.append(lab.l)
            }
        }
        guard count > 0 else { return Statistics(mean: Lab(l: 50, a: 0, b: 0), lightnessDeviation: 0, count: 0) }
        let n = Double(count)
        let meanL = sumL / n
        var reflectance = 0.0
        for l in lightnesses { reflectance += Self.reflectance(l, meanL: meanL) }
        return Statistics(mean: Lab(l: meanL, a: sumA / n, b: sumB / n),
                          lightnessDeviation: max(0, sumLL / n - meanL * meanL).squareRoot(), count: count,
                          meanReflectance: max(0.3, reflectance / n))
    }

    /// The background seen around the subject: within a quarter of the subject's size of its box, where the
    /// subject is (almost) absent and the background opaque.
    static func ringStatistics(subject: [UInt8], background: [UInt8], box: PixelRect, width: Int, height: Int) -> Statistics? {
        let reach = max(box.width, box.height) / 4
        let left = max(0, box.x - reach), right = min(width, box.x + box.width + reach)
        let top = max(0, box.y - reach), bottom = min(height, box.y + box.height + reach)
        let stats = statistics(background, width: width, height: height) { i in
            let x = i % width, y = i / width
            return x >= left && x < right && y >= top && y < bottom && subject[i * 4 + 3] < 16 && background[i * 4 + 3] >= 128
        }
        return stats.count >= 16 ? stats : nil
    }
}
