import SQLKit

/// The schema, created at start-up. Portable SQL that SQLite and PostgreSQL both accept; times are Unix
/// seconds, credits are hundredths of a credit (a preview cut-out costs 25).
enum Migrations {
    static let statements = [
        """
        CREATE TABLE IF NOT EXISTS teams (
            id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, plan TEXT NOT NULL, allowance BIGINT NOT NULL,
            period_start BIGINT NOT NULL, created_at BIGINT NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS members (
            team_id TEXT NOT NULL REFERENCES teams(id), email TEXT NOT NULL, role TEXT NOT NULL,
            PRIMARY KEY (team_id, email))
        """,
        """
        CREATE TABLE IF NOT EXISTS api_keys (
            id TEXT PRIMARY KEY, team_id TEXT NOT NULL REFERENCES teams(id), label TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE, hint TEXT NOT NULL, created_at BIGINT NOT NULL,
            last_used_at BIGINT, revoked_at BIGINT)
        """,
        """
        CREATE TABLE IF NOT EXISTS ledger (
            id TEXT PRIMARY KEY, team_id TEXT NOT NULL REFERENCES teams(id), kind TEXT NOT NULL,
            amount BIGINT NOT NULL, reservation TEXT, at BIGINT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS ledger_team ON ledger (team_id)",
        "CREATE INDEX IF NOT EXISTS ledger_reservation ON ledger (reservation)",
        // A reservation is settled (charged or released) at most once, whoever tries: the schema says so, so
        // no race between a charge and a reaper, or two reapers on two nodes, can write a second row.
        "CREATE UNIQUE INDEX IF NOT EXISTS ledger_settled_once ON ledger (reservation) WHERE kind <> 'reserve'",
        """
        CREATE TABLE IF NOT EXISTS usage (
            id TEXT PRIMARY KEY, team_id TEXT NOT NULL REFERENCES teams(id), key_id TEXT NOT NULL,
            route TEXT NOT NULL, status INTEGER NOT NULL, credits BIGINT NOT NULL, sandbox INTEGER NOT NULL,
            duration_ms BIGINT NOT NULL, bytes_in BIGINT NOT NULL, bytes_out BIGINT NOT NULL, at BIGINT NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS usage_team_at ON usage (team_id, at)",
        // Calls refused before a team is known or before any work (bad keys, rate limits, sandbox quotas):
        // the usage log's other half, so that every call leaves a row.
        """
        CREATE TABLE IF NOT EXISTS refusals (
            id TEXT PRIMARY KEY, at BIGINT NOT NULL, route TEXT NOT NULL, status INTEGER NOT NULL,
            reason TEXT NOT NULL, client TEXT NOT NULL, team_id TEXT, key_id TEXT)
        """,
        "CREATE INDEX IF NOT EXISTS refusals_at ON refusals (at)",
        // The balance of each team up to a moment, so that a balance reads only the rows after the latest one.
        // Append-only like the ledger; `darkroom`'s audit (`ledgerSum`) still adds up every row.
        """
        CREATE TABLE IF NOT EXISTS ledger_checkpoints (
            team_id TEXT NOT NULL REFERENCES teams(id), covered_before BIGINT NOT NULL, balance BIGINT NOT NULL,
            at BIGINT NOT NULL, PRIMARY KEY (team_id, covered_before))
        """,
        "CREATE INDEX IF NOT EXISTS ledger_team_at ON ledger (team_id, at)",
        // Sandbox calls in flight: counted with the finished ones, so that concurrent calls cannot overshoot
        // the quota; each is removed when its usage row is written.
        """
        CREATE TABLE IF NOT EXISTS sandbox_claims (
            id TEXT PRIMARY KEY, team_id TEXT NOT NULL REFERENCES teams(id), at BIGINT NOT NULL)
        """,
        // When a reservation may be given up for dead: its request's whole budget (downloads, queue, work)
        // from the moment it was made. Older databases' reservations without a row fall back to an age.
        """
        CREATE TABLE IF NOT EXISTS reservation_deadlines (
            reservation TEXT PRIMARY KEY, expires_at BIGINT NOT NULL)
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
