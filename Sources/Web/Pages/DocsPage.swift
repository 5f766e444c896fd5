import Editing
import Foundation

/// `/docs`: the API reference rendered on the server from Darkroom's own OpenAPI document (every route, every
/// argument with its type, values, default and cross rules, the error shapes), then the guides.
struct DocsPage {
    let document: [String: Any]

    var paths: [String: [String: Any]] { document["paths"] as? [String: [String: Any]] ?? [:] }

    static let methodOrder = ["get", "post", "put", "delete"]

    func render() -> String {
        // The image routes first, then the account routes, then the operator's.
        let order = ["/v1/segment", "/v2/edit", "/v1/account", "/v2/account"]
        let sortedPaths = paths.keys.sorted { a, b in (order.firstIndex(of: a) ?? order.count, a) < (order.firstIndex(of: b) ?? order.count, b) }
        let routes = sortedPaths.flatMap { path in
            Self.methodOrder.filter { paths[path]?[$0] != nil }.map { (path, $0) }
        }
        var html = """
            <h1>API reference</h1>
            <p>Rendered from <a href="/openapi.json">/openapi.json</a>, the document this server generates from the same argument
            lists its parsers use. Every argument links to the <a href="/playground">playground</a> with it filled in.</p>
            <nav aria-label="Contents" class="card"><h2>Contents</h2><ul class="docs-nav">
            """
        for (path, method) in routes {
            html += "<li><a href=\"#\(Self.anchor(method, path))\"><code>\(method.uppercased()) \(HTML.escape(path))</code></a></li>"
        }
        html += """
            <li><a href="#arguments">Edit arguments</a></li><li><a href="#errors">Error shapes</a></li>
            <li><a href="#guide-keys">Keys and sandbox</a></li><li><a href="#guide-credits">Credits</a></li>
            <li><a href="#guide-layout">Layout rules</a></li><li><a href="#guide-urls">URL rules</a></li>
            <li><a href="#guide-limits">Limits</a></li><li><a href="#guide-nodes">Running several nodes</a></li></ul></nav>
            <h2 id="routes">Routes</h2>
            """
        for (path, method) in routes {
            html += route(path, method, paths[path]?[method] as? [String: Any] ?? [:])
        }
        html += arguments()
        html += errors()
        html += Guides.render()
        return html
    }

    static func anchor(_ method: String, _ path: String) -> String {
        method + "-" + path.split(separator: "/").joined(separator: "-").replacingOccurrences(of: ".", with: "-")
    }

    func route(_ path: String, _ method: String, _ operation: [String: Any]) -> String {
        var html = """
            <section class="card route" id="\(Self.anchor(method, path))">
            <h3><code>\(method.uppercased()) \(HTML.escape(path))</code></h3>
            <p>\(HTML.escape(operation["summary"] as? String ?? ""))\((operation["security"] as? [Any])?.isEmpty == true ? " — no key needed." : "")</p>
            """
        let parameters = operation["parameters"] as? [[String: Any]] ?? []
        if path == "/v2/edit" {
            let headers = parameters.filter { $0["in"] as? String == "header" }
            html += method == "get"
                ? "<p>Every <a href=\"#arguments\">edit argument</a> except the files goes in the query; <code>imageUrl</code> is required.</p>"
                : "<p>A <code>multipart/form-data</code> body with the <a href=\"#arguments\">edit arguments</a>; the photo as <code>imageFile</code>.</p>"
            html += "<p><a href=\"/playground?background.color=FFFFFF&amp;padding=0.1\">Try it in the playground</a>.</p>"
            html += parameterTable(headers, caption: "Headers")
        } else {
            html += parameterTable(parameters, caption: "Parameters")
            if let body = operation["requestBody"] as? [String: Any],
               let content = body["content"] as? [String: Any],
               let (type, media) = content.first,
               let schema = (media as? [String: Any])?["schema"] as? [String: Any],
               let properties = schema["properties"] as? [String: [String: Any]] {
                let required = Set(schema["required"] as? [String] ?? [])
                html += "<p>Body: <code>\(HTML.escape(type))</code></p><table><thead><tr><th>Field</th><th>Type</th><th>Required</th></tr></thead><tbody>"
                for name in properties.keys.sorted() {
                    html += "<tr><td><code>\(HTML.escape(name))</code></td><td>\(Self.typeText(properties[name]!))</td><td>\(required.contains(name) ? "yes" : "no")</td></tr>"
                }
                html += "</tbody></table>"
            }
        }
        if let responses = operation["responses"] as? [String: Any] {
            html += "<p>Responses: "
            html += responses.keys.sorted().map { code in
                let response = responses[code] as? [String: Any] ?? [:]
                let schema = ((response["content"] as? [String: Any])?["application/json"] as? [String: Any])?["schema"] as? [String: Any]
                let ref = (schema?["$ref"] as? String).map { " <a href=\"#errors\">" + HTML.escape(String($0.split(separator: "/").last ?? "")) + "</a>" } ?? ""
                return "<code>\(HTML.escape(code))</code> \(HTML.escape(response["description"] as? String ?? ""))\(ref)"
            }.joined(separator: " · ")
            html += "</p>"
        }
        return html + "</section>"
    }

