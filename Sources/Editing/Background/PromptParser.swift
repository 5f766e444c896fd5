import Foundation
import Imaging

/// Turns a prompt into a `SceneDescription`: lower-case words, a simple lemmatiser (plurals and a few
/// derived forms), then the longest phrase of the vocabulary at each position. Modifiers (colours, light,
/// dark, pastel, …) wait for the next noun they can describe; words nothing could use are reported.
enum PromptParser {
    /// A vocabulary entry.
    enum Term: Equatable {
        case material(Material)
        case setting(Setting)
        case color(SceneColor)
        case tone(Tone)
        case light(LightMood)
        case prop(Prop)
        /// A noun naming which surface the modifiers before it describe.
        case surface(Surface)
        case closeUp, minimal, inFront
    }

    enum Surface { case wall, floor, table }

    struct Result: Equatable {
        var scene: SceneDescription
        /// Content words the generator could not use, in prompt order.
        var unused: [String]
        /// Materials and colours named (for negative prompts).
        var materials: [Material]
        var colors: [SceneColor]
    }

    /// Words that carry no scene information; they are neither used nor reported.
    static let stopWords: Set<String> = [
        "a", "an", "the", "of", "on", "in", "at", "with", "and", "or", "to", "for", "by", "from", "into", "onto",
        "is", "are", "be", "it", "its", "this", "that", "some", "very", "photo", "photograph", "image", "picture",
        "shot", "product", "background", "backdrop", "scene", "setting", "style", "lighting", "lit", "high",
        "quality", "realistic", "photorealistic", "professional", "beautiful", "nice", "up", "top", "front", "behind",
    ]

