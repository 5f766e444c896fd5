import Accounts
import Editing
import Hummingbird

/// `GET /v2/edit` (arguments in the query, image by URL) and `POST /v2/edit` (multipart form, image as
/// `imageFile` or, for older clients, `imageUrl`). Both end in the same `EditOptions` and pipeline.
struct EditRoute {
    let services: Services

    func register(on router: Router<DarkroomContext>) {
        let edit = router.apiGroup("v2/edit", services: services, route: "/v2/edit", shape: .nested)
        edit.get { request, context in
            await services.guarded(shape: .nested) {
                let arguments = QueryArguments.parse(request.uri.query ?? "").filter { $0.name != "apiKey" }
                return try await self.edit(arguments: arguments, files: [:], headers: request.modelVersionHeaders, method: "GET", context: context)
            }
        }
        edit.post { request, context in await post(request, context: context) }
    }

    /// `POST /v2/edit`; the playground's signed-in preview runs it too, behind the same `AccountMiddleware`.
    func post(_ request: Request, context: DarkroomContext) async -> Response {
        await services.guarded(shape: .nested) {
            guard let boundary = request.headers[.contentType].flatMap(MultipartForm.boundary) else {
                throw APIError(.unsupportedMediaType, "POST /v2/edit takes multipart/form-data; use GET for query arguments", type: "unsupported_media_type")
            }
            // Three images of 30 MB at most (photo, background, guidance), plus the form fields.
            let limit = services.configuration.maxImageBytesV2
            let form = try await readForm(request, boundary: boundary, limits: .init(otherFileBytes: limit, totalBytes: 3 * limit + 1_048_576))
            return try await edit(arguments: form.fields, files: form.files, headers: request.modelVersionHeaders, method: "POST", context: context)
        }
    }

    func edit(arguments: [(name: String, value: String)], files: [String: MultipartForm.File], headers: [String: String],
              method: String, context: DarkroomContext) async throws -> Response {
        let options = try EditOptions.parse(arguments, files: Set(files.keys), headers: headers)
        let unsupported = EditOptions.unsupportedArguments(arguments, files: Set(files.keys))
        guard files["imageFile"] != nil || options.imageURL != nil else {
            throw EditError.missing(argument: method == "GET" ? "imageUrl" : "imageFile", message: "must be provided")
        }
        // Paid for before the downloads and the work; given back if anything below fails.
        // Up to three downloads follow: the photo, a background and a guidance image.
        try await context.billing?.reserve(AccountPolicy.editCost, downloads: 3)
        let limit = services.configuration.maxImageBytesV2
        guard let image = try await self.image(file: files["imageFile"], url: options.imageURL, named: "", limit: limit) else {
            throw EditError.missing(argument: "imageFile", message: "must be provided")
        }
        let background = try await self.image(file: files["background.imageFile"], url: options.backgroundImageURL,
                                              named: "background.", limit: limit)
        let guidance = try await self.image(file: files["background.guidance.imageFile"], url: options.generatedBackground?.guidanceImageURL,
                                            named: "background.guidance.", limit: limit)
        let result = try await services.run(EditInput(image: image, backgroundImage: background, guidanceImage: guidance, options: options,
                                                      watermark: context.isSandbox))
        return services.imageResponse(result, unsupported: unsupported)
    }

    /// The image given as `<prefix>imageFile` or `<prefix>imageUrl`, or nil when neither is.
    func image(file: MultipartForm.File?, url: String?, named prefix: String, limit: Int) async throws -> [UInt8]? {
        if let file {
            return file.bytes
        }
        if let url { return try await services.fetcher.fetch(url, argument: prefix + "imageUrl", limit: limit) }
        return nil
    }
}
