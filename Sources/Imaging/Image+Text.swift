import Foundation
internal import CVips
internal import CVipsShim

extension Image {
    /// Renders `text` in `colour` on a transparent background (RGBA), with a Pango font description such
    /// as "sans bold 24". `wrapWidth` > 0 wraps lines at that many pixels.
    public static func text(_ text: String, font: String = "sans bold 24", colour: RGBA = .white,
                            wrapWidth: Int = 0, dpi: Int = 72) throws -> Image {
        guard !text.isEmpty else { throw ImagingError.invalidArgument("text is empty") }
        let hex = String(format: "#%02X%02X%02X", colour.red, colour.green, colour.blue)
        let markup = "<span foreground=\"\(hex)\">\(escapeMarkup(text))</span>"
        let rendered = try Image.make("text") { cvips_text(markup, font, Int32(wrapWidth), Int32(dpi), $0) }
        if colour.alpha == 255 { return rendered }
        return try rendered.linear([1, 1, 1, Double(colour.alpha) / 255], [0, 0, 0, 0])
    }

    /// Pango markup would interpret these characters; user text must not.
    static func escapeMarkup(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}
