import Accounts
import SQLKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport
@testable import Web
@testable import Server

/// Sign-in, sessions, CSRF, teams and keys through the dashboard's HTTP routes, on SQLite and PostgreSQL.
@Suite(.serialized) struct DashboardTests {
    static let password = "correct horse battery"

    @Test(arguments: WebFixtures.engines) func signInSetsAnHttpOnlySameSiteCookieAndOpensTheUsersTeams(engine: String) async throws {
        try await WebFixtures.with(engine) { setup in
            let email = WebFixtures.unique("ann") + "@example.com", team = WebFixtures.unique("acme")
            try await setup.web.createUser(email: email, password: Self.password, team: team)
            try await WebFixtures.app(setup.services).test(.router) { client in
                let response = try await WebFixtures.signInResponse(client, email: email, password: Self.password)
                #expect(response.status == .seeOther)
                let cookie = try #require(WebFixtures.setCookie(response, "darkroom_session"))
                #expect(cookie.attributes.contains("HttpOnly") && cookie.attributes.contains("SameSite=Lax"))
                let page = try await WebFixtures.get(client, "/dashboard/\(team)", session: cookie.value)
                #expect(page.status == .ok)
                let html = WebFixtures.text(page)
                #expect(html.contains("id=\"team-switcher\"") && html.contains("href=\"/dashboard/\(team)\""))
                #expect(html.contains("-personal"), "the personal space is in the switcher")
                #expect(html.contains("100 credits"))
            }
        }
    }

    @Test(arguments: WebFixtures.engines) func wrongPasswordIsRefusedAndRepeatedFailuresAreRateLimited(engine: String) async throws {
        try await WebFixtures.with(engine, configure: { $0.signInFailureLimit = 3 }) { setup in
            let email = WebFixtures.unique("bob") + "@example.com"
            try await setup.web.createUser(email: email, password: Self.password)
            try await WebFixtures.app(setup.services).test(.router) { client in
                for _ in 0..<3 {
                    let wrong = try await WebFixtures.signInResponse(client, email: email, password: "not the password")
                    #expect(wrong.status == .unauthorized && WebFixtures.setCookie(wrong, "darkroom_session") == nil)
                }
                // Past the limit even the right password is not checked.
                let blocked = try await WebFixtures.signInResponse(client, email: email, password: Self.password)
                #expect(blocked.status == .tooManyRequests && WebFixtures.setCookie(blocked, "darkroom_session") == nil)
            }
        }
    }

    @Test func signInWithoutThePreSessionTokenIsRefused() async throws {
        try await WebFixtures.with("sqlite") { setup in
            let email = WebFixtures.unique("cat") + "@example.com"
            try await setup.web.createUser(email: email, password: Self.password)
            try await WebFixtures.app(setup.services).test(.router) { client in
                // A form posted from elsewhere: right password, but no token matching a cookie of this site.
                let response = try await WebFixtures.post(client, "/signin", session: nil,
                                                          fields: ["email": email, "password": Self.password, "csrf": "00ff"])
                #expect(response.status == .forbidden && WebFixtures.setCookie(response, "darkroom_session") == nil)
            }
        }
    }

    @Test(arguments: WebFixtures.engines) func aKeyIsShownOnceWorksAndStopsWorkingWhenRevoked(engine: String) async throws {
        try await WebFixtures.with(engine) { setup in
            let email = WebFixtures.unique("dan") + "@example.com", team = WebFixtures.unique("shop")
            try await setup.web.createUser(email: email, password: Self.password, team: team)
            try await WebFixtures.app(setup.services).test(.router) { client in
                let session = try await WebFixtures.signIn(client, email: email, password: Self.password)
                let page = WebFixtures.text(try await WebFixtures.get(client, "/dashboard/\(team)", session: session))
                let csrf = try #require(WebFixtures.csrf(in: page))
                let created = try await WebFixtures.post(client, "/dashboard/\(team)/keys", session: session, fields: ["csrf": csrf, "label": "ci"])
                let html = WebFixtures.text(created)
                let range = try #require(html.range(of: #"dk_[a-z2-7]{40}"#, options: .regularExpression))
                let key = String(html[range])
                // Never again: the next view of the page has the hint only.
                let later = WebFixtures.text(try await WebFixtures.get(client, "/dashboard/\(team)", session: session))
                #expect(!later.contains(key) && later.contains("dk_…\(key.suffix(4))"))
                let id = try #require(try await setup.store.keys(team: team).first { $0.label == "ci" }?.id)
                let relabelled = try await WebFixtures.post(client, "/dashboard/\(team)/keys/\(id)/label", session: session, fields: ["csrf": csrf, "label": "ci-2"])
                #expect(relabelled.status == .ok && WebFixtures.text(relabelled).contains("value=\"ci-2\""))
                // The key works against the API, then not once revoked.
                let account = try await client.execute(uri: "/v1/account", method: .get, headers: [.init("x-api-key")!: key])
                #expect(account.status == .ok)
                let revoked = try await WebFixtures.post(client, "/dashboard/\(team)/keys/\(id)/revoke", session: session, fields: ["csrf": csrf])
                #expect(revoked.status == .ok)
                let refused = try await client.execute(uri: "/v1/account", method: .get, headers: [.init("x-api-key")!: key])
                #expect(refused.status == .forbidden)
            }
        }
    }

