import Accounts
import Editing
import Foundation
import Hummingbird
import HummingbirdTesting
import Imaging
import NIOCore
import Testing
import TestSupport
@testable import Server

/// `background.prompt` through `/v2/edit`: headers, 400s, the guidance image's fetch rules, and the operator's
/// remote generator on a real loopback HTTP server (its image used; its failures a free 502).
@Suite(.serialized) struct GeneratedBackgroundRouteTests {
    static let magenta = RGBA(255, 0, 255)

    func post(_ fields: [(String, String)], files: [(String, [UInt8])] = [], headers extra: HTTPFields = [:],
              services: Services = ServerFixtures.services(), _ check: @escaping @Sendable (TestResponse) async throws -> Void) async throws {
        let app = ServerFixtures.app(services)
        let photo = try ServerFixtures.photo()
        try await app.test(.router) { client in
            var (body, headers) = ServerFixtures.multipart(fields: fields, files: [("imageFile", photo)] + files)
            headers.append(contentsOf: extra)
            try await client.execute(uri: "/v2/edit", method: .post, headers: headers, body: body) { try await check($0) }
        }
    }

    func message(_ response: TestResponse) -> String {
        (ServerFixtures.json(response)["error"] as? [String: Any])?["message"] as? String ?? ""
    }

    @Test func promptAnswersAnOpaqueSceneWithSeedAndUnusedWordsHeaders() async throws {
        try await post([("background.prompt", "sunset beach with unicorns"), ("background.seed", "5"), ("outputSize", "320x240"), ("padding", "0.2")]) { response in
            #expect(response.status == .ok)
            #expect(response.headers[.init("pr-ai-background-seed")!] == "5")
            #expect(response.headers[.init("x-darkroom-prompt-unused")!] == "unicorns")
            let image = try ServerFixtures.image(response)
            #expect(image.width == 320 && image.height == 240)
            // A generated background leaves nothing transparent, padding included.
            #expect(try image.alpha().map { try $0.boundingBox(above: 254) } == PixelRect(x: 0, y: 0, width: 320, height: 240))
            let corner = try image.pixel(x: 4, y: 4)
            #expect(corner[0] != corner[2], "the sunset sky should be coloured, not grey")
        }
        try await post([("background.prompt", "studio"), ("outputSize", "320x240")]) { response in
            #expect(response.status == .ok)
            #expect(response.headers[.init("pr-ai-background-seed")!].flatMap(UInt32.init) != nil, "a drawn seed is reported")
            #expect(response.headers[.init("x-darkroom-prompt-unused")!] == nil)
        }
    }

    @Test func modelVersionHeaderAndCrossRulesAre400s() async throws {
        try await post([("background.prompt", "beach")], headers: [.init("pr-ai-background-model-version")!: "9"]) { response in
            #expect(response.status == .badRequest)
            #expect(self.message(response).hasPrefix("pr-ai-background-model-version:"))
        }
        try await post([("background.prompt", "beach"), ("outputSize", "320x240")],
                       headers: [.init("pr-ai-background-model-version")!: "background-studio-beta-2025-03-17"]) { response in
            #expect(response.status == .ok)
        }
        try await post([("background.prompt", "beach"), ("removeBackground", "false")]) { response in
            #expect(response.status == .badRequest && self.message(response).hasPrefix("background.prompt:"))
        }
        try await post([("background.guidance.scale", "0.5")]) { response in
            #expect(response.status == .badRequest && self.message(response).hasPrefix("background.guidance.scale:"))
        }
    }

    @Test func guidanceImageIsFetchedUnderTheAddressPolicyOrUploaded() async throws {
        let orange = try Image.solid(RGBA(240, 120, 20), width: 32, height: 32, withAlpha: false).encoded(as: .png())
        let strict = ServerFixtures.services { $0.allowPrivateURLs = false }
        try await post([("background.prompt", "studio"), ("background.guidance.imageUrl", "http://127.0.0.1:9/a.png")], services: strict) { response in
            #expect(response.status == .badRequest)
            #expect(self.message(response).hasPrefix("background.guidance.imageUrl:") && self.message(response).contains("loopback"))
        }
        try await ServerFixtures.withImageServer { port in
            // GET: an unencoded guidance URL keeps its own query (car.jpg answers only when it arrives intact).
            let query = "imageUrl=http://127.0.0.1:\(port)/coffee.png&background.prompt=studio&outputSize=320x240"
                + "&background.guidance.imageUrl=http://127.0.0.1:\(port)/car.jpg?w=800&sig=abc&background.seed=4"
            try await ServerFixtures.app(ServerFixtures.services()).test(.router) { client in
                try await client.execute(uri: "/v2/edit?" + query, method: .get) { response in
                    #expect(response.status == .ok, "\(self.message(response))")
                    #expect(response.headers[.init("pr-ai-background-seed")!] == "4")
                }
            }
            try await self.post([("background.prompt", "grey studio"), ("background.seed", "2"), ("outputSize", "320x240"),
                                 ("background.guidance.imageUrl", "http://127.0.0.1:\(port)/missing.png")]) { response in
                #expect(response.status == .badRequest && self.message(response).hasPrefix("background.guidance.imageUrl:"))
            }
        }
        try await post([("background.prompt", "grey studio"), ("background.seed", "2"), ("outputSize", "320x240"), ("background.guidance.scale", "1")],
                       files: [("background.guidance.imageFile", orange)]) { response in
            #expect(response.status == .ok)
            let corner = try ServerFixtures.image(response).pixel(x: 3, y: 3)
            #expect(Int(corner[0]) - Int(corner[2]) > 60, "the orange guide should warm a grey studio: \(corner)")
        }
    }

