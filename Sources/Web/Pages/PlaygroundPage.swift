import Editing
import Foundation

/// `/playground`: every `/v2/edit` argument as a form field, grouped as in the docs, built from the OpenAPI
/// document; values come prefilled from the page's query (so links from the docs and shared links work). The
/// cross rules travel as data attributes that `playground.js` enforces; ranges and choices are the inputs' own.
struct PlaygroundPage {
    let document: [String: Any]
    let values: [String: String]
    let session: WebStore.Session?
    let teams: [String]
    /// False when the server runs without accounts (`--no-accounts`): no key to ask for.
    var keysInUse = true

    var editPost: [String: Any] { ((document["paths"] as? [String: Any])?["/v2/edit"] as? [String: Any])?["post"] as? [String: Any] ?? [:] }

    var properties: [String: [String: Any]] {
        let content = (editPost["requestBody"] as? [String: Any])?["content"] as? [String: Any]
        let schema = (content?["multipart/form-data"] as? [String: Any])?["schema"] as? [String: Any]
        return schema?["properties"] as? [String: [String: Any]] ?? [:]
    }

    func render() -> String {
        var html = "<h1>Playground</h1>"
        html += !keysInUse ? "<p>This server runs without API keys: previews are sent straight to <code>/v2/edit</code>.</p>"
            : session == nil
            ? "<p>Paste an API key to preview (prefix it with <code>sandbox_</code> for free, watermarked tries), or <a href=\"/signin\">sign in</a> to use your team's sandbox.</p>"
            : "<p>Previews run in the chosen team's sandbox: free and watermarked. Every change re-renders after a short pause.</p>"
        html += "<noscript><p class=\"error\">The live preview needs JavaScript; the curl command in the <a href=\"/docs\">docs</a> works without it.</p></noscript>"
        let csrf = session.map { HTML.escape($0.csrf) } ?? ""
        html += "<div class=\"playground\"><form id=\"playground-form\" data-signed-in=\"\(session != nil)\" data-keyless=\"\(!keysInUse)\" data-csrf=\"\(csrf)\" novalidate>"
        html += "<fieldset><legend>Access</legend>"
        if !keysInUse {
            html += "<p class=\"muted\">No key needed.</p>"
        } else if session != nil {
            html += "<label for=\"team\">Team (sandbox)</label><select id=\"team\" name=\"_team\">"
            for team in teams {
                html += "<option value=\"\(HTML.escape(team))\"\(values["team"] == team ? " selected" : "")>\(HTML.escape(team))</option>"
            }
            html += "</select>"
        } else {
            html += "<label for=\"api-key\">API key</label><input id=\"api-key\" name=\"_apiKey\" type=\"password\" autocomplete=\"off\" placeholder=\"sandbox_dk_…\">"
        }
        html += "</fieldset>"
        var groups: [String: [(String, [String: Any])]] = [:]
        for (name, property) in properties where name != "apiKey" {
            groups[property["x-darkroom-group"] as? String ?? "Other", default: []].append((name, property))
        }
        let order = ArgumentCatalogue.groups
        for group in order + groups.keys.filter { !order.contains($0) }.sorted() {
            guard let entries = groups[group] else { continue }
            html += "<fieldset><legend>\(HTML.escape(group))</legend>"
            let catalogueOrder = Dictionary(uniqueKeysWithValues: properties.keys.sorted().enumerated().map { ($1, $0) })
            for (name, property) in entries.sorted(by: { Self.rank($0.0, catalogueOrder) < Self.rank($1.0, catalogueOrder) }) {
                html += field(name, property)
            }
            html += "</fieldset>"
        }
        html += headerFields()
        html += "</form>"
        html += """
            <div class="preview" id="preview-pane">
            <p id="status" role="status" aria-live="polite" class="muted">Choose a photo to start.</p>
            <p id="error" role="alert" class="error hidden"></p>
            <div class="spinner" aria-hidden="true"></div>
            <div class="compare" id="compare"><img id="result" alt="Edited result"><img id="before" class="before hidden" alt="Original photo"></div>
            <label for="slider">Before / after</label><input id="slider" type="range" min="0" max="100" value="0">
            <h2>curl</h2><pre><code id="curl"></code></pre>
            <h2>GET URL</h2><pre><code id="get-url">Give the photo by URL for a GET link.</code></pre>
            <p><a id="share" href="/playground">Shareable link to these arguments</a> <span class="muted">(never includes the key)</span></p>
            </div></div>
            """
        return html
    }

    static func rank(_ name: String, _ fallback: [String: Int]) -> Int {
        (ArgumentCatalogueOrder.index[name] ?? 1000) * 1000 + (fallback[name] ?? 0)
    }

