import Accounts
import Editing
import Foundation
import Hummingbird
import NIOCore

/// `POST /v1/segment`: the remove-background preset of the edit pipeline, with v1's flat error shape.
struct SegmentRoute {
    let services: Services

    func register(on router: Router<DarkroomContext>) {
        router.apiGroup("v1/segment", services: services, route: "/v1/segment", shape: .flat).post { request, context in
            await services.guarded(shape: .flat) { try await handle(request, context: context) }
        }
    }

    func handle(_ request: Request, context: DarkroomContext) async throws -> Response {
        guard let boundary = request.headers[.contentType].flatMap(MultipartForm.boundary) else {
            throw APIError(.unsupportedMediaType, "Send the image as multipart/form-data with an image_file part.", type: "unsupported_media_type")
        }
        // One image; any other file part is not an argument of this route and only needs to be small.
        let limit = services.configuration.maxImageBytesV1
        let form = try await readForm(request, boundary: boundary,
                                      limits: .init(fileBytes: ["image_file": limit], otherFileBytes: 1_048_576, totalBytes: limit + 1_048_576))
        guard let file = form.files["image_file"], !file.bytes.isEmpty else {
            throw APIError(.badRequest, "Please provide an image.", type: "missing_image")
        }
        let options = try SegmentOptions.parse(form.fields, headers: request.modelVersionHeaders)
        try await context.billing?.reserve(options.maxOutputPixels == SegmentOptions.sizes["preview"] ? AccountPolicy.previewCost : AccountPolicy.segmentCost)
        let result = try await services.run(EditInput(image: file.bytes, options: options, watermark: context.isSandbox))
        if AcceptHeader.prefersJSON(request.headers[.accept]) {
            let json = try JSONSerialization.data(withJSONObject: ["base64img": Data(result.bytes).base64EncodedString()], options: [.withoutEscapingSlashes])
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[.init("x-uncertainty-score")!] = result.uncertainty < 0 ? "-1" : String(format: "%.4f", result.uncertainty)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json)))
        }
        return services.imageResponse(result, unsupported: SegmentOptions.unsupportedFields(form.fields))
    }
}

/// The request's form, read as it arrives within `limits`; a malformed body is a 400.
func readForm(_ request: Request, boundary: String, limits: MultipartForm.Limits) async throws -> MultipartForm {
    do { return try await MultipartForm.read(request.body, boundary: boundary, limits: limits) } catch let error as MultipartError {
        throw APIError(.badRequest, error.description, type: "malformed_body")
    }
}

/// Content negotiation for the one route that can answer JSON.
enum AcceptHeader {
    /// True when `application/json` has the highest q-value (the first listed wins a tie).
    static func prefersJSON(_ header: String?) -> Bool {
        guard let header else { return false }
        var best: (type: String, q: Double)?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let type = parts.first?.lowercased() else { continue }
            let q = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if best == nil || q > best!.q { best = (type, q) }
        }
        return best?.type == "application/json"
    }
}

extension Request {
    /// The request's `pr-…` headers, which pick model versions (spec 4.2), keyed by lower-case name.
    var modelVersionHeaders: [String: String] {
        var headers: [String: String] = [:]
        for field in self.headers where field.name.canonicalName.hasPrefix("pr-") {
            headers[field.name.canonicalName] = field.value
        }
        return headers
    }
}
