import Accounts
import Foundation
import Hummingbird
import NIOCore

/// Sign-in, sign-out, invites and the team dashboard. Every team page and action looks the team up among the
/// signed-in user's own memberships first: a team they are not in answers 404, whatever the URL says.
struct Dashboard<Context: WebRequestContext>: Sendable {
    let app: WebApp<Context>
    var store: WebStore { app.store! }

    func register(on router: Router<Context>) {
        router.get("signin") { request, _ in signInPage(request, error: nil) }
        router.post("signin") { request, context in await signIn(request, client: context.clientAddress) }
        router.post("signout") { request, _ -> Response in
            let form = await WebApp<Context>.form(request)
            let token = WebSecurity.cookies(request)[WebSecurity.sessionCookie] ?? ""
            guard let session = await app.session(request) else { return WebApp<Context>.redirect("/signin") }
            guard WebSecurity.equal(form["csrf"] ?? "", session.csrf) else { return forbidden(session) }
            try? await store.endSession(token: token)
            return WebApp<Context>.redirect("/", extraHeaders: [.setCookie: WebSecurity.setCookie(WebSecurity.sessionCookie, "", maxAge: 0, secure: app.configuration.secureCookies)])
        }
        router.get("dashboard") { request, _ -> Response in
            guard let session = await app.session(request) else { return WebApp<Context>.redirect("/signin") }
            let first = try await store.memberships(of: session.user).first
            return WebApp<Context>.redirect(first.map { "/dashboard/\($0.team.name)" } ?? "/signin")
        }
        router.get("dashboard/:team") { request, context -> Response in
            try await withTeam(request, context, post: false) { session, membership, _ in
                try await teamPage(session, membership, notice: nil)
            }
        }
        router.post("dashboard/:team/keys") { request, context -> Response in
            try await withTeam(request, context, post: true) { session, membership, form in
                let label = (form["label"] ?? "").trimmingCharacters(in: .whitespaces)
                do {
                    let (key, _) = try await store.accounts.createKey(team: membership.team.name, label: label.isEmpty ? "unlabelled" : label)
                    // The one and only time the key is shown: the page is no-store, and only the hash is kept.
                    return try await teamPage(session, membership, notice: .newKey(key))
                } catch let error as AccountError {
                    return try await teamPage(session, membership, notice: .error(error.description))
                }
            }
        }
        router.post("dashboard/:team/keys/:id/revoke") { request, context -> Response in
            try await withTeam(request, context, post: true) { session, membership, _ in
                let id = context.parameters.get("id") ?? ""
                // Only a key of this team: an id from another team is "not found", never revoked.
                guard try await store.accounts.keys(team: membership.team.name).contains(where: { $0.id == id }) else {
                    return try await teamPage(session, membership, notice: .error("no such key in this team"), status: .notFound)
                }
                try await store.accounts.revokeKey(id: id)
                return try await teamPage(session, membership, notice: .message("Key revoked: it stops working at once."))
            }
        }
        router.post("dashboard/:team/keys/:id/label") { request, context -> Response in
            try await withTeam(request, context, post: true) { session, membership, form in
                let label = (form["label"] ?? "").trimmingCharacters(in: .whitespaces)
                do {
                    guard try await store.relabelKey(teamID: membership.team.id, id: context.parameters.get("id") ?? "", label: label) else {
                        return try await teamPage(session, membership, notice: .error("no such key in this team"), status: .notFound)
                    }
                    return try await teamPage(session, membership, notice: .message("Label saved."))
                } catch let error as AccountError {
                    return try await teamPage(session, membership, notice: .error(error.description), status: .badRequest)
                }
            }
        }
        router.post("dashboard/:team/invites") { request, context -> Response in
            try await withTeam(request, context, post: true) { session, membership, form in
                guard membership.role == "owner" else {
                    return try await teamPage(session, membership, notice: .error("only an owner can invite"), status: .forbidden)
                }
                let role = form["role"] == "owner" ? "owner" : "member"
                let token = try await store.createInvite(teamID: membership.team.id, role: role, createdBy: session.user)
                return try await teamPage(session, membership, notice: .invite("\(app.origin(request))/invite/\(token)", role))
            }
        }
        router.post("dashboard/:team/members/remove") { request, context -> Response in
            try await withTeam(request, context, post: true) { session, membership, form in
                guard membership.role == "owner" else {
                    return try await teamPage(session, membership, notice: .error("only an owner can remove members"), status: .forbidden)
                }
                let email = form["email"] ?? ""
                do {
                    guard try await store.removeMember(teamID: membership.team.id, email: email) else {
                        return try await teamPage(session, membership, notice: .error("no such member"), status: .notFound)
                    }
                    // An owner who removed themselves has no business on this page any more.
                    if email == session.user.email { return WebApp<Context>.redirect("/dashboard") }
                    return try await teamPage(session, membership, notice: .message("\(email) no longer belongs to \(membership.team.name)."))
                } catch let error as AccountError {
                    return try await teamPage(session, membership, notice: .error(error.description), status: .badRequest)
                }
            }
        }
        router.get("invite/:token") { request, context -> Response in
            await invitePage(request, token: context.parameters.get("token") ?? "", error: nil)
        }
        router.post("invite/:token") { request, context -> Response in
            await acceptInvite(request, token: context.parameters.get("token") ?? "", client: context.clientAddress)
        }
    }

