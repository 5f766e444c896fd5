import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// A `multipart/form-data` body split into its text fields (in order) and file parts.
///
/// The body is parsed as it arrives (multipart-kit's incremental parser), so an upload is held once — as the
/// bytes of its own part — and never as a whole body as well, and a part over its limit is refused the moment
/// it passes it, the rest of the body unread.
struct MultipartForm: Sendable {
    struct File: Sendable {
        var filename: String?
        var contentType: String?
        var bytes: [UInt8]
    }

    var fields: [(name: String, value: String)] = []
    var files: [String: File] = [:]

    /// What one form may hold.
    struct Limits: Sendable {
        /// Bytes per file part, by part name; `otherFileBytes` for any other file part.
        var fileBytes: [String: Int] = [:]
        var otherFileBytes: Int
        /// Bytes per text field: arguments are short, a prompt is a paragraph.
        var fieldBytes = 64 * 1024
        /// Parts in one form: a few dozen arguments and three images at most are meaningful.
        var parts = 200
        /// Bytes of the whole body, headers of the parts included.
        var totalBytes: Int

        /// No limit but the body's size: for a body that is already in memory.
        static func unlimited(total: Int) -> Limits { Limits(otherFileBytes: total, fieldBytes: total, parts: .max, totalBytes: total) }

        func fileLimit(_ name: String) -> Int { fileBytes[name] ?? otherFileBytes }
    }

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

    /// RFC 2046: a boundary is 1 to 70 characters.
    static let maximumBoundaryLength = 70

    /// Reads a request body as it arrives. Parts with a `filename` (or a non-text content type) are files; the
    /// rest are fields. A part over its limit is a 413 naming it; a malformed body is a `MultipartError`.
    static func read(_ body: RequestBody, boundary: String, limits: Limits) async throws -> MultipartForm {
        let reader = try Reader(boundary: boundary, limits: limits)
        for try await buffer in body {
            try reader.feed(buffer)
        }
        return try reader.finish()
    }

    /// Parses a body that is already in memory, with no limit but its own size.
    static func parse(_ body: [UInt8], boundary: String) throws -> MultipartForm {
        let reader = try Reader(boundary: boundary, limits: .unlimited(total: body.count))
        try reader.feed(ByteBuffer(bytes: body))
        return try reader.finish()
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

    /// Collects the parser's events into a form, part by part, enforcing the limits as bytes arrive. The
    /// parser's callbacks cannot throw, so the first problem is kept and thrown after the chunk that caused it.
    private final class Reader {
        let parser: MultipartParser
        let limits: Limits
        var form = MultipartForm()
        var problem: (any Error)?
        var totalBytes = 0
        var partCount = 0

        // The part being read.
        var name: String?, filename: String?, contentType: String?
        var isFile = false
        var bytes: [UInt8] = []
        var open = false
        /// The body's first bytes, and whether they closed the form before any part.
        var leading: [UInt8] = []
        var closedEmpty = false
        let boundary: String

        init(boundary: String, limits: Limits) throws {
            guard !boundary.isEmpty, boundary.utf8.count <= MultipartForm.maximumBoundaryLength else {
                throw MultipartError("the boundary is \(boundary.utf8.count) characters long; RFC 2046 allows 1 to \(MultipartForm.maximumBoundaryLength)")
            }
            parser = MultipartParser(boundary: boundary)
            self.boundary = boundary
            self.limits = limits
            parser.onHeader = { [unowned self] name, value in header(name, value) }
            parser.onBody = { [unowned self] buffer in content(&buffer) }
            parser.onPartComplete = { [unowned self] in complete() }
        }

        func feed(_ buffer: ByteBuffer) throws {
            totalBytes += buffer.readableBytes
            if totalBytes > limits.totalBytes {
                throw APIError(.contentTooLarge, "body: the upload is larger than the \(megabytes(limits.totalBytes)) limit", type: "upload_too_large")
            }
            guard !closedEmpty else { return }
            if leading.count < 128 { leading += buffer.readableBytesView.prefix(128 - leading.count) }
            do { try parser.execute(buffer) } catch {
                // multipart-kit reads a form of no parts (`--boundary--`) as a syntax error; it is an empty form,
                // and the route says what is missing.
                let empty = Array("--\(boundary)--".utf8)
                if partCount == 0, leading.starts(with: empty) || leading.starts(with: [13, 10] + empty) { closedEmpty = true; return }
                throw MultipartError("not a multipart/form-data body (bad part header or boundary line)")
            }
            if let problem { throw problem }
        }

        func finish() throws -> MultipartForm {
            if let problem { throw problem }
            if closedEmpty { return form }
            if open { throw MultipartError("part never ends (truncated body?)") }
            guard partCount > 0 else { throw MultipartError("no part starts with the boundary") }
            return form
        }

        private func fail(_ error: any Error) { if problem == nil { problem = error } }

        private func startIfNeeded() {
            guard !open else { return }
            open = true
            partCount += 1
            if partCount > limits.parts { fail(APIError(.contentTooLarge, "body: more than \(limits.parts) parts in the form", type: "too_many_parts")) }
        }

        private func header(_ headerName: String, _ value: String) {
            startIfNeeded()
            switch headerName.lowercased() {
            case "content-disposition":
                name = MultipartForm.parameter("name", in: value)
                filename = MultipartForm.parameter("filename", in: value)
            case "content-type":
                contentType = value
            default: break
            }
            isFile = filename != nil || !(contentType.map { $0.lowercased().hasPrefix("text/") } ?? true)
        }

        private func content(_ buffer: inout ByteBuffer) {
            startIfNeeded()
            guard problem == nil else { return }
            guard let name else { return fail(MultipartError("a part has no name")) }
            let limit = isFile ? limits.fileLimit(name) : limits.fieldBytes
            guard bytes.count + buffer.readableBytes <= limit else {
                return fail(isFile
                    ? APIError(.contentTooLarge, "\(name): the image is larger than the \(megabytes(limit)) limit", type: "image_too_large")
                    : APIError(.contentTooLarge, "\(name): the field is longer than \(limit / 1024) kB", type: "field_too_large"))
            }
            bytes.append(contentsOf: buffer.readableBytesView)
        }

        private func complete() {
            startIfNeeded()
            defer {
                name = nil; filename = nil; contentType = nil; isFile = false; bytes = []; open = false
            }
            guard problem == nil else { return }
            guard let name else { return fail(MultipartError("a part has no name")) }
            if isFile {
                form.files[name] = File(filename: filename, contentType: contentType, bytes: bytes)
            } else {
                form.fields.append((name, String(decoding: bytes, as: UTF8.self)))
            }
        }
    }
}

/// A limit in the units people use for uploads: whole megabytes from 1 MB up, then kilobytes, then bytes.
func megabytes(_ bytes: Int) -> String {
    bytes >= 1_048_576 ? "\(bytes / 1_048_576) MB" : bytes >= 1024 ? "\(bytes / 1024) kB" : "\(bytes) B"
}

struct MultipartError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = "malformed multipart body: \(description)" }
}
