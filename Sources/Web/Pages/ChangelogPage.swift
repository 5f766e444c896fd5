import Foundation

/// `/changelog`: Darkroom's own CHANGELOG.md (Keep a Changelog), rendered. The file is read where it lives —
/// `DARKROOM_CHANGELOG`, then `share/darkroom/CHANGELOG.md` beside an installed binary (`make install` puts it
/// there), then the source tree this binary was built from — so the page never drifts from the file.
enum ChangelogPage {
    static func locate() -> String? {
        var candidates: [String] = []
        if let path = ProcessInfo.processInfo.environment["DARKROOM_CHANGELOG"] { candidates.append(path) }
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent("../share/darkroom/CHANGELOG.md").path)
        }
        candidates.append(URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../CHANGELOG.md").path)
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    static func render() -> String {
        guard let path = locate(), let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return "<h1>Changelog</h1><p class=\"error\">CHANGELOG.md was not found next to this installation.</p>"
        }
        return "<article class=\"changelog\">" + Markdown.html(text) + "</article>"
    }
}

/// The Markdown a changelog uses: headings, paragraphs, bullet lists (with wrapped continuation lines), `code`,
/// **bold** and [links](url). Everything else is text, escaped.
enum Markdown {
    static func html(_ text: String) -> String {
        var out = "", paragraph: [String] = [], item: [String]? = nil, inList = false
        func flushItem() {
            if let current = item { out += "<li>" + inline(current.joined(separator: " ")) + "</li>\n"; item = nil }
        }
        func flushParagraph() {
            if !paragraph.isEmpty { out += "<p>" + inline(paragraph.joined(separator: " ")) + "</p>\n"; paragraph = [] }
        }
        func closeList() { flushItem(); if inList { out += "</ul>\n"; inList = false } }
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = String(raw)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { closeList(); flushParagraph(); continue }
            if let level = heading(trimmed) {
                closeList(); flushParagraph()
                let title = String(trimmed.dropFirst(level + 1))
                let id = title.lowercased().filter { $0.isLetter || $0.isNumber || $0 == " " || $0 == "-" }.replacingOccurrences(of: " ", with: "-")
                out += "<h\(level) id=\"\(HTML.escape(id))\">\(inline(title))</h\(level)>\n"
            } else if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") {
                flushParagraph(); flushItem()
                if !inList { out += "<ul>\n"; inList = true }
                item = [String(trimmed.dropFirst(2))]
            } else if item != nil, line.hasPrefix(" ") {
                item!.append(trimmed)
            } else {
                closeList()
                paragraph.append(trimmed)
            }
        }
        closeList(); flushParagraph()
        return out
    }

    static func heading(_ line: String) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        return (1...6).contains(hashes) && line.dropFirst(hashes).hasPrefix(" ") ? hashes : nil
    }

    static func inline(_ text: String) -> String {
        // Code spans first, so nothing inside them is read as Markdown.
        let pieces = text.split(separator: "`", omittingEmptySubsequences: false)
        return pieces.enumerated().map { index, piece in
            index % 2 == 1 && index < pieces.count - 1 ? "<code>\(HTML.escape(String(piece)))</code>" : emphasis(links(String(piece)))
        }.joined()
    }

    /// `[text](http…)` to a link; the rest escaped.
    static func links(_ text: String) -> String {
        var out = "", rest = Substring(text)
        while let open = rest.firstIndex(of: "["), let close = rest[open...].range(of: "]("),
              let end = rest[close.upperBound...].firstIndex(of: ")") {
            let label = rest[rest.index(after: open)..<close.lowerBound], url = rest[close.upperBound..<end]
            out += HTML.escape(String(rest[..<open]))
            if url.hasPrefix("http://") || url.hasPrefix("https://") || url.hasPrefix("/") || url.hasPrefix("#") {
                out += "<a href=\"\(HTML.escape(String(url)))\">\(HTML.escape(String(label)))</a>"
            } else {
                out += HTML.escape(String(rest[open...end]))
            }
            rest = rest[rest.index(after: end)...]
        }
        return out + HTML.escape(String(rest))
    }

    static func emphasis(_ html: String) -> String {
        let parts = html.components(separatedBy: "**")
        guard parts.count >= 3 else { return html }
        return parts.enumerated().map { $0.offset % 2 == 1 && $0.offset < parts.count - 1 ? "<strong>\($0.element)</strong>" : $0.element }.joined()
    }
}