    // MARK: Sign-in

    func signInPage(_ request: Request, error: String?, status: HTTPResponse.Status = .ok, email: String = "") -> Response {
        let token = WebStore.newToken()
        let body = """
            <h1>Sign in</h1>
            \(error.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>" } ?? "")
            <form method="post" action="/signin" class="card">
            <input type="hidden" name="csrf" value="\(token)">
            <label for="email">Email</label>
            <input id="email" name="email" type="email" autocomplete="username" required value="\(HTML.escape(email))">
            <label for="password">Password</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required>
            <p><button type="submit">Sign in</button></p>
            </form>
            <p class="muted">No account? An owner of a team can invite you, or an operator runs
            <code>darkroom users create EMAIL --team NAME --password-stdin</code>.</p>
            """
        return app.page("Sign in", body, session: nil, status: status,
                        extraHeaders: [.setCookie: WebSecurity.setCookie(WebSecurity.preSessionCookie, token, maxAge: 3600, secure: app.configuration.secureCookies)])
    }

    func signIn(_ request: Request, client: String) async -> Response {
        let form = await WebApp<Context>.form(request)
        let email = (form["email"] ?? "").lowercased().trimmingCharacters(in: .whitespaces)
        guard WebSecurity.equal(form["csrf"] ?? "", WebSecurity.cookies(request)[WebSecurity.preSessionCookie] ?? "") else {
            return signInPage(request, error: "The form expired; please try again.", status: .forbidden, email: email)
        }
        let keys = ["email:" + email, "client:" + client]
        if app.limiter.isBlocked(keys) {
            return signInPage(request, error: "Too many failed sign-ins; wait 15 minutes.", status: .tooManyRequests, email: email)
        }
        guard let user = try? await store.verify(email: email, password: form["password"] ?? "") else {
            app.limiter.recordFailure(keys)
            return signInPage(request, error: "Wrong email or password.", status: .unauthorized, email: email)
        }
        return await startSession(user, then: "/dashboard")
    }

    func startSession(_ user: WebStore.User, then location: String) async -> Response {
        guard let token = try? await store.createSession(for: user, lifetime: app.configuration.sessionLifetime) else {
            return Response(status: .internalServerError)
        }
        var headers = HTTPFields()
        headers.append(.init(name: .setCookie, value: WebSecurity.setCookie(WebSecurity.sessionCookie, token, maxAge: Int(app.configuration.sessionLifetime),
                                                                             secure: app.configuration.secureCookies)))
        headers.append(.init(name: .setCookie, value: WebSecurity.setCookie(WebSecurity.preSessionCookie, "", maxAge: 0, secure: app.configuration.secureCookies)))
        return WebApp<Context>.redirect(location, extraHeaders: headers)
    }

    // MARK: Invites