    @Test func formsWithoutTheSessionsCSRFTokenChangeNothing() async throws {
        try await WebFixtures.with("sqlite") { setup in
            let email = WebFixtures.unique("eve") + "@example.com", team = WebFixtures.unique("csrf")
            try await setup.web.createUser(email: email, password: Self.password, team: team)
            try await WebFixtures.app(setup.services).test(.router) { client in
                let session = try await WebFixtures.signIn(client, email: email, password: Self.password)
                let missing = try await WebFixtures.post(client, "/dashboard/\(team)/keys", session: session, fields: ["label": "forged"])
                let wrong = try await WebFixtures.post(client, "/dashboard/\(team)/keys", session: session, fields: ["label": "forged", "csrf": String(repeating: "a", count: 64)])
                #expect(missing.status == .forbidden && wrong.status == .forbidden)
                #expect(try await setup.store.keys(team: team).isEmpty)
                let signOut = try await WebFixtures.post(client, "/signout", session: session, fields: [:])
                #expect(signOut.status == .forbidden)
                #expect(try await WebFixtures.get(client, "/dashboard/\(team)", session: session).status == .ok, "still signed in")
            }
        }
    }

    @Test(arguments: WebFixtures.engines) func aMemberOfTeamACannotSeeOrTouchTeamB(engine: String) async throws {
        try await WebFixtures.with(engine) { setup in
            let alice = WebFixtures.unique("alice") + "@example.com", bob = WebFixtures.unique("bob") + "@example.com"
            let teamA = WebFixtures.unique("team-a"), teamB = WebFixtures.unique("team-b")
            try await setup.web.createUser(email: alice, password: Self.password, team: teamA)
            try await setup.web.createUser(email: bob, password: Self.password, team: teamB)
            let (keyB, recordB) = try await setup.store.createKey(team: teamB, label: "b's key")
            try await WebFixtures.app(setup.services).test(.router) { client in
                let session = try await WebFixtures.signIn(client, email: alice, password: Self.password)
                let own = WebFixtures.text(try await WebFixtures.get(client, "/dashboard/\(teamA)", session: session))
                let csrf = try #require(WebFixtures.csrf(in: own))
                #expect(!own.contains(teamB), "team B is not in A's switcher")
                let look = try await WebFixtures.get(client, "/dashboard/\(teamB)", session: session)
                #expect(look.status == .notFound && !WebFixtures.text(look).contains("b's key"))
                // Touching B by its own URL, and B's key through A's URL: both refused, nothing changes.
                let create = try await WebFixtures.post(client, "/dashboard/\(teamB)/keys", session: session, fields: ["csrf": csrf, "label": "intruder"])
                let revokeThere = try await WebFixtures.post(client, "/dashboard/\(teamB)/keys/\(recordB.id)/revoke", session: session, fields: ["csrf": csrf])
                let revokeHere = try await WebFixtures.post(client, "/dashboard/\(teamA)/keys/\(recordB.id)/revoke", session: session, fields: ["csrf": csrf])
                let invite = try await WebFixtures.post(client, "/dashboard/\(teamB)/invites", session: session, fields: ["csrf": csrf, "role": "owner"])
                let relabel = try await WebFixtures.post(client, "/dashboard/\(teamA)/keys/\(recordB.id)/label", session: session, fields: ["csrf": csrf, "label": "mine"])
                #expect([create, revokeThere, revokeHere, invite, relabel].allSatisfy { $0.status == .notFound })
                let keysB = try await setup.store.keys(team: teamB)
                #expect(keysB.count == 1 && keysB[0].revokedAt == nil && keysB[0].label == "b's key")
                #expect(try await setup.store.authenticate(keyB) != nil)
                #expect(try await setup.web.members(teamID: try await setup.store.team(named: teamB).id).map(\.email) == [bob])
            }
        }
    }

