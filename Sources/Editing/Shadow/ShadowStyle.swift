import Foundation

/// Everything the shadow caster needs, resolved once from `shadow.mode`, its overrides and the scene's light.
public struct ShadowStyle: Sendable, Equatable {
    public enum Kind: Sendable { case grounded, floating }

    public var kind: Kind
    /// 0 = a sharp edge … 1 = very soft (the light's size).
    public var softness: Double
    /// 0 = faint … 1 = very dark.
    public var intensity: Double
    /// Where the shadow falls, in `shadow.directionOverride` degrees (0 = behind, 90 = left …).
    public var direction: Double
    /// The light's height above the floor, degrees (90 = overhead: the cast shadow shrinks to the contact).
    public var elevation: Double
    /// 0 = lying flat, seen from above (a drop shadow) … 90 = standing on the floor (a cast shadow).
    public var pose: Double
}

extension ShadowStyle {
    /// `ai.soft` is wide and light, `ai.hard` sharp near the contact and deeper; the 2026-04-15 presets are
    /// the same two looks; `ai.auto-with-overrides` starts from the scene's light and takes each override.
    /// The light has already been turned by the overrides (`LightStep`), so direction, height and softness
    /// come from it.
    public init(options: ShadowOptions, light: SceneLight) {
        let direction = light.shadowDirection, elevation = light.elevation
        let pose = options.subjectPose ?? 90
        switch options.mode {
        case .soft, .presetSoft:
            self.init(kind: .grounded, softness: 0.75, intensity: 0.45, direction: direction, elevation: elevation, pose: pose)
        case .hard, .presetHard:
            self.init(kind: .grounded, softness: 0.12, intensity: 0.75, direction: direction, elevation: elevation, pose: pose)
        case .floating:
            self.init(kind: .floating, softness: 0.8, intensity: 0.45, direction: direction, elevation: elevation, pose: pose)
        case .autoWithOverrides:
            self.init(kind: .grounded, softness: light.softness, intensity: options.intensity ?? 0.55,
                      direction: direction, elevation: elevation, pose: pose)
        }
    }
}

extension ShadowOptions {
    /// The light elevation a `spreadOverride` stands for: 0° (very short) is a light overhead, 90° (very long)
    /// a light 12° above the floor.
    static func elevation(forSpread spread: Double) -> Double { 90 - spread * 78 / 90 }

    /// The scene's light, turned as the overrides say; untouched without them.
    public func applied(to light: SceneLight) -> SceneLight {
        var light = light
        if let direction { light.azimuth = direction }
        if let spread { light.elevation = Self.elevation(forSpread: spread) }
        if let softness { light.softness = softness }
        return light
    }
}