    func invitePage(_ request: Request, token: String, error: String?, status: HTTPResponse.Status = .ok) async -> Response {
        let session = await app.session(request)
        guard let invite = try? await store.invite(token: token) else {
            return app.page("Invite", "<h1>Invite</h1><p class=\"error\">This invite link is unknown, used or expired.</p>", session: session, status: .notFound)
        }
        let csrf = session?.csrf ?? WebStore.newToken()
        let fields = session == nil ? """
            <p>Create your account to join. Already have one? <a href="/signin">Sign in</a>, then open this link again.</p>
            <label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required>
            <label for="password">Password (10 characters or more)</label>
            <input id="password" name="password" type="password" autocomplete="new-password" minlength="10" required>
            """ : "<p>Signed in as \(HTML.escape(session!.user.email)).</p>"
        let body = """
            <h1>Join \(HTML.escape(invite.team.name))</h1>
            \(error.map { "<p class=\"error\" role=\"alert\">\(HTML.escape($0))</p>" } ?? "")
            <form method="post" class="card"><input type="hidden" name="csrf" value="\(csrf)">
            <p>You are invited as <strong>\(HTML.escape(invite.role))</strong>.</p>
            \(fields)
            <p><button type="submit">Join \(HTML.escape(invite.team.name))</button></p></form>
            """
        let headers: HTTPFields = session == nil
            ? [.setCookie: WebSecurity.setCookie(WebSecurity.preSessionCookie, csrf, maxAge: 3600, secure: app.configuration.secureCookies)] : [:]
        return app.page("Invite", body, session: session, status: status, extraHeaders: headers)
    }

    func acceptInvite(_ request: Request, token: String, client: String) async -> Response {
        let form = await WebApp<Context>.form(request)
        if let session = await app.session(request) {
            guard WebSecurity.equal(form["csrf"] ?? "", session.csrf) else { return forbidden(session) }
            guard let team = try? await store.accept(token: token, user: session.user) else {
                return await invitePage(request, token: token, error: "This invite can no longer be used.", status: .notFound)
            }
            return WebApp<Context>.redirect("/dashboard/\(team.name)")
        }
        guard WebSecurity.equal(form["csrf"] ?? "", WebSecurity.cookies(request)[WebSecurity.preSessionCookie] ?? "") else {
            return await invitePage(request, token: token, error: "The form expired; please try again.", status: .forbidden)
        }
        guard (try? await store.invite(token: token)) != nil else {
            return await invitePage(request, token: token, error: nil, status: .notFound)
        }
        do {
            let user = try await store.createUser(email: form["email"] ?? "", password: form["password"] ?? "")
            guard let team = try await store.accept(token: token, user: user) else {
                return await invitePage(request, token: token, error: "This invite can no longer be used.", status: .notFound)
            }
            return await startSession(user, then: "/dashboard/\(team.name)")
        } catch let error as AccountError {
            return await invitePage(request, token: token, error: error.description, status: .badRequest)
        } catch {
            return await invitePage(request, token: token, error: "Could not create the account.", status: .badRequest)
        }
    }

    // MARK: Team pages

    /// Runs `body` for a signed-in member of the URL's team; POSTs must carry the session's CSRF token.
    func withTeam(_ request: Request, _ context: Context, post: Bool,
                  _ body: (WebStore.Session, WebStore.Membership, [String: String]) async throws -> Response) async throws -> Response {
        guard let session = await app.session(request) else { return WebApp<Context>.redirect("/signin") }
        let form = post ? await WebApp<Context>.form(request) : [:]
        if post, !WebSecurity.equal(form["csrf"] ?? "", session.csrf) { return forbidden(session) }
        let name = context.parameters.get("team") ?? ""
        guard let membership = try await store.membership(of: session.user, team: name) else {
            return app.page("Not found", "<h1>Not found</h1><p>You are not a member of a team by that name.</p>", session: session, status: .notFound)
        }
        return try await body(session, membership, form)
    }

    func forbidden(_ session: WebStore.Session?) -> Response {
        app.page("Forbidden", "<h1>Forbidden</h1><p class=\"error\">The form's security token is missing or wrong. Reload the page and try again.</p>",
                 session: session, status: .forbidden)
    }

    enum Notice {
        case newKey(String), invite(String, String), message(String), error(String)
    }

