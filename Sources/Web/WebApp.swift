import Accounts
import Foundation
import Hummingbird
import NIOCore

/// A request context the web pages can read the client's address from (for the sign-in rate limit).
public protocol WebRequestContext: RequestContext {
    var clientAddress: String { get }
}

/// Settings of the web pages.
public struct WebConfiguration: Sendable {
    /// How long a sign-in lasts (`DARKROOM_SESSION_HOURS`, default 12 h).
    public var sessionLifetime: TimeInterval = 12 * 3600
    /// Mark cookies Secure (`DARKROOM_SECURE_COOKIES=1`): set it when a TLS proxy serves Darkroom.
    public var secureCookies = false
    /// Failed sign-ins per email and per address in 15 minutes before sign-in answers 429.
    public var signInFailureLimit = 10
    public init() {}

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> WebConfiguration {
        var configuration = WebConfiguration()
        if let hours = environment["DARKROOM_SESSION_HOURS"].flatMap(Double.init), hours > 0 { configuration.sessionLifetime = hours * 3600 }
        configuration.secureCookies = environment["DARKROOM_SECURE_COOKIES"] == "1"
        return configuration
    }
}

/// The web pages: home, docs, changelog, playground (public) and the dashboard (signed in). The API itself is
/// the server's; the web reaches it through `preview` (a signed-in playground edit in the team's sandbox) and
/// `openAPI` (the document the docs are rendered from).
public struct WebApp<Context: WebRequestContext>: Sendable {
    public typealias Preview = @Sendable (Request, Context, Team, WebStore.User) async -> Response

    let store: WebStore?
    let configuration: WebConfiguration
    let openAPI: @Sendable () -> [String: Any]
    let preview: Preview?
    let limiter: SignInLimiter

    public init(store: WebStore?, configuration: WebConfiguration = WebConfiguration(),
                openAPI: @escaping @Sendable () -> [String: Any], preview: Preview?) {
        self.store = store
        self.configuration = configuration
        self.openAPI = openAPI
        self.preview = preview
        limiter = SignInLimiter(limit: configuration.signInFailureLimit)
    }

    public func register(on router: Router<Context>) {
        router.get("/") { request, _ in page("Self-hosted image editing", Template.render("home.html", ["origin": origin(request)]),
                                             session: await session(request)) }
        router.get("docs") { request, _ in
            page("API reference", DocsPage(document: openAPI()).render(), session: await session(request))
        }
        router.get("changelog") { request, _ in
            page("Changelog", ChangelogPage.render(), session: await session(request))
        }
        router.get("playground") { request, _ in
            let session = await session(request)
            let query = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
            let teams = await session.asyncMap { session in (try? await store?.memberships(of: session.user))?.map(\.team.name) ?? [] } ?? []
            return page("Playground", PlaygroundPage(document: openAPI(), values: Dictionary(query) { _, last in last },
                                                     session: session, teams: teams, keysInUse: preview != nil).render(),
                        session: session, scripts: ["/static/playground.js"])
        }
        router.post("playground/preview") { request, context -> Response in
            guard let store, let preview, let session = await session(request) else {
                return Self.jsonError(.unauthorized, "sign in to preview with your team's sandbox")
            }
            // The form is multipart (a file may ride along), so the CSRF token travels in a header.
            guard WebSecurity.equal(request.headers[.init("x-csrf-token")!] ?? "", session.csrf) else {
                return Self.jsonError(.forbidden, "missing or wrong CSRF token")
            }
            let teamName = request.uri.queryParameters["team"].map(String.init) ?? ""
            guard let membership = try? await store.membership(of: session.user, team: teamName) else {
                return Self.jsonError(.forbidden, "you are not a member of team '\(teamName)'")
            }
            return await preview(request, context, membership.team, session.user)
        }
        router.get("static/:file") { _, context -> Response in
            let name = context.parameters.get("file") ?? ""
            guard let bytes = Resources.files[name], name.hasSuffix(".css") || name.hasSuffix(".js") else { return Response(status: .notFound) }
            var headers = WebSecurity.pageHeaders(name.hasSuffix(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8")
            headers[.cacheControl] = "public, max-age=300"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        guard store != nil else { return }
        Dashboard(app: self).register(on: router)
    }

    // MARK: Shared by the pages

    func session(_ request: Request) async -> WebStore.Session? {
        guard let store, let token = WebSecurity.cookies(request)[WebSecurity.sessionCookie], !token.isEmpty else { return nil }
        return try? await store.session(token: token)
    }

    /// This server's address as the browser sees it (for invite links and the quick start); https when the
    /// operator says a TLS proxy is in front (Secure cookies).
    func origin(_ request: Request) -> String {
        (configuration.secureCookies ? "https://" : "http://") + (request.head.authority ?? "127.0.0.1:8080")
    }

    /// A whole page in the site's layout, with the security headers.
    func page(_ title: String, _ body: String, session: WebStore.Session?, switcher: String = "", scripts: [String] = [],
              status: HTTPResponse.Status = .ok, extraHeaders: HTTPFields = [:]) -> Response {
        let account: String
        if let session {
            account = """
                <a href="/dashboard">Dashboard</a>
                <form method="post" action="/signout"><input type="hidden" name="csrf" value="\(HTML.escape(session.csrf))">\
                <button class="secondary" type="submit">Sign out</button></form>
                """
        } else {
            // Without accounts there is no dashboard to sign in to.
            account = store == nil ? "" : "<a href=\"/signin\">Sign in</a>"
        }
        let html = Template.render("layout.html", [
            "title": title, "body": body, "switcher": switcher, "account": account,
            "scripts": scripts.map { "<script type=\"module\" src=\"\(HTML.escape($0))\"></script>" }.joined(separator: "\n"),
        ])
        var headers = WebSecurity.pageHeaders()
        headers.append(contentsOf: extraHeaders)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func redirect(_ location: String, extraHeaders: HTTPFields = [:]) -> Response {
        var headers = WebSecurity.pageHeaders()
        headers[.location] = location
        headers.append(contentsOf: extraHeaders)
        return Response(status: .seeOther, headers: headers)
    }

    static func jsonError(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: ["error": ["message": message]])) ?? Data()
        var headers = WebSecurity.pageHeaders("application/json")
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func form(_ request: Request) async -> [String: String] {
        guard let buffer = try? await request.body.collect(upTo: 64 * 1024) else { return [:] }
        return WebSecurity.formFields(String(buffer: buffer))
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async -> T) async -> T? {
        switch self {
        case .some(let value): return await transform(value)
        case .none: return nil
        }
    }
}
