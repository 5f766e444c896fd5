import Foundation

/// A scene with every choice made: what the renderer draws. Built from a `SceneDescription`, the seed, the
/// expand mode, the negative prompt's exclusions and the model version.
struct ResolvedScene: Sendable {
    var setting: Setting
    var wallMaterial: Material
    var wallColor: SceneColor
    var floorMaterial: Material
    var floorColor: SceneColor
    var mood: LightMood
    var light: SceneLight
    var props: Set<Prop>
    /// The prompt asked for the pedestal (rather than `ai.auto` adding one), so it is drawn under wide subjects too.
    var pedestalRequested = false
    /// The wall curves into the floor with no visible corner (a photo studio's paper sweep).
    var seamlessSweep: Bool
    /// 1 is the materials' natural contrast; the studio model calms it.
    var textureContrast: Double
    /// How far out of focus the far wall is, in fractions of the canvas height (Gaussian σ).
    var depthOfField: Double
    var vignette: Double
    var closeUp: Bool
    var inFrontOfWall: Bool
    /// Where the plant stands: -1 left of the subject, +1 right.
    var plantSide: Double
    /// Shifts the horizon by up to ±6 % of the subject's height.
    var horizonJitter: Double
    /// Moves every texture so different seeds do not show the same marble.
    var textureOffset: (x: Double, y: Double)

    /// Tasteful wall colours for an open prompt, picked by the seed.
    static let studioPalette: [SceneColor] = [
        .hex(0xE9E4DC), .hex(0xDCD6CE), .hex(0xC9D3C0), .hex(0xE6CFC7), .hex(0xC7D6E0), .hex(0xD9C2A7),
        .hex(0xB7C4B0), .hex(0xEDE7DB), .hex(0xCBBFD6), .hex(0xD6B8A6),
    ]

    static func resolve(_ description: SceneDescription, seed: UInt32, options: GeneratedBackgroundOptions,
                        excludedMaterials: Set<Material>, excludedColors: [SceneColor]) -> ResolvedScene {
        var choices = SeededChoices(seed: seed)
        let expand = options.expand == .auto
        let studioModel = options.modelVersion == .studio

        var setting = description.setting ?? .studio
        if description.setting == nil, expand, description.wall.material == nil, description.floor.material == nil {
            // Nothing but perhaps colours and light: a product table-top in one of a few rooms.
            setting = choices.pick([.studio, .studio, .studio, .kitchen, .livingRoom])
        }
        let defaults = setting.defaults

        func allowed(_ material: Material) -> Bool { !excludedMaterials.contains(material) }
        func alternative(to material: Material, backdrop: Bool) -> Material {
            let options: [Material] = backdrop ? [.plaster, .concrete, .tiles, .paper, .linen] : [.paper, .oak, .concrete, .linen, .stone, .marble]
            return options.first(where: allowed) ?? material
        }

        var wallMaterial = description.wall.material ?? (expand || description.setting != nil ? defaults.wall : .plaster)
        var floorMaterial = description.floor.material ?? (expand || description.setting != nil ? defaults.floor : .paper)
        if description.onTable && description.floor.material == nil && expand { floorMaterial = choices.pick([.oak, .walnut, .marble, .linen]) }
        if !allowed(wallMaterial) { wallMaterial = alternative(to: wallMaterial, backdrop: true) }
        if !allowed(floorMaterial) { floorMaterial = alternative(to: floorMaterial, backdrop: false) }

        func color(_ surface: SurfaceDescription, material: Material, settingColor: SceneColor?, isWall: Bool) -> SceneColor {
            var color: SceneColor
            if let named = surface.color {
                color = named
                // A colour on a textured material tints it rather than painting over it.
                if material != .plaster && material != .paper && material != .velvet && material != .tiles {
                    color = material.defaultColor.mixed(with: named, 0.65)
                }
            } else if let settingColor, surface.material == nil {
                color = settingColor
            } else if isWall, material == .plaster || material == .paper, expand, setting == .studio {
                color = choices.pick(studioPalette)
            } else {
                color = material.defaultColor
            }
            if expand && surface.color == nil {
                // A little variation between seeds, kept subtle so "white marble" stays white.
                color = color.scaled(choices.uniform(0.95, 1.04))
            }
            for tone in surface.tones + description.sceneTones { color = tone.applied(to: color) }
            return color
        }
        var wallColor = color(description.wall, material: wallMaterial, settingColor: defaults.wallColor, isWall: true)
        var floorColor = color(description.floor, material: floorMaterial, settingColor: defaults.floorColor, isWall: false)
        if setting == .studio && description.floor.material == nil && description.floor.color == nil && floorMaterial == .paper {
            // One roll of paper: the floor is the wall's colour, a touch lighter where the light lands.
            floorColor = wallColor.mixed(with: SceneColor(1, 1, 1), 0.08)
        }
        // Colours the negative prompt rules out are replaced by a neutral of the same lightness.
        func avoid(_ color: SceneColor) -> SceneColor {
            guard excludedColors.contains(where: { $0.distance(to: color) < 0.35 }) else { return color }
            let grey = color.luminance
            let candidates = [SceneColor(grey, grey, grey), .hex(0xE9E4DC), .hex(0x8C8C8C), .hex(0x3A3A3A)]
            return candidates.first { candidate in !excludedColors.contains(where: { $0.distance(to: candidate) < 0.35 }) } ?? color
        }
        wallColor = avoid(wallColor)
        floorColor = avoid(floorColor)

        let mood = description.light ?? (expand || description.setting != nil ? defaults.light : .soft)
        var light = SceneLight(mood: mood, choices: &choices)
        if studioModel { light.softness = min(1, light.softness + 0.2) }

        var props = description.props
        if expand && !description.minimal && description.props.isEmpty && (setting == .studio || setting == .livingRoom) {
            if choices.chance(0.35) { props.insert(.plant) }
            let bareStudio = setting == .studio && description.floor.material == nil && !description.onTable
            if choices.chance(0.25) && !studioModel && bareStudio { props.insert(.pedestal) }
        }
        if description.minimal || studioModel { props.remove(.plant) }

        return ResolvedScene(
            setting: setting, wallMaterial: wallMaterial, wallColor: wallColor, floorMaterial: floorMaterial, floorColor: floorColor,
            mood: mood, light: light, props: props, pedestalRequested: description.props.contains(.pedestal),
            seamlessSweep: (studioModel && !setting.isOutdoor) || (setting == .studio && wallMaterial == .plaster && (floorMaterial == .paper || floorMaterial == .plaster)),
            textureContrast: studioModel ? 0.6 : (description.minimal ? 0.75 : 1),
            depthOfField: (description.closeUp ? 0.014 : 0.008) * (studioModel ? 0.8 : 1),
            vignette: studioModel ? 0.1 : (mood == .dim || mood == .neon ? 0.4 : 0.22),
            closeUp: description.closeUp, inFrontOfWall: description.inFrontOfWall,
            plantSide: choices.chance(0.5) ? -1 : 1, horizonJitter: choices.uniform(-1, 1),
            textureOffset: (choices.uniform(0, 1000), choices.uniform(0, 1000)))
    }
}