    @Test(arguments: WebFixtures.engines) func signOutEndsTheSessionOnTheServer(engine: String) async throws {
        try await WebFixtures.with(engine) { setup in
            let email = WebFixtures.unique("gus") + "@example.com", team = WebFixtures.unique("out")
            try await setup.web.createUser(email: email, password: Self.password, team: team)
            try await WebFixtures.app(setup.services).test(.router) { client in
                let session = try await WebFixtures.signIn(client, email: email, password: Self.password)
                let page = WebFixtures.text(try await WebFixtures.get(client, "/dashboard/\(team)", session: session))
                let response = try await WebFixtures.post(client, "/signout", session: session, fields: ["csrf": WebFixtures.csrf(in: page) ?? ""])
                #expect(response.status == .seeOther)
                #expect(WebFixtures.setCookie(response, "darkroom_session")?.attributes.contains("Max-Age=0") == true)
                // The old cookie, replayed, opens nothing: the session is gone from the database.
                let replay = try await WebFixtures.get(client, "/dashboard/\(team)", session: session)
                #expect(replay.status == .seeOther && replay.headers[.location] == "/signin")
                #expect(try await setup.web.session(token: session) == nil)
            }
        }
    }

    @Test(arguments: WebFixtures.engines) func anInviteLinkMakesANewMemberOnceOnly(engine: String) async throws {
        try await WebFixtures.with(engine) { setup in
            let owner = WebFixtures.unique("olga") + "@example.com", team = WebFixtures.unique("invite")
            try await setup.web.createUser(email: owner, password: Self.password, team: team)
            try await WebFixtures.app(setup.services).test(.router) { client in
                let session = try await WebFixtures.signIn(client, email: owner, password: Self.password)
                let page = WebFixtures.text(try await WebFixtures.get(client, "/dashboard/\(team)", session: session))
                let created = WebFixtures.text(try await WebFixtures.post(client, "/dashboard/\(team)/invites", session: session,
                                                                          fields: ["csrf": WebFixtures.csrf(in: page) ?? "", "role": "member"]))
                let range = try #require(created.range(of: #"/invite/[0-9a-f]{64}"#, options: .regularExpression))
                let path = String(created[range])
                // A newcomer opens the link, creates an account, and lands in the team.
                let form = try await client.execute(uri: path, method: .get)
                let token = WebFixtures.setCookie(form, "darkroom_presession")?.value ?? ""
                var headers = WebFixtures.formHeaders
                headers[.cookie] = "darkroom_presession=\(token)"
                let newcomer = WebFixtures.unique("nina") + "@example.com"
                let joined = try await client.execute(uri: path, method: .post, headers: headers,
                                                      body: WebFixtures.form(["csrf": WebFixtures.csrf(in: WebFixtures.text(form)) ?? "",
                                                                              "email": newcomer, "password": Self.password]))
                #expect(joined.status == .seeOther && joined.headers[.location] == "/dashboard/\(team)")
                let members = try await setup.web.members(teamID: try await setup.store.team(named: team).id)
                #expect(Set(members.map(\.email)) == [owner, newcomer])
                #expect(members.first { $0.email == newcomer }?.role == "member")
                #expect(try await client.execute(uri: path, method: .get).status == .notFound, "used once")
            }
        }
    }

    @Test func aMemberCannotInvite() async throws {
        try await WebFixtures.with("sqlite") { setup in
            let owner = WebFixtures.unique("oscar") + "@example.com", member = WebFixtures.unique("mia") + "@example.com"
            let team = WebFixtures.unique("roles")
            try await setup.web.createUser(email: owner, password: Self.password, team: team)
            try await setup.web.createUser(email: member, password: Self.password, team: team)
            try await WebFixtures.app(setup.services).test(.router) { client in
                let session = try await WebFixtures.signIn(client, email: member, password: Self.password)
                let page = WebFixtures.text(try await WebFixtures.get(client, "/dashboard/\(team)", session: session))
                #expect(!page.contains("Create invite link"))
                let response = try await WebFixtures.post(client, "/dashboard/\(team)/invites", session: session,
                                                          fields: ["csrf": WebFixtures.csrf(in: page) ?? "", "role": "owner"])
                #expect(response.status == .forbidden && !WebFixtures.text(response).contains("/invite/"))
            }
        }
    }

