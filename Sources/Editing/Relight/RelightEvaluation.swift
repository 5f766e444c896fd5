import Foundation
import Imaging

/// How a relit subject compares with the original, on the three measures relighting is judged by: how much
/// closer in colour the subject came to the background around it, whether its structure survived, and how
/// much it changed at all.
public struct RelightEvaluation: Sendable {
    /// Backgrounds of strong colour (red, blue, green, yellow, purple, orange) the evaluation places subjects on.
    public static let strongColours = ["D62828", "1D4ED8", "15803D", "FACC15", "7E22CE", "F97316"]
    /// Near-black and near-white: loud in lightness, not in colour.
    public static let extremeGreys = ["0F172A", "F5F5F4"]

    /// Lab distance between the subject's mean colour and the ring of background around it, before and after.
    public var distanceBefore: Double
    public var distanceAfter: Double
    /// Mean SSIM of the gradient magnitude of lightness, before vs after, over 8×8 windows inside the subject.
    public var gradientSSIM: Double
    /// Mean absolute change of the subject's 8-bit channels.
    public var meanChange: Double

    public var distanceShrink: Double { distanceBefore > 0 ? 1 - distanceAfter / distanceBefore : 0 }

    /// `before` and `after`: the subject layer (canvas-sized RGBA) without and with relighting; `background`:
    /// the canvas-sized background it stands on.
    public static func measure(before: Image, after: Image, background: Image) throws -> RelightEvaluation {
        let width = before.width, height = before.height
        let b = try before.pixels(), a = try after.pixels(), ground = try background.withOpaqueAlpha().pixels()
        guard let box = try before.alpha()?.boundingBox(above: 127) else {
            return RelightEvaluation(distanceBefore: 0, distanceAfter: 0, gradientSSIM: 1, meanChange: 0)
        }
        let inside = { (i: Int) in b[i * 4 + 3] >= 250 }
        let ring = Relighter.ringStatistics(subject: b, background: ground, box: box, width: width, height: height)
        let meanBefore = Relighter.statistics(b, width: width, height: height, where: inside).mean
        let meanAfter = Relighter.statistics(a, width: width, height: height, where: inside).mean
        var change = 0.0, count = 0
        for i in 0..<(width * height) where inside(i) {
            for c in 0..<3 { change += abs(Double(a[i * 4 + c]) - Double(b[i * 4 + c])) }
            count += 3
        }
        return RelightEvaluation(distanceBefore: ring.map { meanBefore.distance(to: $0.mean) } ?? 0,
                                 distanceAfter: ring.map { meanAfter.distance(to: $0.mean) } ?? 0,
                                 gradientSSIM: gradientSSIM(b, a, width: width, height: height),
                                 meanChange: count > 0 ? change / Double(count) : 0)
    }

    static func gradientSSIM(_ before: [UInt8], _ after: [UInt8], width: Int, height: Int) -> Double {
        func gradient(_ p: [UInt8]) -> [Double] {
            var lightness = [Double](repeating: 0, count: width * height)
            for i in lightness.indices { lightness[i] = Lab(red: p[i * 4], green: p[i * 4 + 1], blue: p[i * 4 + 2]).l }
            var g = [Double](repeating: 0, count: width * height)
            for y in 1..<(height - 1) {
                for x in 1..<(width - 1) {
                    let i = y * width + x
                    let gx = lightness[i + 1] - lightness[i - 1], gy = lightness[i + width] - lightness[i - width]
                    g[i] = (gx * gx + gy * gy).squareRoot()
                }
            }
            return g
        }
        let g1 = gradient(before), g2 = gradient(after)
        // SSIM constants for a dynamic range of about 100 (L* gradients).
        let c1: Double = 1, c2: Double = 9
        var total = 0.0, windows = 0
        for y0 in stride(from: 1, to: height - 9, by: 8) {
            for x0 in stride(from: 1, to: width - 9, by: 8) {
                var all = true
                var s1 = 0.0, s2 = 0.0, s11 = 0.0, s22 = 0.0, s12 = 0.0
                for y in y0..<(y0 + 8) {
                    for x in x0..<(x0 + 8) {
                        let i = y * width + x
                        if before[i * 4 + 3] < 250 { all = false }
                        s1 += g1[i]; s2 += g2[i]; s11 += g1[i] * g1[i]; s22 += g2[i] * g2[i]; s12 += g1[i] * g2[i]
                    }
                }
                guard all else { continue }
                let n = 64.0
                let m1 = s1 / n, m2 = s2 / n
                let v1 = s11 / n - m1 * m1, v2 = s22 / n - m2 * m2, cov = s12 / n - m1 * m2
                total += ((2 * m1 * m2 + c1) * (2 * cov + c2)) / ((m1 * m1 + m2 * m2 + c1) * (v1 + v2 + c2))
                windows += 1
            }
        }
        return windows > 0 ? total / Double(windows) : 1
    }
}
