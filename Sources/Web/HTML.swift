import Foundation

/// HTML escaping and a tiny template renderer: `{{name}}` is replaced by the escaped value, `{{{name}}}` by the
/// raw one (HTML the code built itself). Templates are the `.html` files among the module's resources.
enum HTML {
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// Percent-encodes a query component (everything but unreserved characters).
    static func queryComponent(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static func query(_ pairs: [(String, String)]) -> String {
        pairs.map { queryComponent($0.0) + "=" + queryComponent($0.1) }.joined(separator: "&")
    }
}

enum Resources {
    /// Every resource file by name, read once.
    static let files: [String: [UInt8]] = {
        // Foundation on Linux may or may not count the bundle's own `Resources` folder in resourceURL: look in both.
        let candidates = [Bundle.module.bundleURL.appendingPathComponent("Resources"), Bundle.module.resourceURL].compactMap { $0 }
        guard let folder = candidates.first(where: { FileManager.default.fileExists(atPath: $0.appendingPathComponent("layout.html").path) }),
              let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [:] }
        var files: [String: [UInt8]] = [:]
        for name in names {
            if let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) { files[name] = Array(data) }
        }
        return files
    }()

    static func text(_ name: String) -> String { files[name].map { String(decoding: $0, as: UTF8.self) } ?? "" }
}

enum Template {
    static func render(_ name: String, _ values: [String: String]) -> String {
        render(text: Resources.text(name), values)
    }

    static func render(text: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            let raw = rest[open.upperBound...].hasPrefix("{")
            let start = raw ? rest.index(after: open.upperBound) : open.upperBound
            guard let close = rest[start...].range(of: raw ? "}}}" : "}}") else { out += rest[open.lowerBound...]; return out }
            let key = rest[start..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            let value = values[key] ?? ""
            out += raw ? value : HTML.escape(value)
            rest = rest[close.upperBound...]
        }
        return out + rest
    }
}