    func parameterTable(_ parameters: [[String: Any]], caption: String) -> String {
        guard !parameters.isEmpty else { return "" }
        var html = "<table><caption>\(caption)</caption><thead><tr><th>Name</th><th>In</th><th>Type and values</th></tr></thead><tbody>"
        for parameter in parameters {
            html += "<tr><td><code>\(HTML.escape(parameter["name"] as? String ?? ""))</code></td><td>\(HTML.escape(parameter["in"] as? String ?? ""))</td>"
            html += "<td>\(Self.typeText(parameter["schema"] as? [String: Any] ?? [:]))</td></tr>"
        }
        return html + "</tbody></table>"
    }

    /// The edit arguments, grouped as in the playground, from the POST form's schema (which includes the files).
    func arguments() -> String {
        let post = paths["/v2/edit"]?["post"] as? [String: Any]
        let content = (post?["requestBody"] as? [String: Any])?["content"] as? [String: Any]
        let schema = (content?["multipart/form-data"] as? [String: Any])?["schema"] as? [String: Any]
        let properties = schema?["properties"] as? [String: [String: Any]] ?? [:]
        var groups: [String: [(String, [String: Any])]] = [:]
        for (name, property) in properties { groups[property["x-darkroom-group"] as? String ?? "Other", default: []].append((name, property)) }
        var html = "<h2 id=\"arguments\">Edit arguments (<code>/v2/edit</code>)</h2>"
        html += "<p>Booleans are the strings <code>true</code> and <code>false</code>. An argument Darkroom does not know is ignored and named in "
            + "the <code>pr-unsupported-attributes</code> response header; one it knows but has not implemented answers 501.</p>"
        let order = ArgumentCatalogue.groups + groups.keys.filter { !ArgumentCatalogue.groups.contains($0) }.sorted()
        for group in order {
            guard let entries = groups[group] else { continue }
            let sorted = entries.sorted { a, b in
                (ArgumentCatalogue.all.firstIndex { $0.name == a.0 } ?? .max, a.0) < (ArgumentCatalogue.all.firstIndex { $0.name == b.0 } ?? .max, b.0)
            }
            html += "<h3 id=\"group-\(HTML.escape(group.lowercased().replacingOccurrences(of: " ", with: "-")))\">\(HTML.escape(group))</h3>"
            html += "<table class=\"arguments\"><thead><tr><th>Argument</th><th>Type and values</th><th>Default</th><th>What it does; rules</th></tr></thead><tbody>"
            for (name, property) in sorted {
                let rules = property["x-darkroom-rules"] as? [String] ?? []
                let defaultText = property["default"].map { "<code>\(HTML.escape(Self.text($0)))</code>" }
                    ?? (property["x-darkroom-inherits"] as? String).map { "as <code>\(HTML.escape($0))</code>" } ?? "—"
                html += """
                    <tr id="arg-\(HTML.escape(name))"><td><a href="/playground?\(HTML.escape(Self.playgroundQuery(name, property)))"><code>\(HTML.escape(name))</code></a></td>
                    <td>\(Self.typeText(property))</td><td>\(defaultText)</td>
                    <td>\(Self.inline(property["description"] as? String ?? ""))\(rules.isEmpty ? "" : "<ul class=\"rules\">" + rules.map { "<li>\(Self.inline($0))</li>" }.joined() + "</ul>")</td></tr>
                    """
            }
            html += "</tbody></table>"
        }
        return html
    }