    @Test(arguments: WebFixtures.engines) func anOwnerRemovesAMemberWhoLosesAccessAtOnceButTheLastOwnerStays(engine: String) async throws {
        try await WebFixtures.with(engine) { setup in
            let owner = WebFixtures.unique("ola") + "@example.com", member = WebFixtures.unique("max") + "@example.com"
            let team = WebFixtures.unique("rm")
            try await setup.web.createUser(email: owner, password: Self.password, team: team)
            try await setup.web.createUser(email: member, password: Self.password, team: team)
            try await WebFixtures.app(setup.services).test(.router) { client in
                let memberSession = try await WebFixtures.signIn(client, email: member, password: Self.password)
                let memberPage = WebFixtures.text(try await WebFixtures.get(client, "/dashboard/\(team)", session: memberSession))
                let byMember = try await WebFixtures.post(client, "/dashboard/\(team)/members/remove", session: memberSession,
                                                          fields: ["csrf": WebFixtures.csrf(in: memberPage) ?? "", "email": owner])
                #expect(byMember.status == .forbidden)
                let session = try await WebFixtures.signIn(client, email: owner, password: Self.password)
                let csrf = WebFixtures.csrf(in: WebFixtures.text(try await WebFixtures.get(client, "/dashboard/\(team)", session: session))) ?? ""
                let lastOwner = try await WebFixtures.post(client, "/dashboard/\(team)/members/remove", session: session, fields: ["csrf": csrf, "email": owner])
                #expect(lastOwner.status == .badRequest && WebFixtures.text(lastOwner).contains("at least one owner"))
                let removed = try await WebFixtures.post(client, "/dashboard/\(team)/members/remove", session: session, fields: ["csrf": csrf, "email": member])
                #expect(removed.status == .ok)
                // The member's session still lives, but the team is gone from it.
                #expect(try await WebFixtures.get(client, "/dashboard/\(team)", session: memberSession).status == .notFound)
                #expect(try await setup.web.members(teamID: try await setup.store.team(named: team).id).map(\.email) == [owner])
            }
        }
    }

    @Test func passwordsAreStoredAsBcryptHashes() async throws {
        try await WebFixtures.with("sqlite") { setup in
            let email = WebFixtures.unique("hal") + "@example.com"
            try await setup.web.createUser(email: email, password: Self.password)
            let hash = try await setup.store.engine.read { db in
                try await db.raw("SELECT password_hash FROM users WHERE email = \(bind: email)").first()!.decode(column: "password_hash", as: String.self)
            }
            #expect(hash.hasPrefix("$2b$04$") && !hash.contains(Self.password))
            #expect(try await setup.web.verify(email: email, password: Self.password)?.email == email)
            #expect(try await setup.web.verify(email: email, password: Self.password + "x") == nil)
            await #expect(throws: AccountError.self) { try await setup.web.createUser(email: "short@example.com", password: "short") }
        }
    }
}

/// `darkroom users create`, run as an operator would, with the password on standard input.
@Suite struct UsersCommandTests {
    @Test func usersCreateReadsThePasswordFromStandardInputAndJoinsTheTeam() async throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let process = Process()
        process.executableURL = Fixtures.repositoryRoot.appendingPathComponent(".build/debug/darkroom")
        process.arguments = ["users", "create", "ops@example.com", "--team", "ops", "--password-stdin", "--data", folder.path]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data("a password from stdin\n".utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(!text.contains("a password from stdin"))
        let store = try await AccountStore.open(.sqlite(path: folder.appendingPathComponent("darkroom.sqlite").path))
        let web = try await WebStore(accounts: store)
        let user = try #require(try await web.verify(email: "ops@example.com", password: "a password from stdin"))
        let teams = try await web.memberships(of: user)
        #expect(teams.map(\.team.name).contains("ops") && teams.first { $0.team.name == "ops" }?.role == "owner")
        #expect(teams.first?.personal == true)
        await store.shutdown()
    }
}

/// Session expiry waits on the wall clock, so it runs with the timing suites (`make test` runs those on their
/// own, after the rest): under the full parallel run, signing in (bcrypt) and the first page could take longer
/// than a short lifetime, and the first page was already a redirect.
@Suite struct SessionExpiryTimingTests {
    @Test func sessionsExpire() async throws {
        try await WebFixtures.with("sqlite", configure: { $0.sessionLifetime = 3 }) { setup in
            let email = WebFixtures.unique("fay") + "@example.com", team = WebFixtures.unique("brief")
            try await setup.web.createUser(email: email, password: DashboardTests.password, team: team)
            try await WebFixtures.app(setup.services).test(.router) { client in
                let session = try await WebFixtures.signIn(client, email: email, password: DashboardTests.password)
                #expect(try await WebFixtures.get(client, "/dashboard/\(team)", session: session).status == .ok)
                try await Task.sleep(for: .milliseconds(3200))
                let after = try await WebFixtures.get(client, "/dashboard/\(team)", session: session)
                #expect(after.status == .seeOther && after.headers[.location] == "/signin")
            }
        }
    }
}
