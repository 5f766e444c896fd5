import Accounts
import Editing
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport
@testable import Web
@testable import Server

/// The public pages: security headers, the docs rendered from the OpenAPI document, the changelog, and the
/// playground's signed-in preview in the team's sandbox.
@Suite(.serialized) struct PagesTests {
    static let password = "correct horse battery"

    @Test func everyPageCarriesAContentSecurityPolicyWithoutInlineScript() async throws {
        try await WebFixtures.with("sqlite") { setup in
            try await WebFixtures.app(setup.services).test(.router) { client in
                for path in ["/", "/docs", "/changelog", "/playground", "/signin"] {
                    let response = try await client.execute(uri: path, method: .get)
                    #expect(response.status == .ok, "\(path)")
                    let policy = response.headers[.init("content-security-policy")!] ?? ""
                    #expect(policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'") && !policy.contains("unsafe-inline"), "\(path)")
                    #expect(response.headers[.init("x-content-type-options")!] == "nosniff")
                    let html = WebFixtures.text(response)
                    // No inline script or style for the policy to have to allow.
                    #expect(!html.contains("<script>") && !html.contains(" style=\"") && !html.contains("onclick"), "\(path)")
                }
            }
        }
    }

    @Test func docsListEveryRouteAndEveryEditArgumentWithItsRules() async throws {
        try await WebFixtures.with("sqlite") { setup in
            try await WebFixtures.app(setup.services).test(.router) { client in
                let html = WebFixtures.text(try await client.execute(uri: "/docs", method: .get))
                let paths = OpenAPIDocument.make()["paths"] as! [String: [String: Any]]
                for (path, operations) in paths {
                    for method in operations.keys {
                        #expect(html.contains("<code>\(method.uppercased()) \(path)</code>"), "\(method) \(path) is listed")
                    }
                }
                for name in EditOptions.argumentNames {
                    #expect(html.contains("id=\"arg-\(name)\""), "\(name) has a row")
                }
                // Values, defaults and a cross rule, as the catalogue gives them, and a playground link prefilled.
                #expect(html.contains("<code>gaussian</code>, <code>bokeh</code>"))
                #expect(html.contains("Needs background.blur.mode"))
                #expect(html.contains("href=\"/playground?background.blur.mode=gaussian&amp;background.blur.radius="))
                #expect(html.contains("NestedError") && html.contains("FlatError"))
                #expect(html.contains("class=\"layout-figure\""))
            }
        }
    }

    @Test func layoutFiguresAreDrawnFromTheLayoutFunction() throws {
        // The left-aligned example must put the subject at the padding's edge: 10 % of 1000 px, scaled by 0.15.
        let html = Guides.figures()
        let example = try #require(Guides.examples.first { $0.options.horizontalAlignment == .left })
        let placement = Layout.place(imageWidth: 400, imageHeight: 300, subject: Guides.subject, options: example.options)
        #expect(abs(placement.place(Guides.subject).x - 100) < 0.5)
        #expect(html.contains("subject at 100,"))
    }