    /// A playground link that sets the argument to a telling value (and what its rules need).
    static func playgroundQuery(_ name: String, _ property: [String: Any]) -> String {
        var pairs: [(String, String)] = []
        for condition in property["x-darkroom-requires-any"] as? [[String: Any]] ?? [] {
            guard let argument = condition["argument"] as? String else { continue }
            pairs.append((argument, (condition["values"] as? [String])?.first ?? sampleValue(argument)))
            break
        }
        if name == "shadow.softnessOverride" || name.hasPrefix("shadow.") && name.hasSuffix("Override") { pairs.append(("pr-ai-shadows-model-version", "2026-04-15")) }
        let kind = property["x-darkroom-kind"] as? String
        if kind != "file" {
            let defaultValue = property["default"].map(text)
            let value = (property["enum"] as? [String])?.first(where: { $0 != defaultValue })
                ?? (kind == "boolean" ? (defaultValue == "true" ? "false" : "true") : nil)
                ?? defaultValue.flatMap { $0 == "transparent" ? nil : $0 } ?? sampleValue(name)
            pairs.append((name, value))
        }
        return HTML.query(pairs)
    }

    static func sampleValue(_ name: String) -> String {
        switch ArgumentCatalogue.info(name)?.kind {
        case .choice: return ArgumentCatalogue.info(name)?.values.first ?? "1"
        case .color: return "FFFFFF"
        case .length: return "0.1"
        case .boolean: return "false"
        case .size: return "1000x1000"
        case .numberOrPreset: return ArgumentCatalogue.info(name)?.values.first ?? "45"
        case .number:
            let range = ArgumentCatalogue.info(name)?.range
            return range.map { r in String(format: "%g", r.lowerBound + (r.upperBound - r.lowerBound) / 2) } ?? "1"
        case .url: return "https://example.com/photo.jpg"
        case .string: return name == "background.prompt" ? "a marble countertop in soft morning light" : "example"
        default: return "1"
        }
    }

    static func typeText(_ schema: [String: Any]) -> String {
        var parts: [String] = []
        if let oneOf = schema["oneOf"] as? [[String: Any]] {
            parts.append(oneOf.map { typeText($0) }.joined(separator: " or "))
        } else if let type = schema["type"] as? String {
            var text = type
            if let format = schema["format"] as? String { text += " (\(format == "binary" ? "file" : format))" }
            parts.append(text)
        } else if let ref = schema["$ref"] as? String {
            parts.append(String(ref.split(separator: "/").last ?? ""))
        }
        if let values = schema["enum"] as? [String] { parts.append("one of " + values.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: ", ")) }
        if let examples = schema["examples"] as? [String] { parts.append("e.g. " + examples.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: ", ")) }
        if let minimum = schema["minimum"] as? Double, let maximum = schema["maximum"] as? Double {
            parts.append("\(format(minimum))–\(format(maximum))")
        }
        if let pattern = schema["pattern"] as? String, schema["enum"] == nil { parts.append("pattern <code>\(HTML.escape(pattern))</code>") }
        return parts.joined(separator: "; ")
    }

    /// A JSON value as the docs print it.
    static func text(_ value: Any) -> String {
        if let bool = value as? Bool { return bool ? "true" : "false" }
        if let number = value as? Double { return format(number) }
        return "\(value)"
    }

    static func format(_ value: Double) -> String { value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value) }

    /// `code` spans in the catalogue's sentences.
    static func inline(_ text: String) -> String {
        let parts = HTML.escape(text).split(separator: "`", omittingEmptySubsequences: false)
        return parts.enumerated().map { $0.offset % 2 == 1 ? "<code>\($0.element)</code>" : String($0.element) }.joined()
    }

    func errors() -> String {
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any] ?? [:]
        var html = "<h2 id=\"errors\">Error shapes</h2><p>Bad input is always a JSON error with a 4xx status that names the argument or the limit.</p>"
        for name in schemas.keys.sorted() {
            let schema = schemas[name] as? [String: Any] ?? [:]
            let data = (try? JSONSerialization.data(withJSONObject: schema, options: [.prettyPrinted, .sortedKeys])) ?? Data()
            html += "<h3 id=\"schema-\(HTML.escape(name))\">\(HTML.escape(name))</h3><pre><code>\(HTML.escape(String(decoding: data, as: UTF8.self)))</code></pre>"
        }
        html += """
            <p>Examples: <code>/v2/edit</code> and the account routes answer
            <code>{"error": {"message": "background.blur.radius: must be a number between 0 and 0.05, got 2"}}</code>;
            <code>/v1/segment</code> answers <code>{"detail": "Please provide an image.", "status_code": 400, "type": "missing_image"}</code>.</p>
            """
        return html
    }
}
