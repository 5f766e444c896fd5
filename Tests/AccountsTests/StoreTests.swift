import Foundation
import SQLKit
import Testing
import TestSupport
@testable import Accounts

/// The store's behaviour, on both engines: SQLite in a scratch file and the PostgreSQL that `make test` starts
/// (`DARKROOM_TEST_POSTGRES_URL`).
enum Engines {
    static var postgresURL: String? { TestDatabases.postgresURL }

    static let all = TestDatabases.engines

    static func store(_ engine: String) async throws -> (AccountStore, URL?) {
        if engine == "postgres", let url = postgresURL { return (try await AccountStore.open(.postgres(url: url)), nil) }
        let folder = try Fixtures.temporaryDirectory()
        return (try await AccountStore.open(.sqlite(path: folder.appendingPathComponent("darkroom.sqlite").path)), folder)
    }

    static func with<T>(_ engine: String, _ body: (AccountStore) async throws -> T) async throws -> T {
        let (store, folder) = try await store(engine)
        do {
            let result = try await body(store)
            await store.shutdown()
            if let folder { try? FileManager.default.removeItem(at: folder) }
            return result
        } catch {
            await store.shutdown()
            if let folder { try? FileManager.default.removeItem(at: folder) }
            throw error
        }
    }

    static func uniqueName(_ base: String) -> String { "\(base)-\(UUID().uuidString.prefix(8).lowercased())" }
}

@Suite struct StoreTests {
    /// Without the variable the PostgreSQL cases of the engine-parameterised tests do not run; this test is
    /// then reported as skipped with the reason, so their absence shows.
    @Test(.enabled(if: Engines.postgresURL != nil, "DARKROOM_TEST_POSTGRES_URL is not set (make test starts a PostgreSQL and sets it): every PostgreSQL case is skipped"))
    func postgreSQLCasesAreIncluded() async throws {
        #expect(Engines.all.contains("postgres"))
        let team = try await Engines.with("postgres") { store in try await store.createTeam(name: Engines.uniqueName("pg"), plan: .basic) }
        #expect(!team.id.isEmpty)
    }

    @Test(arguments: Engines.all) func keysAreStoredHashedAndAuthenticate(engine: String) async throws {
        try await Engines.with(engine) { store in
            let name = Engines.uniqueName("acme")
            let team = try await store.createTeam(name: name, plan: .basic, owner: "owner@acme.example")
            let (key, record) = try await store.createKey(team: name, label: "ci")
            #expect(KeyGenerator.parse(key) != nil && record.hint == String(key.suffix(4)))

            let caller = try #require(try await store.authenticate(key))
            #expect(caller.team.id == team.id && !caller.sandbox && caller.keyID == record.id)
            let sandbox = try #require(try await store.authenticate("sandbox_" + key))
            #expect(sandbox.sandbox && sandbox.team.id == team.id)
            #expect(try await store.authenticate(KeyGenerator.newKey()) == nil)
            #expect(try await store.authenticate("dk_'; DROP TABLE api_keys; --") == nil)
            #expect(try await store.authenticate(String(repeating: "x", count: 10_000)) == nil)

            // The secret is nowhere in the database: only its hash.
            let stored = try await store.engine.transaction { db in
                try await db.raw("SELECT hash, hint FROM api_keys WHERE team_id = \(bind: team.id)").all().map {
                    (try $0.decode(column: "hash", as: String.self), try $0.decode(column: "hint", as: String.self))
                }
            }
            #expect(stored.count == 1 && stored[0].0 == KeyGenerator.hash(key) && !stored[0].0.contains(key))

            try await store.revokeKey(id: record.id)
            #expect(try await store.authenticate(key) == nil)
            #expect(try await store.keys(team: name).first?.revokedAt != nil)
            await #expect(throws: AccountError.self) { try await store.revokeKey(id: "nope") }
        }
    }

