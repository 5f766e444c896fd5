import Foundation

/// CIE L*a*b* (D65) from and to 8-bit sRGB: relighting reasons in lightness and two opponent colour axes, where
/// "brighter", "warmer" and "less saturated" are separate, nearly perceptual moves.
struct Lab: Equatable {
    var l: Double, a: Double, b: Double

    /// sRGB byte → linear light, once for every byte.
    static let linearTable: [Double] = (0..<256).map { v in
        let c = Double(v) / 255
        return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
    }

    static let white = (x: 0.95047, y: 1.0, z: 1.08883)

    init(l: Double, a: Double, b: Double) { self.l = l; self.a = a; self.b = b }

    init(red: UInt8, green: UInt8, blue: UInt8) {
        self.init(linearRed: Lab.linearTable[Int(red)], green: Lab.linearTable[Int(green)], blue: Lab.linearTable[Int(blue)])
    }

    init(linearRed r: Double, green g: Double, blue b: Double) {
        let x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / Lab.white.x
        let y = (0.2126729 * r + 0.7151522 * g + 0.0721750 * b) / Lab.white.y
        let z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / Lab.white.z
        let fx = Lab.f(x), fy = Lab.f(y), fz = Lab.f(z)
        self.init(l: 116 * fy - 16, a: 500 * (fx - fy), b: 200 * (fy - fz))
    }

    static func f(_ t: Double) -> Double { t > 216.0 / 24389 ? cbrt(t) : (24389.0 / 27 * t + 16) / 116 }
    static func fInverse(_ t: Double) -> Double { t > 6.0 / 29 ? t * t * t : (116 * t - 16) / (24389.0 / 27) }

    /// Back to linear RGB (unclamped).
    var linearRGB: (red: Double, green: Double, blue: Double) {
        let fy = (l + 16) / 116, fx = fy + a / 500, fz = fy - b / 200
        let x = Lab.fInverse(fx) * Lab.white.x, y = Lab.fInverse(fy) * Lab.white.y, z = Lab.fInverse(fz) * Lab.white.z
        return (3.2404542 * x - 1.5371385 * y - 0.4985314 * z,
                -0.9692660 * x + 1.8760108 * y + 0.0415560 * z,
                0.0556434 * x - 0.2040259 * y + 1.0572252 * z)
    }

    /// Back to 8-bit sRGB, clamped.
    var sRGB: (UInt8, UInt8, UInt8) {
        let (r, g, b) = linearRGB
        return (Lab.encode(r), Lab.encode(g), Lab.encode(b))
    }

    static func encode(_ linear: Double) -> UInt8 {
        let c = max(0, min(1, linear))
        let v = c <= 0.0031308 ? 12.92 * c : 1.055 * pow(c, 1 / 2.4) - 0.055
        return UInt8((v * 255).rounded())
    }

    var chroma: Double { (a * a + b * b).squareRoot() }
    /// Hue angle in degrees, 0…360.
    var hue: Double { let h = atan2(b, a) * 180 / .pi; return h < 0 ? h + 360 : h }

    func distance(to other: Lab) -> Double {
        let dl = l - other.l, da = a - other.a, db = b - other.b
        return (dl * dl + da * da + db * db).squareRoot()
    }
}
