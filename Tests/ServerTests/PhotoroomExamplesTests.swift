import Accounts
import Foundation
import Hummingbird
import HummingbirdTesting
import Imaging
import Testing
import TestSupport
@testable import Server

/// The requests Photoroom documents (spec sections 3 and 4), replayed against Darkroom with only the base
/// URL changed: status, Content-Type and headers must be what a client written for Photoroom expects. The
/// server has accounts, so each example's `x-api-key` is a real key that is checked and billed.
@Suite(.serialized) struct PhotoroomExamplesTests {
    /// A server with accounts and a team with credits, and that team's key.
    func withAccounts(_ body: (Services, String) async throws -> Void) async throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await AccountStore.open(.sqlite(path: folder.appendingPathComponent("db.sqlite").path))
        _ = try await store.createTeam(name: "examples", plan: .basic, initialCredits: Credits(1000))
        let (key, _) = try await store.createKey(team: "examples", label: "examples")
        let base = ServerFixtures.services()
        let services = Services(configuration: base.configuration, pipeline: base.pipeline, accounts: AccountGate(store: store))
        do { try await body(services, key) } catch { await store.shutdown(); throw error }
        await store.shutdown()
    }

    /// Section 3: `curl -X POST https://sdk.photoroom.com/v1/segment -H 'x-api-key: …' -F image_file=@photo.jpg`
    /// with each documented field, and the documented 400 for a missing image.
    @Test func removeBackgroundExamples() async throws {
        let photo = try ServerFixtures.photo("rembg_car-2.jpg")
        let examples: [([(String, String)], String)] = [
            ([], "image/png"),
            ([("format", "jpg"), ("bg_color", "#FF00FF")], "image/jpeg"),
            ([("format", "webp"), ("size", "medium"), ("crop", "true")], "image/webp"),
            ([("channels", "alpha"), ("despill", "false")], "image/png"),
        ]
        try await withAccounts { services, key in try await ServerFixtures.app(services).test(.router) { client in
            for (fields, mime) in examples {
                var (body, headers) = ServerFixtures.multipart(fields: fields, files: [("image_file", photo)])
                headers[.init("x-api-key")!] = key
                headers[.accept] = "image/png, application/json"
                try await client.execute(uri: "/v1/segment", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .ok, "\(fields)")
                    #expect(response.headers[.init("x-credits-charged")!] == "1", "\(fields)")
                    #expect(response.headers[.contentType] == mime, "\(fields)")
                    #expect(response.headers[.init("x-uncertainty-score")!].flatMap(Double.init) != nil)
                    #expect(ImageFormat.sniff(Array(response.body.readableBytesView))?.mimeType == mime)
                }
            }
            var (empty, headers) = ServerFixtures.multipart(fields: [])
            headers[.init("x-api-key")!] = key
            try await client.execute(uri: "/v1/segment", method: .post, headers: headers, body: empty) { response in
                #expect(response.status == .badRequest)
                let json = ServerFixtures.json(response)
                #expect(json["detail"] as? String == "Please provide an image." && json["type"] as? String == "missing_image")
            }
            // The key is really checked: the same example with a made-up key is refused.
            let (body, plain) = ServerFixtures.multipart(files: [("image_file", photo)])
            var forged = plain
            forged[.init("x-api-key")!] = "dk_" + String(repeating: "x", count: 40)
            try await client.execute(uri: "/v1/segment", method: .post, headers: forged, body: body) { response in
                #expect(response.status == .forbidden)
            }
        } }
    }

    /// Section 4.1: `GET /v2/edit?imageUrl=…&removeBackground=true&background.color=FFFFFF&outputSize=1000x1000&padding=0.1`,
    /// the same as a POST form, and the playground's "try it now" query, which asks for a shadow.
    @Test func imageEditingExamples() async throws {
        try await withAccounts { services, key in try await ServerFixtures.withImageServer { port in
            let app = ServerFixtures.app(services)
            let auth: HTTPFields = [.init("x-api-key")!: key]
            try await app.test(.router) { client in
                let query = "imageUrl=http://127.0.0.1:\(port)/coffee.png&removeBackground=true&background.color=FFFFFF&outputSize=1000x1000&padding=0.1"
                try await client.execute(uri: "/v2/edit?" + query, method: .get, headers: auth) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.init("x-credits-charged")!] == "5")
                    #expect(response.headers[.contentType] == "image/png")
                    #expect(response.headers[.init("x-uncertainty-score")!] != nil)
                    let image = try ServerFixtures.image(response)
                    #expect(image.width == 1000 && image.height == 1000)
                    #expect(try image.pixel(x: 20, y: 20) == [255, 255, 255, 255])
                }
                var (body, headers) = ServerFixtures.multipart(
                    fields: [("removeBackground", "true"), ("background.color", "FFFFFF"), ("outputSize", "1000x1000"), ("padding", "0.1"), ("export.format", "jpeg")],
                    files: [("imageFile", try ServerFixtures.photo())])
                headers[.init("x-api-key")!] = key
                try await client.execute(uri: "/v2/edit", method: .post, headers: headers, body: body) { response in
                    #expect(response.status == .ok && response.headers[.contentType] == "image/jpeg")
                }
                let playground = "/v2/edit?imageUrl=http://127.0.0.1:\(port)/coffee.png&background.color=FFFFFF&padding=0.1"
                let plain = try await client.execute(uri: playground, method: .get, headers: auth) { try ServerFixtures.image($0).pixels() }
                try await client.execute(uri: playground + "&shadow.mode=ai.soft", method: .get, headers: auth) { response in
                    #expect(response.status == .ok)
                    // White in the corner still; elsewhere some pixels turned a darker neutral grey: the shadow.
                    let image = try ServerFixtures.image(response)
                    #expect(try image.pixel(x: 2, y: 2) == [255, 255, 255, 255])
                    let pixels = try image.pixels()
                    var shaded = 0
                    for i in stride(from: 0, to: pixels.count, by: 4) where plain[i] == 255 && plain[i + 1] == 255 && plain[i + 2] == 255 {
                        if pixels[i] < 235 && pixels[i] == pixels[i + 1] && pixels[i + 1] == pixels[i + 2] { shaded += 1 }
                    }
                    #expect(shaded > 300, "\(shaded) white pixels turned grey")
                }
                // Section 4.7's 400 example.
                try await client.execute(uri: "/v2/edit?imageUrl=http://127.0.0.1:\(port)/coffee.png&removeBackground=1", method: .get, headers: auth) { response in
                    #expect(response.status == .badRequest)
                    let message = (ServerFixtures.json(response)["error"] as? [String: Any])?["message"] as? String
                    #expect(message?.contains("removeBackground") == true && message?.contains("must be boolean") == true)
                }
            }
        } }
    }
}