    @Test(arguments: Engines.all) func ledgerReservesChargesAndReleases(engine: String) async throws {
        try await Engines.with(engine) { store in
            let name = Engines.uniqueName("shop")
            let team = try await store.createTeam(name: name, plan: .basic, initialCredits: Credits(10))
            #expect(try await store.balance(teamID: team.id) == Credits(10))

            let charged = try await store.reserve(teamID: team.id, cost: Credits(5))
            #expect(try await store.balance(teamID: team.id) == Credits(5))
            #expect(try await store.charge(teamID: team.id, reservation: charged) == .init(settled: true, balance: Credits(5)))
            // Settling twice changes nothing, and says so.
            #expect(try await store.release(teamID: team.id, reservation: charged) == .init(settled: false, balance: Credits(5)))

            let released = try await store.reserve(teamID: team.id, cost: Credits(0.25))
            #expect(try await store.balance(teamID: team.id) == Credits(4.75))
            #expect(try await store.release(teamID: team.id, reservation: released) == .init(settled: true, balance: Credits(5)))

            await #expect(throws: AccountError.insufficientCredits(available: Credits(5), needed: Credits(6))) {
                try await store.reserve(teamID: team.id, cost: Credits(6))
            }
            try await store.grant(team: name, Credits(2))
            await #expect(throws: AccountError.self) { try await store.grant(team: name, Credits(-3)) }
            #expect(try await store.balance(teamID: team.id) == Credits(7))
            let kinds = try await store.ledgerRows(teamID: team.id).map(\.kind)
            #expect(kinds == ["grant", "reserve", "charge", "reserve", "release", "grant"])
        }
    }

    @Test(arguments: Engines.all) func exactlyNOfFourNConcurrentReservationsSucceed(engine: String) async throws {
        try await Engines.with(engine) { store in
            let n = 10
            let team = try await store.createTeam(name: Engines.uniqueName("race"), plan: .basic, initialCredits: Credits(Double(n)))
            let results = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<(4 * n) {
                    group.addTask {
                        guard let reservation = try? await store.reserve(teamID: team.id, cost: Credits(1)) else { return false }
                        return (try? await store.charge(teamID: team.id, reservation: reservation)) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == n)
            #expect(try await store.ledgerSum(teamID: team.id) == .zero)
        }
    }

    /// Two nodes (two stores on one database) race charges against reapers on the same reservations: each
    /// reservation ends with exactly one settling row, only the winner is told it settled, and the ledger adds up.
    @Test(arguments: Engines.all) func chargesAndReapersOnTwoNodesSettleEachReservationOnce(engine: String) async throws {
        let (nodeA, folder) = try await Engines.store(engine)
        let nodeB: AccountStore
        if let folder {
            nodeB = try await AccountStore.open(.sqlite(path: folder.appendingPathComponent("darkroom.sqlite").path))
        } else {
            nodeB = try await AccountStore.open(.postgres(url: Engines.postgresURL!))
        }
        defer { if let folder { try? FileManager.default.removeItem(at: folder) } }
        let count = 24
        let team = try await nodeA.createTeam(name: Engines.uniqueName("reap"), plan: .basic, initialCredits: Credits(Double(count)))
        var reservations: [String] = []
        for _ in 0..<count { reservations.append(try await nodeA.reserve(teamID: team.id, cost: Credits(1))) }
        // Every reservation is "stale" for a reaper told that anything older than -10 s is: all of them race.
        let charged = await withTaskGroup(of: Bool.self) { group in
            for (i, reservation) in reservations.enumerated() {
                let charger = i % 2 == 0 ? nodeA : nodeB
                group.addTask { (try? await charger.charge(teamID: team.id, reservation: reservation))?.settled ?? false }
            }
            for reaper in [nodeA, nodeB, nodeA, nodeB] {
                group.addTask { _ = try? await reaper.releaseStaleReservations(olderThan: -10, teamID: team.id); return false }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        let rows = try await nodeA.ledgerRows(teamID: team.id)
        let charges = rows.filter { $0.kind == "charge" }.count, releases = rows.filter { $0.kind == "release" }.count
        #expect(charges + releases == count, "one settling row per reservation: \(charges) charges, \(releases) releases")
        #expect(charges == charged, "\(charged) charges were told they settled, \(charges) rows say so")
        #expect(try await nodeA.balance(teamID: team.id) == Credits(Double(count - charges)))
        await nodeA.shutdown()
        await nodeB.shutdown()
    }

    @Test(arguments: Engines.all) func reservationsWithADeadlineAreReleasedByItNotByAge(engine: String) async throws {
        try await Engines.with(engine) { store in
            let team = try await store.createTeam(name: Engines.uniqueName("slow"), plan: .basic, initialCredits: Credits(5))
            // A request still downloading its images: old by age, but within its own budget.
            _ = try await store.reserve(teamID: team.id, cost: Credits(2), lifetime: 3600)
            #expect(try await store.releaseStaleReservations(olderThan: -10, teamID: team.id) == 0)
            #expect(try await store.balance(teamID: team.id) == Credits(3))
            // One whose budget ran out is released, however young. (A `darkroom serve` of another suite sharing
            // the PostgreSQL database may release it first: what counts is that it ends released.)
            _ = try await store.reserve(teamID: team.id, cost: Credits(1), lifetime: -10)
            _ = try await store.releaseStaleReservations(olderThan: 3600, teamID: team.id)
            #expect(try await store.balance(teamID: team.id) == Credits(3))
            #expect(try await store.ledgerRows(teamID: team.id).filter { $0.kind == "release" }.count == 1)
        }
    }

    @Test(arguments: Engines.all) func balanceReadsTheLatestCheckpointAndTheRowsAfterIt(engine: String) async throws {
        try await Engines.with(engine) { store in
            let team = try await store.createTeam(name: Engines.uniqueName("history"), plan: .basic)
            let base = try await store.ledgerSum(teamID: team.id).hundredths  // the plan's first allowance
            func credits(_ hundredths: Int64) -> Credits { Credits(hundredths: base + hundredths) }
            // Two hours of history: 300 grants of 1 credit.
            let old = Int64(Date().timeIntervalSince1970) - 7200
            try await store.engine.transaction { db in
                for i in 0..<300 {
                    try await db.raw("INSERT INTO ledger (id, team_id, kind, amount, reservation, at) VALUES (\(bind: "old-\(team.id)-\(i)"), \(bind: team.id), 'grant', 100, NULL, \(bind: old + Int64(i)))").run()
                }
            }
            // A reservation writes the checkpoint; the balance agrees with the full sum.
            let reservation = try await store.reserve(teamID: team.id, cost: Credits(2))
            try await store.charge(teamID: team.id, reservation: reservation)
            #expect(try await store.balance(teamID: team.id) == credits(29_800))
            #expect(try await store.ledgerSum(teamID: team.id) == credits(29_800))
            let checkpoints = try await store.engine.transaction { db in
                try await db.raw("SELECT balance FROM ledger_checkpoints WHERE team_id = \(bind: team.id)").all().map { try $0.decode(column: "balance", as: Int64.self) }
            }
            #expect(checkpoints == [300 * 100], "the checkpoint covers the old rows only; the allowance granted just now is after it")
            // The balance really starts from the checkpoint: a row slipped in behind it (which the margin keeps
            // from happening) is seen by the audit's full sum and not by the balance.
            try await store.engine.transaction { db in
                try await db.raw("INSERT INTO ledger (id, team_id, kind, amount, reservation, at) VALUES (\(bind: "behind-\(team.id)"), \(bind: team.id), 'grant', 500, NULL, \(bind: old))").run()
            }
            #expect(try await store.balance(teamID: team.id) == credits(29_800))
            #expect(try await store.ledgerSum(teamID: team.id) == credits(30_300))
        }
    }

    @Test(arguments: Engines.all) func concurrentSandboxClaimsNeverOvershootTheQuota(engine: String) async throws {
        try await Engines.with(engine) { store in
            let team = try await store.createTeam(name: Engines.uniqueName("sandbox"), plan: .basic)
            let day = Date().addingTimeInterval(-3600), month = Date().addingTimeInterval(-86_400)
            let outcomes = await withTaskGroup(of: AccountStore.SandboxClaim?.self) { group in
                for _ in 0..<12 {
                    group.addTask { try? await store.claimSandboxCall(teamID: team.id, daily: 4, monthly: 100, dayStart: day, monthStart: month) }
                }
                return await group.reduce(into: [AccountStore.SandboxClaim?]()) { $0.append($1) }
            }
            let claims = outcomes.compactMap { outcome -> String? in if case .claimed(let id)? = outcome { return id } else { return nil } }
            #expect(claims.count == 4 && outcomes.filter { $0 == .dailyFull }.count == 8)
            // A finished call turns its claim into a usage row: still counted, so the quota stays full.
            let record = UsageRecord(keyID: "k", route: "/v1/segment", status: 200, credits: .zero, sandbox: true,
                                     durationMilliseconds: 1, bytesIn: 1, bytesOut: 1)
            try await store.recordUsage(teamID: team.id, record, sandboxClaim: claims[0])
            #expect(try await store.claimSandboxCall(teamID: team.id, daily: 4, monthly: 100, dayStart: day, monthStart: month) == .dailyFull)
            #expect(try await store.claimSandboxCall(teamID: team.id, daily: 5, monthly: 4, dayStart: day, monthStart: month) == .monthlyFull)
        }
    }

    @Test(arguments: Engines.all) func staleReservationsAreReleased(engine: String) async throws {
        try await Engines.with(engine) { store in
            let team = try await store.createTeam(name: Engines.uniqueName("crash"), plan: .basic, initialCredits: Credits(3))
            _ = try await store.reserve(teamID: team.id, cost: Credits(2))
            #expect(try await store.releaseStaleReservations(olderThan: 3600, teamID: team.id) == 0)
            #expect(try await store.balance(teamID: team.id) == Credits(1))
            #expect(try await store.releaseStaleReservations(olderThan: -10, teamID: team.id) == 1)
            #expect(try await store.balance(teamID: team.id) == Credits(3))
        }
    }

    @Test(arguments: Engines.all) func allowanceRenewsAtTheNextPeriod(engine: String) async throws {
        try await Engines.with(engine) { store in
            let team = try await store.createTeam(name: Engines.uniqueName("renew"), plan: Plan(name: "basic", monthlyAllowance: Credits(50)))
            #expect(try await store.balance(teamID: team.id) == Credits(50))
            // Pretend the current period began two months ago.
            try await store.engine.transaction { db in
                try await db.raw("UPDATE teams SET period_start = period_start - \(bind: Int64(62 * 86_400)) WHERE id = \(bind: team.id)").run()
            }
            #expect(try await store.balance(teamID: team.id) == Credits(100))
            #expect(try await store.balance(teamID: team.id) == Credits(100))  // once per period
        }
    }

    @Test(arguments: Engines.all) func hostileStringsAreStoredVerbatimOrRefused(engine: String) async throws {
        try await Engines.with(engine) { store in
            await #expect(throws: AccountError.self) { try await store.createTeam(name: "x'; DROP TABLE teams; --", plan: .basic) }
            await #expect(throws: AccountError.self) { try await store.createTeam(name: "", plan: .basic) }
            let name = Engines.uniqueName("quotes")
            try await store.createTeam(name: name, plan: .basic)
            await #expect(throws: AccountError.teamExists(name)) { try await store.createTeam(name: name, plan: .basic) }
            let label = "O'Brien \"test\" ; DROP TABLE api_keys; -- 🔑"
            _ = try await store.createKey(team: name, label: label)
            #expect(try await store.keys(team: name).first?.label == label)
            await #expect(throws: AccountError.self) { try await store.createKey(team: name, label: String(repeating: "a", count: 101)) }
            await #expect(throws: AccountError.self) { try await store.addMember(team: name, email: "not-an-email", role: "owner") }
            await #expect(throws: AccountError.self) { try await store.createTeam(name: Engines.uniqueName("neg"), plan: .basic, initialCredits: Credits(-1)) }
        }
    }

    @Test(arguments: Engines.all) func usageIsLoggedAndCountsSandboxCalls(engine: String) async throws {
        try await Engines.with(engine) { store in
            let name = Engines.uniqueName("usage")
            let team = try await store.createTeam(name: name, plan: .basic)
            let now = Date()
            for (offset, sandbox) in [(-90_000.0, true), (-10.0, true), (-5.0, false)] {
                try await store.recordUsage(teamID: team.id, UsageRecord(at: now.addingTimeInterval(offset), keyID: "k", route: "/v2/edit", status: 200,
                                                                         credits: sandbox ? .zero : Credits(5), sandbox: sandbox,
                                                                         durationMilliseconds: 300, bytesIn: 1000, bytesOut: 2000))
            }
            #expect(try await store.usage(team: name).count == 3)
            #expect(try await store.usage(team: name, since: now.addingTimeInterval(-60)).count == 2)
            #expect(try await store.sandboxCalls(teamID: team.id, since: now.addingTimeInterval(-3600)) == 1)
            #expect(try await store.sandboxCalls(teamID: team.id, since: now.addingTimeInterval(-100_000)) == 2)
        }
    }
}