    func field(_ name: String, _ property: [String: Any]) -> String {
        let id = "f-" + name
        let kind = property["x-darkroom-kind"] as? String ?? "string"
        let value = values[name] ?? ""
        var attributes = "id=\"\(HTML.escape(id))\" name=\"\(HTML.escape(name))\" aria-describedby=\"\(HTML.escape(id))-why\""
        var input: String
        switch kind {
        case "boolean", "choice":
            let choices = (property["enum"] as? [String]) ?? ["true", "false"]
            let defaultValue = property["default"].map(DocsPage.text)
            input = "<select \(attributes)><option value=\"\">\(defaultValue.map { "(default: \(HTML.escape($0)))" } ?? "(not set)")</option>"
            for choice in choices { input += "<option\(choice == value ? " selected" : "")>\(HTML.escape(choice))</option>" }
            input += "</select>"
        case "file":
            input = "<input \(attributes) type=\"file\" accept=\"image/*\">"
        case "number":
            if let minimum = property["minimum"] as? Double { attributes += " min=\"\(DocsPage.format(minimum))\"" }
            if let maximum = property["maximum"] as? Double { attributes += " max=\"\(DocsPage.format(maximum))\"" }
            input = "<input \(attributes) type=\"number\" step=\"any\" value=\"\(HTML.escape(value))\" placeholder=\"\(HTML.escape(property["default"].map(DocsPage.text) ?? ""))\">"
        default:
            let type = kind == "url" ? "url" : "text"
            let options = kind == "size" ? ["auto", "originalImage", "croppedSubject", "1000x1000"]
                : kind == "numberOrPreset" ? ((property["oneOf"] as? [[String: Any]])?.last?["enum"] as? [String] ?? []) : []
            let list = options.isEmpty ? "" : " list=\"\(HTML.escape(id))-list\""
            let placeholder = kind == "color" ? "FFFFFF or red" : kind == "length" ? "0.1, 10% or 40px" : (property["default"].map(DocsPage.text) ?? "")
            input = "<input \(attributes)\(list) type=\"\(type)\" value=\"\(HTML.escape(value))\" placeholder=\"\(HTML.escape(placeholder))\">"
            if !options.isEmpty {
                input += "<datalist id=\"\(HTML.escape(id))-list\">" + options.map { "<option value=\"\(HTML.escape($0))\">" }.joined() + "</datalist>"
            }
        }
        func json(_ key: String) -> String {
            guard let rules = property[key] else { return "[]" }
            return String(decoding: (try? JSONSerialization.data(withJSONObject: rules, options: [.sortedKeys])) ?? Data("[]".utf8), as: UTF8.self)
        }
        let help = (property["description"] as? String ?? "").replacingOccurrences(of: "`", with: "")
        return """
            <div class="field" data-name="\(HTML.escape(name))" data-kind="\(HTML.escape(kind))" data-requires="\(HTML.escape(json("x-darkroom-requires-any")))" \
            data-conflicts="\(HTML.escape(json("x-darkroom-conflicts")))">
            <label for="\(HTML.escape(id))">\(HTML.escape(name)) <a href="/docs#arg-\(HTML.escape(name))" aria-label="\(HTML.escape(name)) in the docs">?</a></label>
            \(input)<p class="why" id="\(HTML.escape(id))-why">\(HTML.escape(help))</p></div>
            """
    }

    /// The model-version headers, as fields named after the header.
    func headerFields() -> String {
        let parameters = editPost["parameters"] as? [[String: Any]] ?? []
        guard !parameters.isEmpty else { return "" }
        var html = "<fieldset><legend>Model versions (headers)</legend>"
        for parameter in parameters {
            guard let name = parameter["name"] as? String else { continue }
            let choices = (parameter["schema"] as? [String: Any])?["enum"] as? [String] ?? []
            let id = "h-" + name
            html += "<div class=\"field\" data-name=\"\(HTML.escape(name))\" data-header=\"true\" data-requires=\"[]\" data-conflicts=\"[]\"><label for=\"\(id)\">\(HTML.escape(name))</label>"
            html += "<select id=\"\(id)\" name=\"\(HTML.escape(name))\"><option value=\"\">(default)</option>"
            for choice in choices { html += "<option\(values[name] == choice ? " selected" : "")>\(HTML.escape(choice))</option>" }
            html += "</select><p class=\"why\"></p></div>"
        }
        return html + "</fieldset>"
    }
}

enum ArgumentCatalogueOrder {
    static let index = Dictionary(ArgumentCatalogue.all.enumerated().map { ($1.name, $0) }) { a, _ in a }
}