    /// Phrases, longest first when matching. Keys are lemmatised words joined by spaces.
    static let vocabulary: [String: Term] = {
        var table: [String: Term] = [:]
        func add(_ words: [String], _ term: Term) { for word in words { table[word] = term } }
        add(["marble", "marbled"], .material(.marble))
        add(["wood", "wooden", "timber", "plank"], .material(.wood))
        add(["oak"], .material(.oak))
        add(["walnut"], .material(.walnut))
        add(["concrete", "cement", "asphalt"], .material(.concrete))
        add(["linen", "fabric", "cloth", "cotton", "textile", "tablecloth"], .material(.linen))
        add(["velvet", "satin", "silk"], .material(.velvet))
        add(["paper", "cardboard", "seamless"], .material(.paper))
        add(["sand", "sandy", "dune"], .material(.sand))
        add(["water", "pool", "lake", "ripple"], .material(.water))
        add(["grass", "grassy", "lawn", "moss", "meadow"], .material(.grass))
        add(["terrazzo"], .material(.terrazzo))
        add(["stone", "slate", "granite", "rock", "travertine", "limestone", "pebble"], .material(.stone))
        add(["tile", "tiled", "ceramic"], .material(.tiles))
        add(["brick"], .material(.brick))
        add(["metal", "steel", "aluminium", "aluminum", "chrome", "brushed metal", "stainless steel"], .material(.metal))
        add(["plaster", "stucco", "painted", "paint"], .material(.plaster))
        add(["studio", "photo studio"], .setting(.studio))
        add(["kitchen", "countertop", "kitchen counter"], .setting(.kitchen))
        add(["bathroom", "spa", "bath"], .setting(.bathroom))
        add(["beach", "sea", "ocean", "seaside", "coast", "shore"], .setting(.beach))
        add(["forest", "woodland", "jungle", "tree", "garden", "nature"], .setting(.forest))
        add(["street", "city", "urban", "sidewalk", "pavement"], .setting(.street))
        add(["living room", "livingroom", "lounge", "home", "interior", "sofa", "couch"], .setting(.livingRoom))
        add(["sky", "cloud", "cloudy", "heaven"], .setting(.sky))
        add(["pedestal", "podium", "plinth", "cylinder", "stand"], .prop(.pedestal))
        add(["plant", "leaf", "palm", "monstera", "flower", "foliage"], .prop(.plant))
        add(["wall"], .surface(.wall))
        add(["floor", "ground", "surface"], .surface(.floor))
        add(["table", "tabletop", "desk", "counter", "shelf", "bench"], .surface(.table))
        add(["light", "pale", "bright colored"], .tone(.light))
        add(["dark", "deep"], .tone(.dark))
        add(["pastel"], .tone(.pastel))
        add(["warm"], .tone(.warm))
        add(["cool", "cold"], .tone(.cool))
        add(["soft", "diffuse", "diffused", "overcast", "gentle", "natural"], .light(.soft))
        add(["bright", "airy", "daylight", "sunlight", "sunlit", "sunny", "sun"], .light(.bright))
        add(["dim", "moody", "dramatic", "night", "shadowy"], .light(.dim))
        add(["sunset", "dusk", "sundown"], .light(.sunset))
        add(["golden hour", "golden", "sunrise", "dawn"], .light(.goldenHour))
        add(["neon", "cyberpunk"], .light(.neon))
        add(["backlit", "backlight", "backlighting", "rim light", "back light"], .light(.backlit))
        add(["studio light", "studio lighting"], .light(.studio))
        add(["close up", "closeup", "close", "macro", "detail"], .closeUp)
        add(["minimal", "minimalist", "minimalistic", "simple", "clean", "plain"], .minimal)
        add(["in front", "front of", "against"], .inFront)
        for (name, _) in ColorParsing.cssColors {
            guard let rgba = ColorParsing.named[name] else { continue }
            table[name] = .color(SceneColor(Double(rgba.red) / 255, Double(rgba.green) / 255, Double(rgba.blue) / 255))
        }
        // Colour words people use that CSS does not name, or names oddly.
        let extra: [(String, UInt32)] = [("cream", 0xF3EBDD), ("sage", 0x9CAF88), ("terracotta", 0xC8654B), ("blush", 0xE8B4B0),
                                         ("mint", 0xA8DCC0), ("emerald", 0x2E8B57), ("navy", 0x1F2A48), ("charcoal", 0x36454F),
                                         ("mustard", 0xD8A31A), ("sand colored", 0xE2CFA6), ("nude", 0xE3BC9A), ("rose", 0xE8A0A8),
                                         ("off white", 0xF4F1EA), ("offwhite", 0xF4F1EA), ("grey", 0x9A9A9A), ("gray", 0x9A9A9A)]
        for (name, value) in extra { table[name] = .color(.hex(value)) }
        return table
    }()

    static let longestPhrase = vocabulary.keys.map { $0.split(separator: " ").count }.max() ?? 1

    /// Lower-case words, split on anything that is not a letter.
    static func tokens(_ text: String) -> [String] {
        text.lowercased().split(whereSeparator: { !$0.isLetter }).map(String.init)
    }

    /// The vocabulary's form of `word`: itself when known, else with a plural or derived ending removed.
    static func lemma(_ word: String) -> String {
        if vocabulary[word] != nil || stopWords.contains(word) { return word }
        var candidates: [String] = []
        if word.hasSuffix("ies") { candidates.append(String(word.dropLast(3)) + "y") }
        if word.hasSuffix("es") { candidates.append(String(word.dropLast(2))) }
        if word.hasSuffix("s") { candidates.append(String(word.dropLast())) }
        if word.hasSuffix("ed") { candidates.append(String(word.dropLast(2))); candidates.append(String(word.dropLast(1))) }
        if word.hasSuffix("ish") { candidates.append(String(word.dropLast(3))) }
        if word.hasSuffix("y") { candidates.append(String(word.dropLast())) }
        return candidates.first { vocabulary[$0] != nil } ?? word
    }