    /// A loopback server standing in for an operator's generator: it checks the JSON it receives and answers
    /// a magenta image of the requested size, or the status `failWith`.
    static func withGenerator<T: Sendable>(failWith status: HTTPResponse.Status? = nil, answerText: Bool = false,
                                           _ body: @escaping @Sendable (Int) async throws -> T) async throws -> T {
        let router = Router()
        router.post("generate") { request, _ -> Response in
            if let status { return Response(status: status) }
            if answerText { return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "sorry, no GPU today"))) }
            let buffer = try await request.body.collect(upTo: 20_000_000)
            guard let json = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any],
                  let width = json["width"] as? Int, let height = json["height"] as? Int, json["prompt"] as? String == "marble kitchen",
                  json["seed"] as? Int == 11, json["modelVersion"] as? String == "3",
                  let maskText = json["subjectMask"] as? String, let mask = Data(base64Encoded: maskText),
                  let maskImage = try? Image.decode([UInt8](mask)), maskImage.width == width, maskImage.height == height,
                  try maskImage.pixel(x: width / 2, y: height / 2)[0] > 200, try maskImage.pixel(x: 2, y: 2)[0] < 20
            else { return Response(status: .badRequest) }
            let png = try Image.solid(magenta, width: width / 2, height: height / 2, withAlpha: false).encoded(as: .png())
            return Response(status: .ok, headers: [.contentType: "image/png"], body: .init(byteBuffer: ByteBuffer(bytes: png)))
        }
        return try await Application(router: router).test(.live) { client in try await body(client.port!) }
    }

    static let generatorFields = [("background.prompt", "marble kitchen"), ("background.seed", "11"), ("outputSize", "320x240"), ("padding", "0.2")]

    @Test func remoteGeneratorsImageIsUsedAndItsRequestCarriesTheContract() async throws {
        try await Self.withGenerator { port in
            let services = ServerFixtures.services { $0.backgroundGeneratorURL = "http://127.0.0.1:\(port)/generate" }
            try await self.post(Self.generatorFields, services: services) { response in
                #expect(response.status == .ok, "\(self.message(response))")
                #expect(response.headers[.init("pr-ai-background-seed")!] == "11")
                let corner = try ServerFixtures.image(response).pixel(x: 3, y: 3)
                #expect(corner == [255, 0, 255, 255])
            }
        }
    }

    @Test func remoteGeneratorFailuresAre502AndCostNoCredits() async throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try await AccountStore.open(.sqlite(path: folder.appendingPathComponent("db.sqlite").path))
        do {
            let team = try await store.createTeam(name: "generators", plan: .basic, initialCredits: Credits(20))
            let (key, _) = try await store.createKey(team: "generators", label: "test")
            @Sendable func guarded(_ url: String) -> Services {
                let plain = ServerFixtures.services { $0.backgroundGeneratorURL = url }
                return Services(configuration: plain.configuration, pipeline: plain.pipeline, accounts: AccountGate(store: store, policy: AccountPolicy()))
            }
            let auth: HTTPFields = [.init("x-api-key")!: key]
            try await Self.withGenerator(failWith: .internalServerError) { port in
                try await self.post(Self.generatorFields, headers: auth, services: guarded("http://127.0.0.1:\(port)/generate")) { response in
                    #expect(response.status == .badGateway)
                    #expect(self.message(response).contains("background generator") && self.message(response).contains("HTTP 500"))
                }
            }
            try await Self.withGenerator(answerText: true) { port in
                try await self.post(Self.generatorFields, headers: auth, services: guarded("http://127.0.0.1:\(port)/generate")) { response in
                    #expect(response.status == .badGateway && self.message(response).contains("not an image"))
                }
            }
            // Nothing listens on port 9 of the loopback address (discard service, never enabled here).
            try await post(Self.generatorFields, headers: auth, services: guarded("http://127.0.0.1:9/generate")) { response in
                #expect(response.status == .badGateway && self.message(response).contains("could not be reached"))
            }
            #expect(try await store.balance(teamID: team.id) == Credits(20))
            // The same account is charged once the generator works.
            try await Self.withGenerator { port in
                try await self.post(Self.generatorFields, headers: auth, services: guarded("http://127.0.0.1:\(port)/generate")) { response in
                    #expect(response.status == .ok)
                }
            }
            #expect(try await store.balance(teamID: team.id) == Credits(15))
        } catch {
            await store.shutdown(); throw error
        }
        await store.shutdown()
    }

    @Test func generatorURLSettingIsChecked() throws {
        let config = try ServerConfiguration.fromEnvironment(["DARKROOM_BACKGROUND_GENERATOR_URL": "http://10.0.0.5:7000/generate"])
        #expect(config.backgroundGeneratorURL == "http://10.0.0.5:7000/generate")
        #expect(throws: ConfigurationError.self) { _ = try ServerConfiguration.fromEnvironment(["DARKROOM_BACKGROUND_GENERATOR_URL": "ftp://x/y"]) }
    }
}
