import Foundation
import HTTPTypes
import Hummingbird

/// Requests that arrive on a deprecated host name get `Deprecation`, `Sunset` (RFC 8594) and a successor
/// `Link` until the sunset date, and 410 Gone with the new base URL after it.
struct LegacyHostMiddleware<Context: RequestContext>: RouterMiddleware {
    let hosts: [ServerConfiguration.LegacyHost]
    var now: @Sendable () -> Date = { Date() }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // HTTP/1 requests carry Host as the authority; an explicit Host field (proxies, tests) takes precedence.
        let authority = request.headers[HTTPField.Name("Host")!] ?? request.head.authority ?? ""
        let host = authority.split(separator: ":").first.map { $0.lowercased() } ?? ""
        guard let legacy = hosts.first(where: { $0.host == host }) else { return try await next(request, context) }
        let sunset = Self.httpDate(legacy.sunset)
        let link = "<\(legacy.successor)>; rel=\"successor-version\""
        if now() >= legacy.sunset {
            var headers: HTTPFields = [:]
            headers[.init("Sunset")!] = sunset
            headers[.init("Link")!] = link
            throw APIError(.gone, "\(host) was retired on \(sunset); use \(legacy.successor) instead", type: "host_retired", headers: headers)
        }
        var response = try await next(request, context)
        response.headers[.init("Deprecation")!] = "true"
        response.headers[.init("Sunset")!] = sunset
        response.headers[.init("Link")!] = link
        return response
    }

    static func httpDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