extension SceneLight {
    /// The light a mood implies, turned a little by the seed so two seeds do not cast identical shadows.
    init(mood: LightMood, choices: inout SeededChoices) {
        let side = choices.chance(0.5) ? 1.0 : -1.0
        func around(_ degrees: Double, _ spread: Double) -> Double { degrees + choices.uniform(-spread, spread) }
        switch mood {
        case .studio: self.init(azimuth: around(20, 15) * side, elevation: around(55, 5), softness: 0.6)
        case .soft: self.init(azimuth: around(15, 15) * side, elevation: around(60, 5), softness: 0.85, tint: (1.0, 0.99, 0.97))
        case .bright: self.init(azimuth: around(25, 15) * side, elevation: around(65, 5), softness: 0.4, tint: (1.02, 1.0, 0.97))
        case .sunny: self.init(azimuth: around(45, 20) * side, elevation: around(55, 8), softness: 0.25, tint: (1.04, 1.0, 0.93))
        case .dim: self.init(azimuth: around(60, 20) * side, elevation: around(35, 5), softness: 0.7, tint: (0.92, 0.95, 1.05))
        case .sunset: self.init(azimuth: around(110, 25) * side, elevation: around(10, 3), softness: 0.35, tint: (1.12, 0.9, 0.7))
        case .goldenHour: self.init(azimuth: around(75, 25) * side, elevation: around(18, 4), softness: 0.4, tint: (1.1, 0.96, 0.78))
        case .neon: self.init(azimuth: around(80, 15) * side, elevation: around(30, 5), softness: 0.45, tint: (1.05, 0.85, 1.12))
        case .backlit: self.init(azimuth: around(180, 20), elevation: around(25, 5), softness: 0.5, tint: (1.04, 1.0, 0.95))
        }
        azimuth = (azimuth + 360).truncatingRemainder(dividingBy: 360)
    }
}