    @Test func theChangelogPageRendersTheRepositorysChangelog() async throws {
        try await WebFixtures.with("sqlite") { setup in
            try await WebFixtures.app(setup.services).test(.router) { client in
                let html = WebFixtures.text(try await client.execute(uri: "/changelog", method: .get))
                let file = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
                #expect(html.contains("<h2 id=\"unreleased\">[Unreleased]</h2>"))
                // Every dated entry of the file is on the page.
                let dates = file.split(separator: "\n").filter { $0.hasPrefix("- 20") }.map { String($0.dropFirst(2).prefix(10)) }
                #expect(!dates.isEmpty)
                for date in Set(dates) { #expect(html.contains("<li>\(date)")) }
            }
        }
    }

    @Test func markdownIsEscapedAndLinksOnlyGoToWebAddresses() {
        let html = Markdown.html("## 1.0\n- a <b>tag</b> and `x<y` and [ok](https://example.com) and [bad](javascript:alert(1))\n  continued")
        #expect(html.contains("<h2 id=\"10\">1.0</h2>"))
        #expect(html.contains("a &lt;b&gt;tag&lt;/b&gt; and <code>x&lt;y</code>"))
        #expect(html.contains("<a href=\"https://example.com\">ok</a>") && !html.contains("href=\"javascript"))
        #expect(html.contains("continued</li>"))
    }

    @Test func thePlaygroundHasAFieldForEveryArgumentWithItsRules() async throws {
        try await WebFixtures.with("sqlite") { setup in
            try await WebFixtures.app(setup.services).test(.router) { client in
                let html = WebFixtures.text(try await client.execute(uri: "/playground?padding=0.2&shadow.mode=ai.soft", method: .get))
                for name in EditOptions.argumentNames where name != "apiKey" {
                    #expect(html.contains("<label for=\"f-\(name)\">"), "\(name) has a labelled field")
                }
                #expect(html.contains("id=\"f-padding\" name=\"padding\" aria-describedby=\"f-padding-why\" type=\"text\" value=\"0.2\""))
                #expect(html.contains("<option selected>ai.soft</option>"))
                #expect(html.contains("data-requires=\"[{&quot;argument&quot;:&quot;background.blur.mode&quot;}]\""))
                #expect(html.contains("<label for=\"api-key\">API key</label>"), "signed out: paste a key")
            }
        }
    }

    @Test func withoutAccountsThePagesServeAndThePlaygroundAsksForNoKey() async throws {
        var configuration = ServerConfiguration()
        configuration.allowPrivateURLs = true
        let services = Services(configuration: configuration, pipeline: Pipeline(segmenter: WebFixtures.segmenter))
        try await WebFixtures.app(services).test(.router) { client in
            let html = WebFixtures.text(try await client.execute(uri: "/playground", method: .get))
            #expect(html.contains("data-keyless=\"true\"") && !html.contains("id=\"api-key\"") && !html.contains("href=\"/signin\""))
            #expect(try await client.execute(uri: "/docs", method: .get).status == .ok)
            // No accounts, no dashboard: nothing to sign in to.
            #expect(try await client.execute(uri: "/dashboard", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/signin", method: .get).status == .notFound)
        }
    }

    @Test(arguments: WebFixtures.engines) func aSignedInPreviewRunsInTheTeamsSandboxForFree(engine: String) async throws {
        try await WebFixtures.with(engine) { setup in
            let email = WebFixtures.unique("pia") + "@example.com", team = WebFixtures.unique("play")
            try await setup.web.createUser(email: email, password: Self.password, team: team)
            let teamID = try await setup.store.team(named: team).id
            let before = try await setup.store.balance(teamID: teamID)
            try await WebFixtures.app(setup.services).test(.router) { client in
                let session = try await WebFixtures.signIn(client, email: email, password: Self.password)
                let page = WebFixtures.text(try await WebFixtures.get(client, "/playground", session: session))
                let csrf = try #require(page.range(of: #"data-csrf="[0-9a-f]{64}""#, options: .regularExpression).map { String(page[$0].dropFirst(11).dropLast()) })
                let photo = try Fixtures.bytes(Fixtures.samples.appendingPathComponent("skimage_coffee.png"))
                var (body, headers) = WebFixtures.multipart(fields: [("background.color", "FFFFFF"), ("outputSize", "120x80")], files: [("imageFile", photo)])
                headers[.cookie] = "darkroom_session=\(session)"
                let forged = try await client.execute(uri: "/playground/preview?team=\(team)", method: .post, headers: headers, body: body)
                #expect(forged.status == .forbidden, "no CSRF header")
                headers[.init("x-csrf-token")!] = csrf
                (body, _) = WebFixtures.multipart(fields: [("background.color", "FFFFFF"), ("outputSize", "120x80")], files: [("imageFile", photo)])
                let response = try await client.execute(uri: "/playground/preview?team=\(team)", method: .post, headers: headers, body: body)
                #expect(response.status == .ok && response.headers[.contentType] == "image/png")
                #expect(response.headers[.init("x-credits-charged")!] == "0")
                #expect(Array(response.body.readableBytesView.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
                // Another team's sandbox is out of reach.
                let other = WebFixtures.unique("other")
                try await setup.store.createTeam(name: other, plan: .basic)
                (body, _) = WebFixtures.multipart(fields: [("outputSize", "120x80")], files: [("imageFile", photo)])
                let foreign = try await client.execute(uri: "/playground/preview?team=\(other)", method: .post, headers: headers, body: body)
                #expect(foreign.status == .forbidden)
                // Free, and logged as a sandbox call that the dashboard's chart and table show.
                #expect(try await setup.store.balance(teamID: teamID) == before)
                let usage = try await setup.store.usage(team: team)
                #expect(usage.count == 1 && usage[0].sandbox && usage[0].status == 200)
                let dashboard = WebFixtures.text(try await WebFixtures.get(client, "/dashboard/\(team)", session: session))
                #expect(dashboard.contains("data-route=\"/v2/edit\" data-count=\"1\""))
                #expect(dashboard.contains("<td>playground (sandbox)</td>"))
            }
        }
    }
}
