import Accounts
import Crypto
import Foundation
import HummingbirdBcrypt
import SQLKit

/// People, their sign-in sessions and team invites, in the same database as the teams and keys (SQLite or
/// PostgreSQL, through the account store's engine). A person is a member of teams through the `members` table
/// (by email); each has a personal team of their own. Session and invite tokens are stored only as SHA-256
/// hashes, passwords only as bcrypt hashes.
public struct WebStore: Sendable {
    public let accounts: AccountStore
    /// bcrypt's work factor: 2^cost rounds. Tests lower it; 12 is the library's default.
    let bcryptCost: UInt8

    public init(accounts: AccountStore, bcryptCost: UInt8 = 12) async throws {
        self.accounts = accounts
        self.bcryptCost = bcryptCost
        try await WebMigrations.run(on: accounts.engine)
    }

    var engine: any SQLEngine { accounts.engine }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
    static func id() -> String { UUID().uuidString.lowercased() }
    static func hash(_ token: String) -> String { SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined() }

    /// 32 random bytes as hex: session ids, CSRF tokens and invite tokens.
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    // MARK: Users

    public struct User: Sendable, Equatable {
        public var id: String
        public var email: String
    }

    public struct Membership: Sendable, Equatable {
        public var team: Team
        public var role: String
        public var personal: Bool
    }

    static let minimumPasswordLength = 10

    /// Creates a person with a personal team, and adds them to `team` (created if missing, with them as owner).
    @discardableResult
    public func createUser(email: String, password: String, team: String? = nil, role: String = "member") async throws -> User {
        let email = email.lowercased().trimmingCharacters(in: .whitespaces)
        guard password.count >= Self.minimumPasswordLength else {
            throw AccountError.invalid("passwords are at least \(Self.minimumPasswordLength) characters")
        }
        guard password.utf8.count <= 72 else { throw AccountError.invalid("passwords are at most 72 bytes (bcrypt's limit)") }
        if try await user(email: email) != nil { throw AccountError.invalid("a user \(email) already exists") }
        let personal = try await accounts.createTeam(name: try await personalTeamName(for: email), plan: .basic, owner: email)
        let hash = Bcrypt.hash(password, cost: bcryptCost)
        let user = User(id: Self.id(), email: email)
        try await engine.transaction { db in
            try await db.raw("""
                INSERT INTO users (id, email, password_hash, personal_team_id, created_at) VALUES
                (\(bind: user.id), \(bind: email), \(bind: hash), \(bind: personal.id), \(bind: Self.now()))
                """).run()
        }
        if let team {
            if (try? await accounts.team(named: team)) == nil {
                try await accounts.createTeam(name: team, plan: .basic, owner: email)
            } else {
                try await accounts.addMember(team: team, email: email, role: role)
            }
        }
        return user
    }

