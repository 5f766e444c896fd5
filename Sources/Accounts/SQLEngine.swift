import Foundation
import Logging
import NIOCore
import NIOPosix
@preconcurrency import PostgresKit
import SQLiteKit
import SQLKit

/// The two real databases behind the store: SQLite (embedded default, one file, WAL) and PostgreSQL
/// (several Darkroom nodes sharing one database). Every store operation runs as one transaction.
public protocol SQLEngine: Sendable {
    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// Runs `body` in a transaction that only reads: it takes no write lock, so a flood of reads (unknown keys,
    /// say) never holds up the writers.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T
    /// SQL appended to a `SELECT` that must lock the rows it reads until the transaction ends.
    var lockClause: String { get }
    /// A statement that serialises schema migrations between processes starting at once, if the engine needs one.
    var migrationLock: String? { get }
    func shutdown() async
}

/// Where the store lives: `postgres://…` / `postgresql://…` URLs select PostgreSQL, anything else is a SQLite path.
public enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    public init(url: String?, dataDirectory: String) {
        if let url, url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            self = .postgres(url: url)
        } else {
            self = .sqlite(path: url.flatMap { $0.isEmpty ? nil : $0 } ?? "\(dataDirectory)/darkroom.sqlite")
        }
    }

    public func open() async throws -> any SQLEngine {
        switch self {
        case .sqlite(let path): return try await SQLiteEngine.open(path: path)
        case .postgres(let url): return try PostgresEngine(url: url)
        }
    }
}

/// One SQLite connection; transactions take turns (an actor alone would not do: it is re-entered at every
/// `await`), and `BEGIN IMMEDIATE` takes the write lock at once, so a transaction never fails half-way.
public final class SQLiteEngine: SQLEngine {
    let connection: SQLiteConnection
    let turn = AsyncLock()
    public let lockClause = ""
    public let migrationLock: String? = nil

    init(connection: SQLiteConnection) { self.connection = connection }

    public static func open(path: String) async throws -> SQLiteEngine {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: Logger(label: "darkroom.sqlite"))
        let db = connection.sql()
        try await db.raw("PRAGMA journal_mode=WAL").run()
        try await db.raw("PRAGMA busy_timeout=5000").run()
        try await db.raw("PRAGMA foreign_keys=ON").run()
        return SQLiteEngine(connection: connection)
    }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        await turn.acquire()
        defer { Task { await turn.release() } }
        return try await inTransaction(connection.sql(), begin: "BEGIN IMMEDIATE", body)
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        await turn.acquire()
        defer { Task { await turn.release() } }
        // Deferred: SQLite takes only a shared read lock for SELECTs, never the database's one write lock.
        return try await inTransaction(connection.sql(), begin: "BEGIN DEFERRED", body)
    }

    public func shutdown() async { try? await connection.close() }
}

/// A pool of PostgreSQL connections; each transaction holds one connection from `BEGIN` to `COMMIT`.
// The pool is internally locked (AsyncKit predates Sendable annotations).
public final class PostgresEngine: SQLEngine, @unchecked Sendable {
    let pool: EventLoopGroupConnectionPool<PostgresConnectionSource>
    public let lockClause = " FOR UPDATE"
    public let migrationLock: String? = "SELECT pg_advisory_xact_lock(74311)"

    public init(url: String) throws {
        let configuration = try SQLPostgresConfiguration(url: url)
        // Waiting for a connection is queueing, not failure: under a burst every request takes the team's row
        // lock in turn, and AsyncKit's 10 s default failed reservations (and left charges unsettled) on a
        // loaded 2-core machine while credits remained.
        pool = EventLoopGroupConnectionPool(source: PostgresConnectionSource(sqlConfiguration: configuration),
                                            maxConnectionsPerEventLoop: 4, requestTimeout: .seconds(120),
                                            logger: Logger(label: "darkroom.postgres"), on: MultiThreadedEventLoopGroup.singleton)
    }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await pool.withConnection { connection in
            let promise = connection.eventLoop.makePromise(of: T.self)
            promise.completeWithTask { try await inTransaction(connection.sql(), begin: "BEGIN", body) }
            return promise.futureResult
        }.get()
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await pool.withConnection { connection in
            let promise = connection.eventLoop.makePromise(of: T.self)
            promise.completeWithTask { try await inTransaction(connection.sql(), begin: "BEGIN READ ONLY", body) }
            return promise.futureResult
        }.get()
    }

    public func shutdown() async { try? await pool.shutdownAsync() }
}

/// `body` between `begin` and COMMIT on one connection, rolled back if it throws.
func inTransaction<T: Sendable>(_ db: any SQLDatabase, begin: String, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
    try await db.raw(SQLQueryString(begin)).run()
    do {
        let result = try await body(db)
        try await db.raw("COMMIT").run()
        return result
    } catch {
        try? await db.raw("ROLLBACK").run()
        throw error
    }
}

/// A first-come, first-served async mutex.
actor AsyncLock {
    private var held = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !held { held = true; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { held = false } else { waiting.removeFirst().resume() }
    }
}
