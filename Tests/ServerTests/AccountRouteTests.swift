import Accounts
import Foundation
import Hummingbird
import HummingbirdTesting
import Imaging
import Testing
import TestSupport
@testable import Server

/// Keys, credits, sandbox and rate limits through the HTTP routes, on SQLite and on PostgreSQL.
@Suite(.serialized) struct AccountRouteTests {
    static var engines: [String] { TestDatabases.engines }

    struct Setup {
        var services: Services
        var store: AccountStore
        var team: Team
        var key: String
    }

    func setup(_ engine: String, credits: Double = 100, policy: (inout AccountPolicy) -> Void = { _ in },
               _ body: (Setup) async throws -> Void) async throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let location: DatabaseLocation = engine == "postgres"
            ? .postgres(url: TestDatabases.postgresURL!)
            : .sqlite(path: folder.appendingPathComponent("db.sqlite").path)
        let store = try await AccountStore.open(location)
        let name = "team-\(UUID().uuidString.prefix(8).lowercased())"
        let team = try await store.createTeam(name: name, plan: .basic, initialCredits: Credits(credits))
        let (key, _) = try await store.createKey(team: name, label: "test")
        var accountPolicy = AccountPolicy()
        policy(&accountPolicy)
        let services = ServerFixtures.services()
        let guarded = Services(configuration: services.configuration, pipeline: services.pipeline,
                               accounts: AccountGate(store: store, policy: accountPolicy))
        do { try await body(Setup(services: guarded, store: store, team: team, key: key)) } catch {
            await store.shutdown(); throw error
        }
        await store.shutdown()
    }

    func segment(_ client: some TestClientProtocol, key: String?, fields: [(String, String)] = [], image: [UInt8]? = nil) async throws -> TestResponse {
        var (body, headers) = ServerFixtures.multipart(fields: fields, files: [("image_file", try image ?? ServerFixtures.photo())])
        if let key { headers[.init("x-api-key")!] = key }
        return try await client.execute(uri: "/v1/segment", method: .post, headers: headers, body: body)
    }

    func balance(_ setup: Setup) async throws -> Credits { try await setup.store.balance(teamID: setup.team.id) }

    /// The middleware, not the route, owns billing: a route behind it sees the caller in its context, and one
    /// that answers 2xx without reserving its price is not given away but answered 500, its usage logged.
    @Test(arguments: engines) func accountMiddlewarePutsTheCallerInTheContextAndWithholdsAnUnreservedResult(engine: String) async throws {
        try await setup(engine) { setup in
            let router = Router(context: DarkroomContext.self)
            let group = router.apiGroup("probe", services: setup.services, route: "/probe", shape: .flat)
            group.get("paid") { _, context -> String in
                try await context.billing?.reserve(AccountPolicy.segmentCost)
                return context.caller?.team.name ?? "nobody"
            }
            group.get("forgetful") { _, _ -> String in "free?" }
            let before = try await balance(setup)
            try await Application(router: router).test(.router) { client in
                let headers: HTTPFields = [.init("x-api-key")!: setup.key]
                try await client.execute(uri: "/probe/paid", method: .get, headers: headers) { response in
                    #expect(response.status == .ok && String(buffer: response.body) == setup.team.name)
                    #expect(response.headers[.init("x-credits-charged")!] == "1")
                    #expect(response.headers[.init("x-ratelimit-limit")!] != nil)
                }
                try await client.execute(uri: "/probe/forgetful", method: .get, headers: headers) { response in
                    #expect(response.status == .internalServerError && ServerFixtures.json(response)["type"] as? String == "internal_error")
                }
                try await client.execute(uri: "/probe/forgetful", method: .get) { response in
                    #expect(response.status == .badRequest && ServerFixtures.json(response)["detail"] as? String == "apiKey: Required")
                }
            }
            #expect(try await balance(setup).hundredths == before.hundredths - AccountPolicy.segmentCost.hundredths)
            let usage = try await setup.store.usage(team: setup.team.name)
            #expect(Set(usage.map(\.status)) == [200, 500], "\(usage.map(\.status))")
        }
    }

    @Test(arguments: engines) func authenticationStatuses(engine: String) async throws {
        try await setup(engine) { setup in
            try await ServerFixtures.app(setup.services).test(.live) { client in
                let missing = try await segment(client, key: nil)
                #expect(missing.status == .badRequest && ServerFixtures.json(missing)["detail"] as? String == "apiKey: Required")
                try await client.execute(uri: "/v1/account", method: .get) { response in
                    #expect(response.status == .badRequest)
                    #expect((ServerFixtures.json(response)["error"] as? [String: Any])?["message"] as? String == "apiKey: Required")
                }
                #expect(try await segment(client, key: KeyGenerator.newKey()).status == .forbidden)
                #expect(try await segment(client, key: "not a key ' OR 1=1 --").status == .forbidden)
                let huge = try await segment(client, key: String(repeating: "k", count: 10_000))
                #expect(huge.status == .badRequest && (ServerFixtures.json(huge)["detail"] as? String)?.contains("256") == true)
                try await client.execute(uri: "/v1/account?apiKey=\(setup.key)", method: .get) { #expect($0.status == .ok) }
                let id = try await setup.store.keys(team: setup.team.name)[0].id
                try await setup.store.revokeKey(id: id)
                #expect(try await segment(client, key: setup.key).status == .forbidden)
            }
            #expect(try await balance(setup) == Credits(100))  // nothing was charged by any of it
        }
    }

    @Test(arguments: engines) func failedAuthenticationsAreLimitedPerAddressAndEveryRefusalIsLogged(engine: String) async throws {
        let since = Date().addingTimeInterval(-1)
        try await setup(engine, policy: { $0.failedAuthenticationsPerMinute = 3 }) { setup in
            // The PostgreSQL database is shared with other tests: count only the rows this test adds.
            let earlier = try await setup.store.refusals(since: since).count
            try await ServerFixtures.app(setup.services).test(.live) { client in
                #expect(try await segment(client, key: nil).status == .badRequest)  // no key: not a guess
                for _ in 0..<3 { #expect(try await segment(client, key: KeyGenerator.newKey()).status == .forbidden) }
                // Three wrong guesses from this address: even the right key is refused for the minute.
                let stopped = try await segment(client, key: setup.key)
                #expect(stopped.status == .tooManyRequests && stopped.headers[.retryAfter] == "60")
                #expect(ServerFixtures.json(stopped)["type"] as? String == "authentication_rate_limited")
            }
            let refusals = Array(try await setup.store.refusals(since: since).dropFirst(earlier))
            #expect(refusals.map(\.reason) == ["missing_api_key", "invalid_api_key", "invalid_api_key", "invalid_api_key", "authentication_rate_limited"])
            #expect(refusals.allSatisfy { $0.route == "/v1/segment" && $0.client == "127.0.0.1" })
            #expect(refusals.map(\.status) == [400, 403, 403, 403, 429])
            #expect(try await balance(setup) == Credits(100))
        }
    }

    /// Runs through the router, not a live socket: its seven model calls share two cores with the rest of the
    /// suite, and the live client's fixed 20 s read timeout then cut it off (seen twice under `make test`).
    @Test(arguments: engines) func creditsAreChargedOnSuccessOnly(engine: String) async throws {
        try await setup(engine, credits: 7) { setup in
            try await ServerFixtures.app(setup.services).test(.router) { client in
                let ok = try await segment(client, key: setup.key)
                #expect(ok.status == .ok)
                #expect(ok.headers[.init("x-credits-charged")!] == "1" && ok.headers[.init("x-credits-remaining")!] == "6")
                #expect(ok.headers[.init("x-ratelimit-limit")!] == "500")
                let preview = try await segment(client, key: setup.key, fields: [("size", "preview")])
                #expect(preview.headers[.init("x-credits-charged")!] == "0.25")
                // A failed call is free.
                let bad = try await segment(client, key: setup.key, image: Array("not an image".utf8))
                #expect(bad.status == .unsupportedMediaType && bad.headers[.init("x-credits-charged")!] == nil)
                #expect(try await balance(setup) == Credits(5.75))
                try await client.execute(uri: "/v1/account", method: .get, headers: [.init("x-api-key")!: setup.key]) { response in
                    let credits = ServerFixtures.json(response)["credits"] as? [String: Any]
                    #expect(credits?["available"] as? Double == 5.75 && credits?["subscription"] as? Double == 100)
                }
                try await client.execute(uri: "/v2/account", method: .get, headers: [.init("x-api-key")!: setup.key]) { response in
                    let json = ServerFixtures.json(response)
                    #expect(json["plan"] as? String == "basic")
                    #expect((json["images"] as? [String: Any])?["available"] as? Double == 1.15)
                }
                // An edit costs 5: one is affordable, the next is refused with the v2 402 shape.
                let (body, headers) = ServerFixtures.multipart(fields: [("outputSize", "64x64")], files: [("imageFile", try ServerFixtures.photo())])
                var keyed = headers
                keyed[.init("x-api-key")!] = setup.key
                try await client.execute(uri: "/v2/edit", method: .post, headers: keyed, body: body) { #expect($0.status == .ok) }
                try await client.execute(uri: "/v2/edit", method: .post, headers: keyed, body: body) { response in
                    #expect(response.status.code == 402)
                    #expect(((ServerFixtures.json(response)["error"] as? [String: Any])?["detail"] as? String)?.contains("credits exhausted") == true)
                }
                let cheap = try await segment(client, key: setup.key, fields: [("size", "preview")])
                #expect(cheap.status == .ok)  // 0.75 left: a preview still fits, a full cut-out does not
                let broke = try await segment(client, key: setup.key)
                #expect(broke.status.code == 402 && ServerFixtures.json(broke)["status_code"] as? Int == 402)
            }
            #expect(try await balance(setup) == Credits(0.5))
            #expect(try await setup.store.ledgerSum(teamID: setup.team.id) == (try await balance(setup)))
            let usage = try await setup.store.usage(team: setup.team.name)
            #expect(usage.count == 7)
            #expect(usage.map(\.status) == [200, 200, 415, 200, 402, 200, 402])
            #expect(usage.map(\.credits) == [Credits(1), Credits(0.25), .zero, Credits(5), .zero, Credits(0.25), .zero])
        }
    }

    /// Through the router, as `creditsAreChargedOnSuccessOnly` and for the same reason: five model calls.
    @Test(arguments: engines) func sandboxIsFreeWatermarkedAndLimited(engine: String) async throws {
        try await setup(engine, policy: { $0.sandboxDaily = 2 }) { setup in
            try await ServerFixtures.app(setup.services).test(.router) { client in
                let fields = [("format", "png"), ("bg_color", "FFFFFF")]
                let normal = try await segment(client, key: setup.key, fields: fields)
                let sandbox = try await segment(client, key: "sandbox_" + setup.key, fields: fields)
                #expect(normal.status == .ok && sandbox.status == .ok)
                #expect(sandbox.headers[.init("x-credits-charged")!] == "0")
                // Same picture but for the watermark: plain white background in one, marked in the other.
                let plain = try ServerFixtures.image(normal).removingAlpha().pixels()
                let marked = try ServerFixtures.image(sandbox).removingAlpha().pixels()
                let open = try await ServerFixtures.app(ServerFixtures.services()).test(.router) { unkeyed in
                    try await segment(unkeyed, key: nil, fields: fields)
                }
                #expect(try ServerFixtures.image(open).removingAlpha().pixels() == plain, "no watermark without sandbox")
                let differing = zip(plain, marked).filter { abs(Int($0) - Int($1)) > 40 }.count
                #expect(differing > plain.count / 50, "the watermark must change a visible share of the pixels (\(differing))")
                let third = try await segment(client, key: "sandbox_" + setup.key)
                #expect(third.status == .ok)
                let refused = try await segment(client, key: "sandbox_" + setup.key)
                #expect(refused.status == .tooManyRequests)
                #expect((ServerFixtures.json(refused)["detail"] as? String)?.contains("2 calls per day") == true)
                #expect(try await segment(client, key: setup.key).status == .ok)  // the normal key still works
            }
            #expect(try await balance(setup) == Credits(98))
        }
    }

    @Test(arguments: engines) func rateLimitPerKey(engine: String) async throws {
        try await setup(engine, policy: { $0.requestsPerMinute = 3 }) { setup in
            try await ServerFixtures.app(setup.services).test(.live) { client in
                for expected in [2, 1, 0] {
                    try await client.execute(uri: "/v1/account", method: .get, headers: [.init("x-api-key")!: setup.key]) { response in
                        #expect(response.status == .ok && response.headers[.init("x-ratelimit-remaining")!] == String(expected))
                    }
                }
                try await client.execute(uri: "/v1/account", method: .get, headers: [.init("x-api-key")!: setup.key]) { response in
                    #expect(response.status == .tooManyRequests)
                    #expect(response.headers[.retryAfter].flatMap(Int.init).map { $0 >= 1 && $0 <= 60 } == true)
                    #expect(response.headers[.init("x-ratelimit-limit")!] == "3" && response.headers[.init("x-ratelimit-reset")!] != nil)
                }
            }
        }
    }
}
