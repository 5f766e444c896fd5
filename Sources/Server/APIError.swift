import Editing
import Foundation
import HTTPTypes
import Hummingbird
import Imaging

/// An error answered to a client: a status, a message that is safe to show, and the JSON shape of the
/// route it happened on (`/v1/segment` uses a flat `{detail, status_code, type}`; the others `{error:{message}}`).
public struct APIError: Error, Sendable {
    public enum Shape: Sendable { case flat, nested }

    public var status: HTTPResponse.Status
    public var message: String
    /// The `type` field of the flat shape, e.g. `missing_image`.
    public var type: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ message: String, type: String = "invalid_request", headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.type = type
        self.headers = headers
    }

    public func response(shape: Shape) -> Response {
        let body: [String: Any]
        switch shape {
        case .flat: body = ["detail": message, "status_code": Int(status.code), "type": type]
        case .nested where status.code == 402: body = ["error": ["detail": message]]
        case .nested: body = ["error": ["message": message]]
        }
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Maps whatever a handler threw to what the client is told. Anything unexpected becomes a 500 with a
    /// generic message: the client is never shown the details.
    public static func from(_ error: any Error) -> APIError {
        switch error {
        case let error as APIError: return error
        case let error as EditError:
            switch error {
            case .invalidArgument: return APIError(.badRequest, error.description, type: "invalid_argument")
            case .missing: return APIError(.badRequest, error.description, type: "missing_argument")
            case .notImplemented: return APIError(.notImplemented, error.description, type: "not_implemented")
            case .unavailable: return APIError(.notImplemented, error.description, type: "not_available")
            case .deadlineExceeded: return APIError(.serviceUnavailable, error.description, type: "timeout")
            case .backgroundGeneratorFailed: return APIError(.badGateway, error.description, type: "background_generator_failed")
            }
        case let error as ImagingError:
            switch error {
            case .tooManyPixels: return APIError(.contentTooLarge, error.description, type: "image_too_large")
            case .empty: return APIError(.badRequest, error.description, type: "empty_image")
            case .unsupportedFormat: return APIError(.unsupportedMediaType, error.description, type: "unsupported_image")
            case .decodeFailed: return APIError(.unprocessableContent, error.description, type: "corrupt_image")
            case .invalidArgument: return APIError(.badRequest, error.description, type: "invalid_argument")
            case .operationFailed: return APIError(.unprocessableContent, "the image could not be processed: \(error.description)", type: "processing_failed")
            }
        default:
            return APIError(.internalServerError, "An unexpected error occurred. Please try again later or contact support.", type: "internal_error")
        }
    }
}

/// Thrown out of a middleware or handler, an `APIError` answers in the `{error:{message}}` shape.
extension APIError: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response(shape: .nested)
    }
}
