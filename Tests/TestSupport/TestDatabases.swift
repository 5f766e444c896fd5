import Foundation

/// The database engines the account tests run on: SQLite always, and the PostgreSQL that `make test` starts
/// when it has set `DARKROOM_TEST_POSTGRES_URL`.
public enum TestDatabases {
    public static var postgresURL: String? { ProcessInfo.processInfo.environment["DARKROOM_TEST_POSTGRES_URL"] }

    public static var engines: [String] { ["sqlite"] + (postgresURL != nil ? ["postgres"] : []) }
}
