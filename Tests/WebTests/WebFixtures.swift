import Accounts
import Editing
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import ONNXRuntime
import TestSupport
import Vision
@testable import Web
@testable import Server

/// A server with accounts and the dashboard over a scratch database (SQLite, or the PostgreSQL of `make test`),
/// and a browser's worth of cookie handling for HummingbirdTesting's client.
enum WebFixtures {
    static var engines: [String] { TestDatabases.engines }

    static let segmenter: Segmenter = {
        let runtime = try! Runtime.shared(libraryPath: Fixtures.runtimeLibrary)
        return try! Segmenter(modelPath: Fixtures.model("u2netp.onnx"), runtime: runtime)
    }()

    struct Setup {
        var services: Services
        var web: WebStore
        var store: AccountStore
    }

    static func unique(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }

    static func with(_ engine: String, configure: (inout WebConfiguration) -> Void = { _ in },
                     _ body: (Setup) async throws -> Void) async throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let location: DatabaseLocation = engine == "postgres"
            ? .postgres(url: TestDatabases.postgresURL!)
            : .sqlite(path: folder.appendingPathComponent("db.sqlite").path)
        let store = try await AccountStore.open(location)
        // bcrypt at its lowest cost keeps the suite fast; the cost is a parameter, the algorithm is the same.
        let web = try await WebStore(accounts: store, bcryptCost: 4)
        var configuration = ServerConfiguration()
        configuration.allowPrivateURLs = true
        var services = Services(configuration: configuration, pipeline: Pipeline(segmenter: segmenter), accounts: AccountGate(store: store))
        services.web = web
        configure(&services.webConfiguration)
        do { try await body(Setup(services: services, web: web, store: store)) } catch {
            await store.shutdown(); throw error
        }
        await store.shutdown()
    }

    static func app(_ services: Services) -> some ApplicationProtocol {
        Application(router: DarkroomServer.router(services))
    }

    static func text(_ response: TestResponse) -> String { String(buffer: response.body) }

    /// The value of the first hidden `csrf` field of a page.
    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: #"name="csrf" value="([0-9a-f]+)""#, options: .regularExpression) else { return nil }
        return String(html[range].split(separator: "\"")[3])
    }

    /// The cookie `name` set by a response (value only), or nil.
    static func setCookie(_ response: TestResponse, _ name: String) -> (value: String, attributes: String)? {
        for header in response.headers[values: .setCookie] where header.hasPrefix(name + "=") {
            let value = header.dropFirst(name.count + 1).prefix { $0 != ";" }
            return (String(value), header)
        }
        return nil
    }

    static func form(_ fields: [String: String]) -> ByteBuffer {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
        return ByteBuffer(string: body)
    }

    static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    /// Signs in like a browser: fetch the form (pre-session cookie + token), post it. Returns the sign-in answer.
    static func signInResponse(_ client: some TestClientProtocol, email: String, password: String) async throws -> TestResponse {
        let page = try await client.execute(uri: "/signin", method: .get)
        let token = setCookie(page, "darkroom_presession")?.value ?? ""
        var headers = formHeaders
        headers[.cookie] = "darkroom_presession=\(token)"
        return try await client.execute(uri: "/signin", method: .post, headers: headers,
                                        body: form(["email": email, "password": password, "csrf": csrf(in: text(page)) ?? ""]))
    }

    /// Signs in and returns the session cookie's value.
    static func signIn(_ client: some TestClientProtocol, email: String, password: String) async throws -> String {
        let response = try await signInResponse(client, email: email, password: password)
        guard let cookie = setCookie(response, "darkroom_session"), !cookie.value.isEmpty else {
            throw TestFailure("sign-in failed with \(response.status)")
        }
        return cookie.value
    }

    static func get(_ client: some TestClientProtocol, _ uri: String, session: String?) async throws -> TestResponse {
        var headers = HTTPFields()
        if let session { headers[.cookie] = "darkroom_session=\(session)" }
        return try await client.execute(uri: uri, method: .get, headers: headers)
    }

    static func post(_ client: some TestClientProtocol, _ uri: String, session: String?, fields: [String: String]) async throws -> TestResponse {
        var headers = formHeaders
        if let session { headers[.cookie] = "darkroom_session=\(session)" }
        return try await client.execute(uri: uri, method: .post, headers: headers, body: form(fields))
    }

    /// A multipart/form-data body.
    static func multipart(fields: [(String, String)] = [], files: [(String, [UInt8])] = []) -> (ByteBuffer, HTTPFields) {
        let boundary = "darkroom-web-test"
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for (name, bytes) in files {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"photo.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
            body += bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return (ByteBuffer(bytes: body), [.contentType: "multipart/form-data; boundary=\(boundary)"])
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
