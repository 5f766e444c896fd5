import HTTPTypes
import Hummingbird

/// A documented path asked with a method it does not serve answers 405 with `Allow` (RFC 9110 15.5.6), not
/// the router's 404, which would say the path does not exist. The table is the OpenAPI document's, so the
/// two cannot disagree.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = DarkroomContext

    /// Path → the methods it serves, upper case.
    let allowed: [String: Set<String>]

    init(allowed: [String: Set<String>] = OpenAPIDocument.methodsByPath()) {
        self.allowed = allowed
    }

    func handle(_ request: Request, context: DarkroomContext,
                next: (Request, DarkroomContext) async throws -> Response) async throws -> Response {
        let method = request.method.rawValue
        guard let methods = allowed[request.uri.path], !methods.contains(method), !(method == "HEAD" && methods.contains("GET")) else {
            return try await next(request, context)
        }
        var response = APIError(.methodNotAllowed, "\(method) is not served on \(request.uri.path); use \(methods.sorted().joined(separator: " or "))",
                                type: "method_not_allowed").response(shape: request.uri.path == "/v1/segment" ? .flat : .nested)
        response.headers[.allow] = methods.sorted().joined(separator: ", ")
        return response
    }
}