    func teamPage(_ session: WebStore.Session, _ membership: WebStore.Membership, notice: Notice?,
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let team = membership.team
        let memberships = try await store.memberships(of: session.user)
        let balance = try await store.accounts.balance(teamID: team.id)
        let keys = try await store.accounts.keys(team: team.name)
        let since = Date().addingTimeInterval(-14 * 86_400)
        let usage = try await store.accounts.usage(team: team.name, since: since)
        let ledger = try await store.ledger(teamID: team.id)
        let members = try await store.members(teamID: team.id)
        let csrf = HTML.escape(session.csrf)
        let name = HTML.escape(team.name)
        let path = "/dashboard/" + HTML.queryComponent(team.name)

        var html = "<h1>\(name)\(membership.personal ? " <span class=\"muted\">(personal)</span>" : "")</h1>"
        switch notice {
        case .newKey(let key):
            html += """
                <div class="notice" role="status"><p><strong>Your new API key</strong> — copy it now: it is stored only as a hash and will
                never be shown again.</p><p class="secret" id="new-key">\(HTML.escape(key))</p>
                <p>Sandbox form (free, watermarked): <span class="secret">sandbox_\(HTML.escape(key))</span></p></div>
                """
        case .invite(let link, let role):
            html += """
                <div class="notice" role="status"><p><strong>Invite link</strong> (\(HTML.escape(role)), valid 7 days, usable once). Send it
                yourself — Darkroom sends no email:</p><p class="secret" id="invite-link">\(HTML.escape(link))</p></div>
                """
        case .message(let text): html += "<p class=\"notice\" role=\"status\">\(HTML.escape(text))</p>"
        case .error(let text): html += "<p class=\"error\" role=\"alert\">\(HTML.escape(text))</p>"
        case nil: break
        }
        html += """
            <div class="grid2">
            <section class="card" aria-labelledby="plan-h"><h2 id="plan-h">Plan and credits</h2>
            <p>Plan <strong>\(HTML.escape(team.plan.name))</strong>: \(team.plan.monthlyAllowance) credits a month.</p>
            <p class="stat" id="balance">\(balance) credits</p><p class="muted">available now. An edit costs 5, a cut-out 1, a preview cut-out 0.25;
            sandbox calls are free.</p></section>
            <section class="card" aria-labelledby="you-h"><h2 id="you-h">You</h2>
            <p>\(HTML.escape(session.user.email)), <strong>\(HTML.escape(membership.role))</strong> of this team.</p>
            <p><a href="/playground?team=\(HTML.queryComponent(team.name))">Open the playground</a> with this team's sandbox.</p></section>
            </div>
            """
        // Keys.
        html += "<section class=\"card\" aria-labelledby=\"keys-h\"><h2 id=\"keys-h\">API keys</h2>"
        html += "<table id=\"keys\"><thead><tr><th>Label</th><th>Key</th><th>Created</th><th>Last used</th><th>Status</th><th></th></tr></thead><tbody>"
        for key in keys.reversed() {
            let revoke = key.revokedAt == nil ? """
                <form method="post" action="\(path)/keys/\(HTML.escape(key.id))/revoke"><input type="hidden" name="csrf" value="\(csrf)">\
                <button class="danger" type="submit" aria-label="Revoke key \(HTML.escape(key.label))">Revoke</button></form>
                """ : ""
            let labelForm = """
                <form method="post" action="\(path)/keys/\(HTML.escape(key.id))/label" class="inline"><input type="hidden" name="csrf" value="\(csrf)">\
                <input name="label" value="\(HTML.escape(key.label))" maxlength="100" aria-label="Label of key …\(HTML.escape(key.hint))">\
                <button class="secondary" type="submit">Save</button></form>
                """
            html += """
                <tr data-key-id="\(HTML.escape(key.id))"><td>\(labelForm)</td><td><code>dk_…\(HTML.escape(key.hint))</code></td>
                <td>\(Self.date(key.createdAt))</td><td>\(key.lastUsedAt.map(Self.date) ?? "never")</td>
                <td>\(key.revokedAt.map { "revoked " + Self.date($0) } ?? "active")</td><td>\(revoke)</td></tr>
                """
        }
        html += """
            </tbody></table>
            <form method="post" action="\(path)/keys"><input type="hidden" name="csrf" value="\(csrf)">
            <label for="key-label">Label for a new key</label><input id="key-label" name="label" maxlength="100" placeholder="e.g. production">
            <p><button type="submit">Create key</button></p></form></section>
            """
        // Usage.
        html += """
            <section class="card" aria-labelledby="usage-h"><h2 id="usage-h">Usage, last 14 days</h2>
            \(UsageChart.svg(usage, days: 14, now: Date()))
            <h3>Recent calls</h3><table id="calls"><thead><tr><th>Time (UTC)</th><th>Route</th><th>Key</th><th>Status</th><th>Credits</th><th>Duration</th></tr></thead><tbody>
            """
        let labels = Dictionary(keys.map { ($0.id, $0.label) }) { a, _ in a }
        for call in usage.suffix(50).reversed() {
            let key = call.keyID.hasPrefix("playground:") ? "playground" : labels[call.keyID] ?? call.keyID
            html += """
                <tr><td>\(Self.time(call.at))</td><td>\(HTML.escape(call.route))</td><td>\(HTML.escape(key))\(call.sandbox ? " (sandbox)" : "")</td>
                <td>\(call.status)</td><td>\(call.credits)</td><td>\(call.durationMilliseconds) ms</td></tr>
                """
        }
        if usage.isEmpty { html += "<tr><td colspan=\"6\" class=\"muted\">No calls yet.</td></tr>" }
        html += "</tbody></table></section>"
        // Ledger.
        html += "<section class=\"card\" aria-labelledby=\"ledger-h\"><h2 id=\"ledger-h\">Credits ledger</h2><table id=\"ledger\"><thead><tr><th>Time (UTC)</th><th>Entry</th><th>Credits</th></tr></thead><tbody>"
        for entry in ledger {
            html += "<tr><td>\(Self.time(entry.at))</td><td>\(HTML.escape(entry.kind))</td><td>\(entry.amount.hundredths > 0 ? "+" : "")\(entry.amount)</td></tr>"
        }
        html += "</tbody></table></section>"
        // Members.
        html += "<section class=\"card\" aria-labelledby=\"members-h\"><h2 id=\"members-h\">Members</h2><table id=\"members\"><thead><tr><th>Email</th><th>Role</th><th></th></tr></thead><tbody>"
        for member in members {
            let remove = membership.role == "owner" && !membership.personal ? """
                <form method="post" action="\(path)/members/remove"><input type="hidden" name="csrf" value="\(csrf)">\
                <input type="hidden" name="email" value="\(HTML.escape(member.email))">\
                <button class="danger" type="submit" aria-label="Remove \(HTML.escape(member.email))">Remove</button></form>
                """ : ""
            html += "<tr><td>\(HTML.escape(member.email))</td><td>\(HTML.escape(member.role))</td><td>\(remove)</td></tr>"
        }
        html += "</tbody></table>"
        if membership.role == "owner" {
            html += """
                <form method="post" action="\(path)/invites"><input type="hidden" name="csrf" value="\(csrf)">
                <label for="invite-role">Invite someone as</label>
                <select id="invite-role" name="role"><option value="member">member</option><option value="owner">owner</option></select>
                <p><button type="submit">Create invite link</button></p></form>
                """
        }
        html += "</section>"
        return app.page(team.name, html, session: session, switcher: Self.switcher(memberships, current: team.name), status: status)
    }

    /// The team switcher at the top left: a disclosure list of links, so it works without script and by keyboard.
    static func switcher(_ memberships: [WebStore.Membership], current: String) -> String {
        var html = "<details class=\"switcher\" id=\"team-switcher\"><summary aria-label=\"Switch team\">\(HTML.escape(current)) ▾</summary><ul>"
        for membership in memberships {
            let name = HTML.escape(membership.team.name)
            html += "<li><a href=\"/dashboard/\(HTML.queryComponent(membership.team.name))\"\(membership.team.name == current ? " aria-current=\"page\"" : "")>\(name)\(membership.personal ? " (personal)" : "") — \(HTML.escape(membership.role))</a></li>"
        }
        return html + "</ul></details>"
    }

    static func date(_ date: Date) -> String { WebFormat.date(date) }
    static func time(_ date: Date) -> String { WebFormat.time(date) }
}
