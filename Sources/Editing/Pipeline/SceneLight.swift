import Foundation

/// The one light of the scene. Shadows fall away from it and relighting shades the subject from it, so the
/// two always agree. It starts as a studio light; a generated background sets it from its own scene, and the
/// shadow overrides of the 2026-04-15 model can turn it.
public struct SceneLight: Sendable, Equatable {
    /// Where the light comes from, in degrees, in the convention of `shadow.directionOverride` turned around:
    /// 0 = from in front of the subject (so its shadow falls behind it), 90 = from the right (shadow to the
    /// left), 180 = from behind (shadow in front), 270 = from the left (shadow to the right).
    public var azimuth: Double
    /// Height of the light above the ground plane, in degrees: 90 is straight overhead (a short shadow), low
    /// angles cast long ones.
    public var elevation: Double
    /// Size of the light source, 0 (a point: hard shadows) … 1 (an overcast sky: very soft ones).
    public var softness: Double
    /// Colour temperature cue for relighting, as a multiplier per channel (1, 1, 1 is neutral white).
    public var tint: (red: Double, green: Double, blue: Double)

    public init(azimuth: Double, elevation: Double, softness: Double, tint: (red: Double, green: Double, blue: Double) = (1, 1, 1)) {
        self.azimuth = azimuth
        self.elevation = elevation
        self.softness = softness
        self.tint = tint
    }

    /// A large key light in front of the subject, a little to its right and high up, as in a product studio:
    /// the shadow falls behind and slightly to the left.
    public static let studio = SceneLight(azimuth: 20, elevation: 55, softness: 0.6)

    /// The direction the shadow falls, in `shadow.directionOverride` degrees (0 = behind, 90 = left, …).
    public var shadowDirection: Double { (azimuth.truncatingRemainder(dividingBy: 360) + 360).truncatingRemainder(dividingBy: 360) }

    /// The unit vector, in image coordinates (x right, y down), along which the shadow falls on the floor as
    /// seen in the picture: "behind" is up the image, "front" down, "left" is the viewer's left.
    public var shadowVector: (dx: Double, dy: Double) {
        let radians = shadowDirection * .pi / 180
        return (dx: -sin(radians), dy: -cos(radians))
    }

    public static func == (a: SceneLight, b: SceneLight) -> Bool {
        a.azimuth == b.azimuth && a.elevation == b.elevation && a.softness == b.softness
            && a.tint.red == b.tint.red && a.tint.green == b.tint.green && a.tint.blue == b.tint.blue
    }
}
