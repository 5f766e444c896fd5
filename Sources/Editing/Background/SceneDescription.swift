import Foundation

/// A colour in sRGB, each channel 0…1, for the generator's arithmetic.
struct SceneColor: Equatable, Sendable {
    var red: Double, green: Double, blue: Double

    init(_ red: Double, _ green: Double, _ blue: Double) { self.red = red; self.green = green; self.blue = blue }

    static func hex(_ value: UInt32) -> SceneColor {
        SceneColor(Double((value >> 16) & 0xFF) / 255, Double((value >> 8) & 0xFF) / 255, Double(value & 0xFF) / 255)
    }

    var luminance: Double { 0.2126 * red + 0.7152 * green + 0.0722 * blue }

    func mixed(with other: SceneColor, _ t: Double) -> SceneColor {
        SceneColor(red + (other.red - red) * t, green + (other.green - green) * t, blue + (other.blue - blue) * t)
    }

    func scaled(_ factor: Double) -> SceneColor { SceneColor(red * factor, green * factor, blue * factor) }

    func times(_ other: SceneColor) -> SceneColor { SceneColor(red * other.red, green * other.green, blue * other.blue) }

    /// Moves the colour towards its own grey by `amount` (0 keeps it, 1 makes it grey).
    func desaturated(_ amount: Double) -> SceneColor { mixed(with: SceneColor(luminance, luminance, luminance), amount) }

    /// Distance in RGB, used to decide whether a negative prompt's colour rules a colour out.
    func distance(to other: SceneColor) -> Double {
        let r = red - other.red, g = green - other.green, b = blue - other.blue
        return (r * r + g * g + b * b).squareRoot()
    }
}

/// Surfaces the generator can texture. Each has a typical colour used when the prompt names none.
enum Material: String, CaseIterable, Sendable {
    case plaster, paper, marble, wood, oak, walnut, concrete, linen, velvet, sand, water, grass, terrazzo, stone
    case tiles, brick, metal, sky, foliage

    var defaultColor: SceneColor {
        switch self {
        case .plaster: return .hex(0xE9E4DC)
        case .paper: return .hex(0xF1EEE8)
        case .marble: return .hex(0xEEEDEA)
        case .wood: return .hex(0xA47551)
        case .oak: return .hex(0xC19A6B)
        case .walnut: return .hex(0x5C4033)
        case .concrete: return .hex(0xA8A6A1)
        case .linen: return .hex(0xDCD3C3)
        case .velvet: return .hex(0x6E2639)
        case .sand: return .hex(0xE2CFA6)
        case .water: return .hex(0x3A8DA8)
        case .grass: return .hex(0x5E8C3A)
        case .terrazzo: return .hex(0xE6E0D6)
        case .stone: return .hex(0x9C968E)
        case .tiles: return .hex(0xF2F2EF)
        case .brick: return .hex(0xA0523D)
        case .metal: return .hex(0xB8BCC2)
        case .sky: return .hex(0x8EC3EA)
        case .foliage: return .hex(0x3F6B35)
        }
    }

    /// Only makes sense as a backdrop, never as the ground the subject stands on.
    var isBackdropOnly: Bool { self == .sky || self == .foliage || self == .brick }
    /// Only makes sense as ground: a wall of water or sand is not a scene.
    var isGroundOnly: Bool { self == .water || self == .sand || self == .grass }
}

enum Setting: String, CaseIterable, Sendable {
    case studio, kitchen, bathroom, beach, forest, street, livingRoom, sky

    /// Wall and floor materials, their colours (nil: the material's own) and the light a setting implies.
    var defaults: (wall: Material, floor: Material, wallColor: SceneColor?, floorColor: SceneColor?, light: LightMood) {
        switch self {
        case .studio: return (.plaster, .paper, nil, nil, .studio)
        case .kitchen: return (.tiles, .marble, nil, nil, .soft)
        case .bathroom: return (.tiles, .stone, .hex(0xDDE7EA), .hex(0xBFC3C4), .bright)
        case .beach: return (.sky, .sand, nil, nil, .sunny)
        case .forest: return (.foliage, .grass, nil, .hex(0x4F6B33), .dim)
        case .street: return (.brick, .concrete, nil, .hex(0x6F6D6A), .soft)
        case .livingRoom: return (.plaster, .oak, .hex(0xE4D8C8), nil, .soft)
        case .sky: return (.sky, .paper, nil, .hex(0xF4F6FA), .bright)
        }
    }

    var isOutdoor: Bool { self == .beach || self == .forest || self == .street || self == .sky }
}

/// The light the prompt asks for; each maps to one `SceneLight` and a colour grade.
enum LightMood: String, CaseIterable, Sendable {
    case studio, soft, bright, dim, sunset, goldenHour, neon, backlit, sunny
}

/// Lightness adjectives applied to a colour or a material.
enum Tone: String, Sendable {
    case light, dark, pastel, warm, cool

    func applied(to color: SceneColor) -> SceneColor {
        switch self {
        case .light: return color.mixed(with: SceneColor(1, 1, 1), 0.45)
        case .dark: return color.scaled(0.55)
        case .pastel: return color.desaturated(0.3).mixed(with: SceneColor(1, 1, 1), 0.45)
        case .warm: return color.times(SceneColor(1.06, 0.99, 0.88))
        case .cool: return color.times(SceneColor(0.92, 0.98, 1.06))
        }
    }
}

enum Prop: String, Sendable, CaseIterable { case pedestal, plant }

/// One surface as the prompt describes it: any of material, colour and tones may be missing.
struct SurfaceDescription: Equatable, Sendable {
    var material: Material?
    var color: SceneColor?
    var tones: [Tone] = []
}

/// What a prompt asks for, before defaults fill the gaps.
struct SceneDescription: Equatable, Sendable {
    var setting: Setting?
    var wall = SurfaceDescription()
    var floor = SurfaceDescription()
    var light: LightMood?
    /// Tones that apply to the whole scene ("a pastel scene", "dark and moody").
    var sceneTones: [Tone] = []
    var props: Set<Prop> = []
    var closeUp = false
    var minimal = false
    var onTable = false
    var inFrontOfWall = false
}