    static func parse(_ prompt: String) -> Result {
        let words = tokens(prompt).map(lemma)
        var terms: [(term: Term, word: String)] = []
        var unused: [String] = []
        var index = 0
        while index < words.count {
            var matched = false
            for length in stride(from: min(longestPhrase, words.count - index), through: 1, by: -1) {
                let phrase = words[index..<index + length].joined(separator: " ")
                if let term = vocabulary[phrase] {
                    terms.append((term, phrase)); index += length; matched = true; break
                }
            }
            if matched { continue }
            let word = words[index]
            if !stopWords.contains(word) && !unused.contains(word) { unused.append(word) }
            index += 1
        }
        return bind(terms, unused: unused)
    }

    /// Attaches modifiers to the nouns after them and fills the scene.
    static func bind(_ terms: [(term: Term, word: String)], unused: [String]) -> Result {
        var scene = SceneDescription()
        var result = Result(scene: scene, unused: unused, materials: [], colors: [])
        var pendingColor: SceneColor?
        var pendingTones: [Tone] = []
        var pendingMaterial: Material?

        func nextSurface(after position: Int) -> Surface? {
            // A surface noun right after a run of modifiers and one material ("dark walnut table").
            for later in terms[(position + 1)...] {
                switch later.term {
                case .surface(let surface): return surface
                case .color, .tone, .material: continue
                default: return nil
                }
            }
            return nil
        }
        func apply(to surface: Surface) {
            var description = surface == .wall ? scene.wall : scene.floor
            if let pendingMaterial { description.material = pendingMaterial }
            if let pendingColor { description.color = pendingColor }
            description.tones += pendingTones
            if surface == .wall { scene.wall = description } else { scene.floor = description }
            if surface == .table { scene.onTable = true }
            pendingMaterial = nil; pendingColor = nil; pendingTones = []
        }
        for (position, entry) in terms.enumerated() {
            switch entry.term {
            case .color(let color): pendingColor = color; result.colors.append(color)
            case .tone(let tone):
                // "soft light", "neon light": the word light names the lighting there, not a lighter colour.
                if tone == .light, position > 0, case .light = terms[position - 1].term { continue }
                // "natural light": with no colour or material after it, light is the noun, not a lighter tone.
                if tone == .light, !terms[(position + 1)...].contains(where: { $0.term.isColorOrMaterial }) { continue }
                pendingTones.append(tone)
            case .material(let material):
                result.materials.append(material)
                // "pool water": a second word for the floor's material says nothing new.
                if scene.floor.material == material || scene.wall.material == material { continue }
                pendingMaterial = material
                guard nextSurface(after: position) == nil else { continue }
                if material.isGroundOnly && scene.floor.material != nil { pendingMaterial = nil; continue }
                // The first ground material is what the subject stands on; the next one dresses the wall.
                if !material.isBackdropOnly && scene.floor.material == nil {
                    apply(to: .floor)
                } else if scene.wall.material == nil {
                    apply(to: .wall)
                } else {
                    apply(to: .floor)
                }
            case .surface(let surface):
                apply(to: surface)
            case .setting(let setting):
                scene.setting = scene.setting ?? setting
                // "a white kitchen": the colour describes the room's walls.
                if pendingColor != nil || !pendingTones.isEmpty { apply(to: .wall) }
            case .light(let mood):
                // "soft pink": a lighting word right before a colour is kept as the light all the same.
                scene.light = scene.light ?? mood
            case .prop(let prop): scene.props.insert(prop)
                if pendingColor != nil || pendingMaterial != nil {
                    // "a marble pedestal" describes the prop; Darkroom draws props in the floor's material family.
                    pendingColor = nil; pendingMaterial = nil; pendingTones = []
                }
            case .closeUp: scene.closeUp = true
            case .minimal: scene.minimal = true
            case .inFront: scene.inFrontOfWall = true
            }
        }
        // Modifiers left at the end describe the scene as a whole ("… , pastel") or the wall ("… in pink").
        if pendingColor != nil { apply(to: .wall) }
        scene.sceneTones = pendingTones
        result.scene = scene
        return result
    }
}

extension PromptParser.Term {
    var isColorOrMaterial: Bool {
        switch self {
        case .color, .material: return true
        default: return false
        }
    }
}
