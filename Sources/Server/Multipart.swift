import Foundation

/// A `multipart/form-data` body split into its text fields (in order) and file parts.
struct MultipartForm: Sendable {
    struct File: Sendable {
        var filename: String?
        var contentType: String?
        var bytes: [UInt8]
    }

    var fields: [(name: String, value: String)] = []
    var files: [String: File] = [:]

    /// The `boundary` parameter of a multipart Content-Type, or nil.
    static func boundary(fromContentType contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for part in parts.dropFirst() where part.lowercased().hasPrefix("boundary=") {
            var value = String(part.dropFirst("boundary=".count))
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// Parses `body`. Parts with a `filename` (or a non-text content type) are files; the rest are fields.
    /// RFC 2046: a boundary is 1 to 70 characters.
    static let maximumBoundaryLength = 70

    static func parse(_ body: [UInt8], boundary: String) throws -> MultipartForm {
        guard boundary.utf8.count <= maximumBoundaryLength else {
            throw MultipartError("the boundary is \(boundary.utf8.count) characters long; RFC 2046 allows at most \(maximumBoundaryLength)")
        }
        let delimiter = Array("--\(boundary)".utf8)
        var form = MultipartForm()
        guard var position = find(delimiter, in: body, from: 0) else { throw MultipartError("no part starts with the boundary") }
        position += delimiter.count
        while true {
            // After a delimiter: "--" ends the body, CRLF starts a part.
            if position + 2 <= body.count, body[position] == 45, body[position + 1] == 45 { return form }
            guard position + 2 <= body.count, body[position] == 13, body[position + 1] == 10 else {
                throw MultipartError("malformed boundary line")
            }
            position += 2
            guard let headerEnd = find([13, 10, 13, 10], in: body, from: position) else { throw MultipartError("part headers never end") }
            let headers = String(decoding: body[position..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let next = find([13, 10] + delimiter, in: body, from: contentStart) else { throw MultipartError("part never ends (truncated body?)") }
            let content = Array(body[contentStart..<next])
            position = next + 2 + delimiter.count

            var name: String?, filename: String?, contentType: String?
            for line in headers.split(separator: "\r\n") {
                let pair = line.split(separator: ":", maxSplits: 1)
                guard pair.count == 2 else { continue }
                let key = pair[0].trimmingCharacters(in: .whitespaces).lowercased()
                let value = pair[1].trimmingCharacters(in: .whitespaces)
                if key == "content-disposition" {
                    name = parameter("name", in: value)
                    filename = parameter("filename", in: value)
                } else if key == "content-type" {
                    contentType = value
                }
            }
            guard let name else { throw MultipartError("a part has no name") }
            let isText = contentType.map { $0.lowercased().hasPrefix("text/") } ?? true
            if filename != nil || !isText {
                form.files[name] = File(filename: filename, contentType: contentType, bytes: content)
            } else {
                form.fields.append((name, String(decoding: content, as: UTF8.self)))
            }
        }
    }

    static func parameter(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == key else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    /// First index of `needle` in `haystack` at or after `start`, by Knuth–Morris–Pratt: every haystack byte is
    /// looked at a bounded number of times whatever the needle, so a hostile boundary cannot make parsing
    /// quadratic.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, start >= 0, haystack.count - start >= needle.count else { return nil }
        // failure[i]: length of the longest proper prefix of needle[0...i] that is also its suffix.
        var failure = [Int](repeating: 0, count: needle.count)
        var k = 0
        for i in 1..<needle.count {
            while k > 0 && needle[i] != needle[k] { k = failure[k - 1] }
            if needle[i] == needle[k] { k += 1 }
            failure[i] = k
        }
        return haystack.withUnsafeBufferPointer { hay in
            var matched = 0
            for i in start..<hay.count {
                while matched > 0 && hay[i] != needle[matched] { matched = failure[matched - 1] }
                if hay[i] == needle[matched] { matched += 1 }
                if matched == needle.count { return i - needle.count + 1 }
            }
            return nil
        }
    }
}

struct MultipartError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = "malformed multipart body: \(description)" }
}