    /// A free team name from the email's local part: `alice-personal`, `alice-personal-2`, …
    func personalTeamName(for email: String) async throws -> String {
        let local = email.split(separator: "@").first.map(String.init) ?? "user"
        let cleaned = String(local.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" }.prefix(24))
        let base = (cleaned.isEmpty ? "user" : cleaned) + "-personal"
        var name = base, n = 1
        while (try? await accounts.team(named: name)) != nil { n += 1; name = "\(base)-\(n)" }
        return name
    }

    public func user(email: String) async throws -> User? {
        try await engine.read { db in
            guard let row = try await db.raw("SELECT id, email FROM users WHERE email = \(bind: email.lowercased())").first() else { return nil }
            return User(id: try row.decode(column: "id", as: String.self), email: try row.decode(column: "email", as: String.self))
        }
    }

    /// The user when `password` is theirs. A wrong email costs a bcrypt check too, so timing does not tell
    /// which emails exist.
    public func verify(email: String, password: String) async throws -> User? {
        let row = try await engine.read { db -> (User, String)? in
            guard let row = try await db.raw("SELECT id, email, password_hash FROM users WHERE email = \(bind: email.lowercased())").first() else { return nil }
            return (User(id: try row.decode(column: "id", as: String.self), email: try row.decode(column: "email", as: String.self)),
                    try row.decode(column: "password_hash", as: String.self))
        }
        guard let (user, hash) = row else {
            _ = Bcrypt.verify(password, hash: Self.decoyHash)
            return nil
        }
        return Bcrypt.verify(password, hash: hash) ? user : nil
    }

    static let decoyHash = Bcrypt.hash("decoy password that matches nothing", cost: 12)

    /// The teams the user belongs to, personal team first.
    public func memberships(of user: User) async throws -> [Membership] {
        try await engine.read { db in
            let personal = try await db.raw("SELECT personal_team_id FROM users WHERE id = \(bind: user.id)").first()?
                .decode(column: "personal_team_id", as: String.self)
            let rows = try await db.raw("""
                SELECT t.id, t.name, t.plan, t.allowance, t.period_start, m.role FROM members m JOIN teams t ON t.id = m.team_id
                WHERE m.email = \(bind: user.email) ORDER BY t.name
                """).all()
            let list = try rows.map { row in
                Membership(team: try Self.team(from: row), role: try row.decode(column: "role", as: String.self), personal: false)
            }.map { m in var m = m; m.personal = m.team.id == personal; return m }
            return list.filter(\.personal) + list.filter { !$0.personal }
        }
    }

    /// The user's membership of the team named `name`, or nil: every team page and action goes through this.
    public func membership(of user: User, team name: String) async throws -> Membership? {
        try await memberships(of: user).first { $0.team.name == name }
    }

    public struct Member: Sendable, Equatable {
        public var email: String
        public var role: String
    }

    public func members(teamID: String) async throws -> [Member] {
        try await engine.read { db in
            try await db.raw("SELECT email, role FROM members WHERE team_id = \(bind: teamID) ORDER BY role DESC, email").all().map {
                Member(email: try $0.decode(column: "email", as: String.self), role: try $0.decode(column: "role", as: String.self))
            }
        }
    }

    /// Renames a key of the team; false when the team has no such key (another team's key id changes nothing).
    public func relabelKey(teamID: String, id: String, label: String) async throws -> Bool {
        guard label.count <= 100 else { throw AccountError.invalid("labels are at most 100 characters") }
        return try await engine.transaction { db in
            guard try await db.raw("SELECT id FROM api_keys WHERE id = \(bind: id) AND team_id = \(bind: teamID)").first() != nil else { return false }
            try await db.raw("UPDATE api_keys SET label = \(bind: label) WHERE id = \(bind: id) AND team_id = \(bind: teamID)").run()
            return true
        }
    }

    /// Takes a person out of a team. Refused for the last owner (a team always has one) and for a personal
    /// team's owner. False when they were not a member.
    public func removeMember(teamID: String, email: String) async throws -> Bool {
        try await engine.transaction { db in
            guard let row = try await db.raw("SELECT role FROM members WHERE team_id = \(bind: teamID) AND email = \(bind: email)").first() else {
                return false
            }
            if try await db.raw("SELECT id FROM users WHERE personal_team_id = \(bind: teamID) AND email = \(bind: email)").first() != nil {
                throw AccountError.invalid("a personal space keeps its owner")
            }
            if try row.decode(column: "role", as: String.self) == "owner" {
                let owners = try await db.raw("SELECT CAST(COUNT(*) AS BIGINT) AS n FROM members WHERE team_id = \(bind: teamID) AND role = 'owner'").first()
                if try owners?.decode(column: "n", as: Int64.self) ?? 0 <= 1 { throw AccountError.invalid("a team keeps at least one owner") }
            }
            try await db.raw("DELETE FROM members WHERE team_id = \(bind: teamID) AND email = \(bind: email)").run()
            return true
        }
    }

    // MARK: Sessions

    public struct Session: Sendable, Equatable {
        public var user: User
        public var csrf: String
        public var expiresAt: Date
    }

    /// Starts a session; returns the token for the cookie (only its hash is stored).
    public func createSession(for user: User, lifetime: TimeInterval) async throws -> String {
        let token = Self.newToken()
        try await engine.transaction { db in
            try await db.raw("""
                INSERT INTO web_sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES
                (\(bind: Self.hash(token)), \(bind: user.id), \(bind: Self.newToken()), \(bind: Self.now()),
                 \(bind: Self.now() + Int64(lifetime.rounded(.up))))
                """).run()
            // Expired sessions go when a new one starts: the table never grows without bound.
            try await db.raw("DELETE FROM web_sessions WHERE expires_at <= \(bind: Self.now())").run()
        }
        return token
    }

    /// The live session behind a cookie's token, or nil (unknown, expired or signed out).
    public func session(token: String) async throws -> Session? {
        try await engine.read { db in
            guard let row = try await db.raw("""
                SELECT u.id, u.email, s.csrf, s.expires_at FROM web_sessions s JOIN users u ON u.id = s.user_id
                WHERE s.token_hash = \(bind: Self.hash(token)) AND s.expires_at > \(bind: Self.now())
                """).first() else { return nil }
            return Session(user: User(id: try row.decode(column: "id", as: String.self), email: try row.decode(column: "email", as: String.self)),
                           csrf: try row.decode(column: "csrf", as: String.self),
                           expiresAt: Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "expires_at", as: Int64.self))))
        }
    }

    public func endSession(token: String) async throws {
        try await engine.transaction { db in
            try await db.raw("DELETE FROM web_sessions WHERE token_hash = \(bind: Self.hash(token))").run()
        }
    }

    // MARK: Invites

    public struct Invite: Sendable, Equatable {
        public var team: Team
        public var role: String
    }

    /// An invite link's token (shown once to the owner; stored hashed), valid for `lifetime`, usable once.
    public func createInvite(teamID: String, role: String, createdBy: User, lifetime: TimeInterval = 7 * 86_400) async throws -> String {
        guard role == "owner" || role == "member" else { throw AccountError.invalid("the role is owner or member") }
        let token = Self.newToken()
        try await engine.transaction { db in
            try await db.raw("""
                INSERT INTO invites (token_hash, team_id, role, created_by, created_at, expires_at) VALUES
                (\(bind: Self.hash(token)), \(bind: teamID), \(bind: role), \(bind: createdBy.id), \(bind: Self.now()),
                 \(bind: Self.now() + Int64(lifetime)))
                """).run()
        }
        return token
    }

    public func invite(token: String) async throws -> Invite? {
        try await engine.read { db in
            guard let row = try await db.raw("""
                SELECT t.id, t.name, t.plan, t.allowance, t.period_start, i.role FROM invites i JOIN teams t ON t.id = i.team_id
                WHERE i.token_hash = \(bind: Self.hash(token)) AND i.used_at IS NULL AND i.expires_at > \(bind: Self.now())
                """).first() else { return nil }
            return Invite(team: try Self.team(from: row), role: try row.decode(column: "role", as: String.self))
        }
    }

    static func team(from row: any SQLRow) throws -> Team {
        Team(id: try row.decode(column: "id", as: String.self), name: try row.decode(column: "name", as: String.self),
             plan: Plan(name: try row.decode(column: "plan", as: String.self),
                        monthlyAllowance: Credits(hundredths: try row.decode(column: "allowance", as: Int64.self))),
             periodStart: Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "period_start", as: Int64.self))))
    }

    /// Uses the invite for `user`: they join its team (or keep their place if already in it). False when the
    /// invite is unknown, used or expired.
    public func accept(token: String, user: User) async throws -> Team? {
        try await engine.transaction { db in
            guard let row = try await db.raw("""
                SELECT team_id, role FROM invites WHERE token_hash = \(bind: Self.hash(token))
                AND used_at IS NULL AND expires_at > \(bind: Self.now())
                """).first() else { return nil }
            let teamID = try row.decode(column: "team_id", as: String.self), role = try row.decode(column: "role", as: String.self)
            try await db.raw("UPDATE invites SET used_at = \(bind: Self.now()) WHERE token_hash = \(bind: Self.hash(token))").run()
            if try await db.raw("SELECT email FROM members WHERE team_id = \(bind: teamID) AND email = \(bind: user.email)").first() == nil {
                try await db.raw("INSERT INTO members (team_id, email, role) VALUES (\(bind: teamID), \(bind: user.email), \(bind: role))").run()
            }
            guard let team = try await db.raw("SELECT id, name, plan, allowance, period_start FROM teams WHERE id = \(bind: teamID)").first() else { return nil }
            return try Self.team(from: team)
        }
    }

    // MARK: Ledger and usage, for the dashboard

    public struct LedgerEntry: Sendable, Equatable {
        public var at: Date
        public var kind: String
        public var amount: Credits
    }

    /// The latest grants, renewals and charges. A charge is its reservation's row (the charge row itself says
    /// 0); released reservations cancel out and are left out; open ones show as reserved.
    public func ledger(teamID: String, limit: Int = 50) async throws -> [LedgerEntry] {
        try await engine.read { db in
            try await db.raw("""
                SELECT l.at, l.kind, l.amount,
                  (SELECT s.kind FROM ledger s WHERE s.reservation = l.reservation AND s.kind <> 'reserve') AS settled
                FROM ledger l WHERE l.team_id = \(bind: teamID) AND l.kind IN ('grant', 'renewal', 'reserve')
                ORDER BY l.id DESC LIMIT \(bind: limit * 2)
                """).all().compactMap { row -> LedgerEntry? in
                var kind = try row.decode(column: "kind", as: String.self)
                if kind == "reserve" {
                    switch try row.decode(column: "settled", as: String?.self) {
                    case "release": return nil
                    case "charge": kind = "charge"
                    default: kind = "reserved"
                    }
                }
                return LedgerEntry(at: Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "at", as: Int64.self))), kind: kind,
                                   amount: Credits(hundredths: try row.decode(column: "amount", as: Int64.self)))
            }.prefix(limit).map { $0 }
        }
    }
}

/// The web tables, created at start-up beside the account store's own (same portable SQL rules).
enum WebMigrations {
    static let statements = [
        """
        CREATE TABLE IF NOT EXISTS users (
            id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL,
            personal_team_id TEXT NOT NULL REFERENCES teams(id), created_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS web_sessions (
            token_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), csrf TEXT NOT NULL,
            created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS web_sessions_expiry ON web_sessions (expires_at)",
        """
        CREATE TABLE IF NOT EXISTS invites (
            token_hash TEXT PRIMARY KEY, team_id TEXT NOT NULL REFERENCES teams(id), role TEXT NOT NULL,
            created_by TEXT NOT NULL REFERENCES users(id), created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT)
        """,
    ]

    static func run(on engine: any SQLEngine) async throws {
        let lock = engine.migrationLock
        try await engine.transaction { db in
            if let lock { try await db.raw(SQLQueryString(lock)).run() }
            for statement in statements { try await db.raw(SQLQueryString(statement)).run() }
        }
    }
}
