import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers

/// Cookies, CSRF, the pages' security headers and the sign-in rate limit.
enum WebSecurity {
    static let sessionCookie = "darkroom_session"
    /// Before sign-in there is no session to hold a CSRF token: the sign-in and invite forms carry a random token
    /// that must equal this cookie's (double submit), so another site cannot sign a visitor in as someone else.
    static let preSessionCookie = "darkroom_presession"

    /// Scripts and styles only from this server (no inline script, no inline style); images also from blob: (the
    /// playground's previews) and any http(s) URL (the photo the user previews by URL); no framing.
    static let contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: http: https:; "
        + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

    static func pageHeaders(_ contentType: String = "text/html; charset=utf-8") -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.init("content-security-policy")!] = contentSecurityPolicy
        headers[.init("x-content-type-options")!] = "nosniff"
        headers[.init("x-frame-options")!] = "DENY"
        headers[.init("referrer-policy")!] = "same-origin"
        headers[.cacheControl] = "no-store"
        return headers
    }

    static func cookies(_ request: Request) -> [String: String] {
        var cookies: [String: String] = [:]
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.split(separator: "=", maxSplits: 1)
                guard pair.count == 2 else { continue }
                let name = pair[0].trimmingCharacters(in: .whitespaces)
                if cookies[name] == nil { cookies[name] = pair[1].trimmingCharacters(in: .whitespaces) }
            }
        }
        return cookies
    }

    /// HttpOnly (no script reads it), SameSite=Lax (not sent on other sites' POSTs), Secure when served over HTTPS.
    static func setCookie(_ name: String, _ value: String, maxAge: Int, secure: Bool) -> String {
        "\(name)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }

    /// Constant-time comparison, so a CSRF check does not leak how much of a guess was right.
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    /// `application/x-www-form-urlencoded`, the browsers' form encoding.
    static func formFields(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String { String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            guard let name = parts.first else { continue }
            fields[decode(name)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}

/// Failed sign-ins per email and per client address over a sliding window: past the limit, sign-in answers 429
/// without checking the password.
final class SignInLimiter: Sendable {
    let limit: Int
    let window: Duration
    private let failures = NIOLockedValueBox<[String: [ContinuousClock.Instant]]>([:])

    init(limit: Int, window: Duration = .seconds(900)) {
        self.limit = limit
        self.window = window
    }

    func isBlocked(_ keys: [String]) -> Bool {
        let now = ContinuousClock.now
        return failures.withLockedValue { all in
            keys.contains { key in
                let recent = (all[key] ?? []).filter { now - $0 < window }
                all[key] = recent.isEmpty ? nil : recent
                return recent.count >= limit
            }
        }
    }

    func recordFailure(_ keys: [String]) {
        let now = ContinuousClock.now
        failures.withLockedValue { all in for key in keys { all[key] = (all[key] ?? []).filter { now - $0 < window } + [now] } }
    }
}
