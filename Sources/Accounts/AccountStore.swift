import Foundation
import SQLKit
import Synchronization

/// Teams, keys, the credits ledger and usage, over SQLite or PostgreSQL. The ledger is append-only: the
/// balance is the sum of its rows (grants and renewals add, a reservation subtracts, a release gives a
/// reservation back, a charge makes it final). Every operation is one transaction; a reservation locks its
/// team's row first, so concurrent requests — from one process or several — never spend the same credit twice.
public struct AccountStore: Sendable {
    public let engine: any SQLEngine

    public init(engine: any SQLEngine) async throws {
        self.engine = engine
        try await Migrations.run(on: engine)
    }

    public static func open(_ location: DatabaseLocation) async throws -> AccountStore {
        try await AccountStore(engine: location.open())
    }

    public func shutdown() async { await engine.shutdown() }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }
    static func id() -> String { UUID().uuidString.lowercased() }
    /// Ledger and usage ids sort in the order rows were written (nanoseconds first), so the ledger reads as a history.
    static func sequentialID() -> String {
        let count = writes.withLock { value -> UInt64 in value &+= 1; return value }
        return String(format: "%019llu-%09llu-", UInt64(Date().timeIntervalSince1970 * 1e9), count % 1_000_000_000) + id().prefix(8)
    }
    static let writes = Mutex<UInt64>(0)

    // MARK: Teams

    @discardableResult
    public func createTeam(name: String, plan: Plan, initialCredits: Credits? = nil, owner: String? = nil) async throws -> Team {
        guard Plan.validName(name) else {
            throw AccountError.invalid("team names are 1–40 letters, digits, '-' or '_'")
        }
        if let credits = initialCredits, credits.hundredths < 0 { throw AccountError.invalid("credits cannot be negative") }
        if let owner, !Self.plausibleEmail(owner) { throw AccountError.invalid("'\(owner)' is not an email address") }
        let team = Team(id: Self.id(), name: name, plan: plan, periodStart: Self.periodStart(containing: Date()))
        let grant = initialCredits ?? plan.monthlyAllowance
        return try await engine.transaction { db in
            if try await db.raw("SELECT id FROM teams WHERE name = \(bind: name)").first() != nil {
                throw AccountError.teamExists(name)
            }
            let now = Self.now()
            try await db.raw("""
                INSERT INTO teams (id, name, plan, allowance, period_start, created_at) VALUES
                (\(bind: team.id), \(bind: name), \(bind: plan.name), \(bind: plan.monthlyAllowance.hundredths),
                 \(bind: Int64(team.periodStart.timeIntervalSince1970)), \(bind: now))
                """).run()
            try await Self.append(db, team: team.id, kind: "grant", amount: grant.hundredths, reservation: nil)
            if let owner {
                try await db.raw("INSERT INTO members (team_id, email, role) VALUES (\(bind: team.id), \(bind: owner), 'owner')").run()
            }
            return team
        }
    }

    public func team(named name: String) async throws -> Team {
        try await engine.transaction { db in try await Self.team(db, where: "name", name) }
    }

    public func teams() async throws -> [Team] {
        try await engine.transaction { db in
            try await db.raw("SELECT id, name, plan, allowance, period_start FROM teams ORDER BY name").all().map(Self.team(from:))
        }
    }

    public func addMember(team name: String, email: String, role: String) async throws {
        guard Self.plausibleEmail(email), role == "owner" || role == "member" else {
            throw AccountError.invalid("a member needs an email address and the role owner or member")
        }
        try await engine.transaction { db in
            let team = try await Self.team(db, where: "name", name)
            try await db.raw("INSERT INTO members (team_id, email, role) VALUES (\(bind: team.id), \(bind: email), \(bind: role))").run()
        }
    }

    // MARK: Keys

    /// Creates a key and returns it in clear: the only time it is ever shown.
    public func createKey(team name: String, label: String) async throws -> (key: String, record: APIKeyRecord) {
        guard label.count <= 100 else { throw AccountError.invalid("labels are at most 100 characters") }
        let key = KeyGenerator.newKey()
        return try await engine.transaction { db in
            let team = try await Self.team(db, where: "name", name)
            let record = APIKeyRecord(id: Self.id(), teamID: team.id, label: label, hint: String(key.suffix(4)),
                                      createdAt: Date(timeIntervalSince1970: TimeInterval(Self.now())))
            try await db.raw("""
                INSERT INTO api_keys (id, team_id, label, hash, hint, created_at) VALUES
                (\(bind: record.id), \(bind: team.id), \(bind: label), \(bind: KeyGenerator.hash(key)), \(bind: record.hint),
                 \(bind: Int64(record.createdAt.timeIntervalSince1970)))
                """).run()
            return (key, record)
        }
    }

    public func keys(team name: String) async throws -> [APIKeyRecord] {
        try await engine.transaction { db in
            let team = try await Self.team(db, where: "name", name)
            return try await db.raw("""
                SELECT id, team_id, label, hint, created_at, last_used_at, revoked_at FROM api_keys
                WHERE team_id = \(bind: team.id) ORDER BY created_at, id
                """).all().map { row in
                    APIKeyRecord(id: try row.decode(column: "id", as: String.self), teamID: team.id,
                                 label: try row.decode(column: "label", as: String.self),
                                 hint: try row.decode(column: "hint", as: String.self),
                                 createdAt: Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "created_at", as: Int64.self))),
                                 lastUsedAt: try row.decode(column: "last_used_at", as: Int64?.self).map { Date(timeIntervalSince1970: TimeInterval($0)) },
                                 revokedAt: try row.decode(column: "revoked_at", as: Int64?.self).map { Date(timeIntervalSince1970: TimeInterval($0)) })
                }
        }
    }

    public func revokeKey(id: String) async throws {
        try await engine.transaction { db in
            guard try await db.raw("SELECT id FROM api_keys WHERE id = \(bind: id)").first() != nil else {
                throw AccountError.unknownKey(id)
            }
            try await db.raw("UPDATE api_keys SET revoked_at = \(bind: Self.now()) WHERE id = \(bind: id) AND revoked_at IS NULL").run()
        }
    }

    /// The caller behind a presented key, or nil when the key is unknown or revoked. Malformed keys never
    /// reach the database.
    public func authenticate(_ presented: String) async throws -> Caller? {
        guard let (key, sandbox) = KeyGenerator.parse(presented) else { return nil }
        let hash = KeyGenerator.hash(key)
        // Read-only: an unknown key costs a lookup, never a write.
        let found = try await engine.read { db -> (Caller, lastUsed: Int64?)? in
            guard let row = try await db.raw("SELECT id, team_id, last_used_at FROM api_keys WHERE hash = \(bind: hash) AND revoked_at IS NULL").first() else {
                return nil
            }
            let keyID = try row.decode(column: "id", as: String.self)
            let team = try await Self.team(db, where: "id", try row.decode(column: "team_id", as: String.self))
            return (Caller(team: team, keyID: keyID, sandbox: sandbox), try row.decode(column: "last_used_at", as: Int64?.self))
        }
        guard let (caller, lastUsed) = found else { return nil }
        // "Last used" to the minute: a busy key writes once a minute, not once a request.
        let now = Self.now()
        if lastUsed.map({ now - $0 >= Self.lastUsedResolution }) ?? true {
            try await engine.transaction { db in
                try await db.raw("UPDATE api_keys SET last_used_at = \(bind: now) WHERE id = \(bind: caller.keyID)").run()
            }
        }
        return caller
    }

    static let lastUsedResolution: Int64 = 60

    // MARK: Credits

    public func grant(team name: String, _ credits: Credits) async throws {
        guard credits.hundredths > 0 else { throw AccountError.invalid("a grant must be a positive number of credits") }
        try await engine.transaction { db in
            let team = try await Self.team(db, where: "name", name)
            try await Self.append(db, team: team.id, kind: "grant", amount: credits.hundredths, reservation: nil)
        }
    }

    /// Available credits (after renewing the allowance if a new billing period has started).
    public func balance(teamID: String) async throws -> Credits {
        let lock = engine.lockClause
        return try await engine.transaction { db in
            try await Self.renewIfDue(db, teamID: teamID, lock: lock)
            return try await Self.balance(db, teamID: teamID)
        }
    }

    /// Sets `cost` aside for one request. Throws `insufficientCredits` when the balance is short.
    /// `lifetime`: how long the request that reserves may take in all; past it a reaper may release the
    /// reservation. Without one, reapers go by the reservation's age.
    public func reserve(teamID: String, cost: Credits, lifetime: TimeInterval? = nil) async throws -> String {
        let lock = engine.lockClause
        return try await engine.transaction { db in
            try await Self.renewIfDue(db, teamID: teamID, lock: lock)
            try await Self.checkpointIfDue(db, teamID: teamID)
            let available = try await Self.balance(db, teamID: teamID)
            guard available >= cost else { throw AccountError.insufficientCredits(available: available, needed: cost) }
            let reservation = Self.id()
            try await Self.append(db, team: teamID, kind: "reserve", amount: -cost.hundredths, reservation: reservation)
            if let lifetime {
                try await db.raw("""
                    INSERT INTO reservation_deadlines (reservation, expires_at) VALUES (\(bind: reservation), \(bind: Self.now() + Int64(lifetime.rounded(.up))))
                    """).run()
            }
            return reservation
        }
    }

    /// The outcome of settling a reservation: whether this call settled it (false when something else —
    /// a reaper, another node — got there first), and the balance after.
    public struct Settlement: Sendable, Equatable {
        public var settled: Bool
        public var balance: Credits
    }

    /// The request succeeded: the reservation becomes a charge.
    @discardableResult
    public func charge(teamID: String, reservation: String) async throws -> Settlement {
        try await settle(teamID: teamID, reservation: reservation, kind: "charge")
    }

    /// The request failed: the reserved credits go back.
    @discardableResult
    public func release(teamID: String, reservation: String) async throws -> Settlement {
        try await settle(teamID: teamID, reservation: reservation, kind: "release")
    }

    private func settle(teamID: String, reservation: String, kind: String) async throws -> Settlement {
        try await engine.transaction { db in
            guard let reserved = try await Self.openReservation(db, reservation) else {
                return Settlement(settled: false, balance: try await Self.balance(db, teamID: teamID))
            }
            let settled = try await Self.appendSettlement(db, team: teamID, kind: kind, amount: kind == "release" ? reserved : 0,
                                                          reservation: reservation)
            return Settlement(settled: settled, balance: try await Self.balance(db, teamID: teamID))
        }
    }

    /// Appends the one row that settles `reservation`, unless one exists: the unique index decides, so this is
    /// safe against every concurrent settler. Returns whether this row is the one that counts.
    static func appendSettlement(_ db: any SQLDatabase, team: String, kind: String, amount: Int64, reservation: String) async throws -> Bool {
        let id = sequentialID()
        try await db.raw("""
            INSERT INTO ledger (id, team_id, kind, amount, reservation, at) VALUES
            (\(bind: id), \(bind: team), \(bind: kind), \(bind: amount), \(bind: reservation), \(bind: now()))
            ON CONFLICT (reservation) WHERE kind <> 'reserve' DO NOTHING
            """).run()
        let winner = try await db.raw("SELECT id FROM ledger WHERE reservation = \(bind: reservation) AND kind <> 'reserve'").first()
        return try winner?.decode(column: "id", as: String.self) == id
    }

    /// Gives back reservations that were never charged nor released (their process died), of one team or of
    /// all: those past their own deadline, and those without one that are older than `age`.
    @discardableResult
    public func releaseStaleReservations(olderThan age: TimeInterval, teamID: String? = nil) async throws -> Int {
        let now = Self.now(), cutoff = Self.now() - Int64(age)
        return try await engine.transaction { db in
            var query = SQLQueryString("""
                SELECT r.reservation, r.team_id, r.amount FROM ledger r
                LEFT JOIN reservation_deadlines d ON d.reservation = r.reservation
                WHERE r.kind = 'reserve'
                AND ((d.expires_at IS NULL AND r.at < \(bind: cutoff)) OR d.expires_at < \(bind: now))
                AND NOT EXISTS (SELECT 1 FROM ledger s WHERE s.reservation = r.reservation AND s.kind <> 'reserve')
                """)
            if let teamID { query.appendInterpolation(unsafeRaw: " AND r.team_id = "); query.appendInterpolation(bind: teamID) }
            let rows = try await db.raw(query).all()
            var released = 0
            for row in rows where try await Self.appendSettlement(db, team: try row.decode(column: "team_id", as: String.self), kind: "release",
                                                                  amount: -(try row.decode(column: "amount", as: Int64.self)),
                                                                  reservation: try row.decode(column: "reservation", as: String.self)) {
                released += 1
            }
            return released
        }
    }

    /// Sum of every ledger row of the team, reservations included (what an audit adds up).
    public func ledgerSum(teamID: String) async throws -> Credits {
        try await engine.transaction { db in try await Self.fullSum(db, teamID: teamID) }
    }

    public func ledgerRows(teamID: String) async throws -> [(kind: String, amount: Credits)] {
        try await engine.transaction { db in
            try await db.raw("SELECT kind, amount FROM ledger WHERE team_id = \(bind: teamID) ORDER BY id").all().map {
                (try $0.decode(column: "kind", as: String.self), Credits(hundredths: try $0.decode(column: "amount", as: Int64.self)))
            }
        }
    }

    // MARK: Usage

    public func recordRefusal(_ refusal: Refusal) async throws {
        try await engine.transaction { db in
            try await db.raw("""
                INSERT INTO refusals (id, at, route, status, reason, client, team_id, key_id) VALUES
                (\(bind: Self.sequentialID()), \(bind: Int64(refusal.at.timeIntervalSince1970)), \(bind: refusal.route),
                 \(bind: refusal.status), \(bind: refusal.reason), \(bind: refusal.client), \(bind: refusal.teamID), \(bind: refusal.keyID))
                """).run()
        }
    }

    /// Refusals since `date`, oldest first.
    public func refusals(since date: Date) async throws -> [Refusal] {
        try await engine.read { db in
            try await db.raw("""
                SELECT at, route, status, reason, client, team_id, key_id FROM refusals
                WHERE at >= \(bind: Int64(date.timeIntervalSince1970)) ORDER BY id
                """).all().map { row in
                Refusal(at: Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "at", as: Int64.self))),
                        route: try row.decode(column: "route", as: String.self), status: try row.decode(column: "status", as: Int.self),
                        reason: try row.decode(column: "reason", as: String.self), client: try row.decode(column: "client", as: String.self),
                        teamID: try row.decode(column: "team_id", as: String?.self), keyID: try row.decode(column: "key_id", as: String?.self))
            }
        }
    }

    /// Takes one sandbox call out of the team's quotas, atomically: finished calls and calls in flight are
    /// counted under the team's lock, and a claim is written only while both quotas have room. Returns the
    /// claim, or which limit is full. Claims older than `claimLifetime` (a dead process's) stop counting.
    public enum SandboxClaim: Sendable, Equatable { case claimed(String), dailyFull, monthlyFull }

    public func claimSandboxCall(teamID: String, daily: Int, monthly: Int, dayStart: Date, monthStart: Date,
                                 claimLifetime: TimeInterval = 600) async throws -> SandboxClaim {
        let lock = engine.lockClause
        return try await engine.transaction { db in
            _ = try await Self.team(db, where: "id", teamID, lock: lock)
            func count(since date: Date) async throws -> Int {
                let since = Int64(date.timeIntervalSince1970), fresh = Self.now() - Int64(claimLifetime)
                let row = try await db.raw("""
                    SELECT (SELECT CAST(COUNT(*) AS BIGINT) FROM usage WHERE team_id = \(bind: teamID) AND sandbox = 1 AND at >= \(bind: since))
                         + (SELECT CAST(COUNT(*) AS BIGINT) FROM sandbox_claims WHERE team_id = \(bind: teamID) AND at >= \(bind: since) AND at >= \(bind: fresh)) AS n
                    """).first()
                return Int(try row?.decode(column: "n", as: Int64.self) ?? 0)
            }
            if try await count(since: dayStart) >= daily { return .dailyFull }
            if try await count(since: monthStart) >= monthly { return .monthlyFull }
            let id = Self.sequentialID()
            try await db.raw("INSERT INTO sandbox_claims (id, team_id, at) VALUES (\(bind: id), \(bind: teamID), \(bind: Self.now()))").run()
            return .claimed(id)
        }
    }

    /// Writes the usage row of a call and, for a sandbox call, drops its claim in the same transaction.
    public func recordUsage(teamID: String, _ record: UsageRecord, sandboxClaim: String? = nil) async throws {
        try await engine.transaction { db in
            if let sandboxClaim { try await db.raw("DELETE FROM sandbox_claims WHERE id = \(bind: sandboxClaim)").run() }
            try await db.raw("""
                INSERT INTO usage (id, team_id, key_id, route, status, credits, sandbox, duration_ms, bytes_in, bytes_out, at) VALUES
                (\(bind: Self.sequentialID()), \(bind: teamID), \(bind: record.keyID), \(bind: record.route), \(bind: record.status),
                 \(bind: record.credits.hundredths), \(bind: record.sandbox ? 1 : 0), \(bind: record.durationMilliseconds),
                 \(bind: record.bytesIn), \(bind: record.bytesOut), \(bind: Int64(record.at.timeIntervalSince1970)))
                """).run()
        }
    }

    public func usage(team name: String, since: Date = .distantPast) async throws -> [UsageRecord] {
        try await engine.transaction { db in
            let team = try await Self.team(db, where: "name", name)
            return try await db.raw("""
                SELECT key_id, route, status, credits, sandbox, duration_ms, bytes_in, bytes_out, at FROM usage
                WHERE team_id = \(bind: team.id) AND at >= \(bind: Int64(max(since.timeIntervalSince1970, 0))) ORDER BY id
                """).all().map { row in
                    UsageRecord(at: Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "at", as: Int64.self))),
                                keyID: try row.decode(column: "key_id", as: String.self), route: try row.decode(column: "route", as: String.self),
                                status: try row.decode(column: "status", as: Int.self),
                                credits: Credits(hundredths: try row.decode(column: "credits", as: Int64.self)),
                                sandbox: try row.decode(column: "sandbox", as: Int.self) != 0,
                                durationMilliseconds: try row.decode(column: "duration_ms", as: Int64.self),
                                bytesIn: try row.decode(column: "bytes_in", as: Int64.self), bytesOut: try row.decode(column: "bytes_out", as: Int64.self))
                }
        }
    }

    /// Sandbox calls of the team since `date`.
    public func sandboxCalls(teamID: String, since date: Date) async throws -> Int {
        try await engine.transaction { db in
            let row = try await db.raw("""
                SELECT CAST(COUNT(*) AS BIGINT) AS n FROM usage
                WHERE team_id = \(bind: teamID) AND sandbox = 1 AND at >= \(bind: Int64(date.timeIntervalSince1970))
                """).first()
            return Int(try row?.decode(column: "n", as: Int64.self) ?? 0)
        }
    }

    // MARK: Helpers (inside a transaction)

    static func append(_ db: any SQLDatabase, team: String, kind: String, amount: Int64, reservation: String?) async throws {
        try await db.raw("""
            INSERT INTO ledger (id, team_id, kind, amount, reservation, at) VALUES
            (\(bind: sequentialID()), \(bind: team), \(bind: kind), \(bind: amount), \(bind: reservation), \(bind: now()))
            """).run()
    }

    /// The balance: the latest checkpoint plus the rows since it, so a team with a long history still reads a
    /// handful of rows.
    static func balance(_ db: any SQLDatabase, teamID: String) async throws -> Credits {
        let checkpoint = try await latestCheckpoint(db, teamID: teamID)
        return Credits(hundredths: (checkpoint?.balance ?? 0) + (try await sum(db, teamID: teamID, from: checkpoint?.coveredBefore ?? Int64.min)))
    }

    /// Every row added up, checkpoints ignored: what an audit compares the balance with.
    static func fullSum(_ db: any SQLDatabase, teamID: String) async throws -> Credits {
        Credits(hundredths: try await sum(db, teamID: teamID, from: Int64.min))
    }

    static func sum(_ db: any SQLDatabase, teamID: String, from: Int64, to: Int64 = Int64.max) async throws -> Int64 {
        let row = try await db.raw("""
            SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS total FROM ledger
            WHERE team_id = \(bind: teamID) AND at >= \(bind: from) AND at < \(bind: to)
            """).first()
        return try row?.decode(column: "total", as: Int64.self) ?? 0
    }

    static func latestCheckpoint(_ db: any SQLDatabase, teamID: String) async throws -> (coveredBefore: Int64, balance: Int64)? {
        guard let row = try await db.raw("""
            SELECT covered_before, balance FROM ledger_checkpoints WHERE team_id = \(bind: teamID) ORDER BY covered_before DESC LIMIT 1
            """).first() else { return nil }
        return (try row.decode(column: "covered_before", as: Int64.self), try row.decode(column: "balance", as: Int64.self))
    }

    /// Rows are folded into a checkpoint only once they are this old: far longer than any transaction, and
    /// than any clock difference between nodes, so no row can still arrive behind a checkpoint.
    static let checkpointMargin: Int64 = 600
    /// A new checkpoint at most this often per team.
    static let checkpointInterval: Int64 = 3600

    /// Writes a new checkpoint when the latest is older than `checkpointInterval` (call with the team locked).
    static func checkpointIfDue(_ db: any SQLDatabase, teamID: String) async throws {
        let now = now()
        let latest = try await latestCheckpoint(db, teamID: teamID)
        let coveredBefore = now - checkpointMargin
        if let latest, coveredBefore - latest.coveredBefore < checkpointInterval { return }
        let balance = (latest?.balance ?? 0) + (try await sum(db, teamID: teamID, from: latest?.coveredBefore ?? Int64.min, to: coveredBefore))
        try await db.raw("""
            INSERT INTO ledger_checkpoints (team_id, covered_before, balance, at) VALUES
            (\(bind: teamID), \(bind: coveredBefore), \(bind: balance), \(bind: now)) ON CONFLICT DO NOTHING
            """).run()
    }

    /// The amount of a reservation that is still open (neither charged nor released), or nil.
    static func openReservation(_ db: any SQLDatabase, _ reservation: String) async throws -> Int64? {
        let rows = try await db.raw("SELECT kind, amount FROM ledger WHERE reservation = \(bind: reservation)").all()
        guard rows.count == 1, try rows[0].decode(column: "kind", as: String.self) == "reserve" else { return nil }
        return -(try rows[0].decode(column: "amount", as: Int64.self))
    }

    static func team(_ db: any SQLDatabase, where column: String, _ value: String, lock: String = "") async throws -> Team {
        let query = column == "id"
            ? SQLQueryString("SELECT id, name, plan, allowance, period_start FROM teams WHERE id = \(bind: value)\(unsafeRaw: lock)")
            : SQLQueryString("SELECT id, name, plan, allowance, period_start FROM teams WHERE name = \(bind: value)\(unsafeRaw: lock)")
        guard let row = try await db.raw(query).first() else { throw AccountError.unknownTeam(value) }
        return try team(from: row)
    }

    static func team(from row: any SQLRow) throws -> Team {
        Team(id: try row.decode(column: "id", as: String.self), name: try row.decode(column: "name", as: String.self),
             plan: Plan(name: try row.decode(column: "plan", as: String.self),
                        monthlyAllowance: Credits(hundredths: try row.decode(column: "allowance", as: Int64.self))),
             periodStart: Date(timeIntervalSince1970: TimeInterval(try row.decode(column: "period_start", as: Int64.self))))
    }

    /// Locks the team row and, when one or more billing periods (calendar months, UTC) have begun since the
    /// last, appends a renewal of the monthly allowance.
    static func renewIfDue(_ db: any SQLDatabase, teamID: String, lock: String) async throws {
        let team = try await team(db, where: "id", teamID, lock: lock)
        let current = periodStart(containing: Date())
        guard current > team.periodStart else { return }
        try await append(db, team: teamID, kind: "renewal", amount: team.plan.monthlyAllowance.hundredths, reservation: nil)
        try await db.raw("UPDATE teams SET period_start = \(bind: Int64(current.timeIntervalSince1970)) WHERE id = \(bind: teamID)").run()
    }

    static func periodStart(containing date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: calendar.dateComponents([.year, .month], from: date))!
    }

    static func plausibleEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@")
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && text.count <= 254
    }
}
