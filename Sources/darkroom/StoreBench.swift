import Accounts
import Editing
import ArgumentParser
import Foundation

/// Billed requests per second the store sustains on its own: each one is what the server does around an
/// image — authenticate the key, reserve, charge, log usage — with no image work at all.
struct StoreBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "store",
        abstract: "Billed requests/s of the accounts store alone (SQLite in a scratch folder, or --database-url).")

    @Option(help: "Billed requests to run.") var requests: Int = 2000
    @Option(help: "Requests in flight at once.") var concurrency: Int = 8
    @Option(help: "postgres://… to measure PostgreSQL instead of a scratch SQLite file.") var databaseUrl: String?

    func run() async throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let location = DatabaseLocation(url: databaseUrl, dataDirectory: scratch.path)
        let store = try await AccountStore.open(location)
        let name = "bench-\(UUID().uuidString.prefix(8).lowercased())"
        let team = try await store.createTeam(name: name, plan: .basic, initialCredits: Credits(Double(requests)))
        let (key, _) = try await store.createKey(team: name, label: "bench")
        let clock = ContinuousClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            var issued = 0
            func one() async throws {
                guard let caller = try await store.authenticate(key) else { throw ValidationError("key not found") }
                let reservation = try await store.reserve(teamID: caller.team.id, cost: Credits(1))
                try await store.charge(teamID: caller.team.id, reservation: reservation)
                try await store.recordUsage(teamID: caller.team.id, UsageRecord(keyID: caller.keyID, route: "/v1/segment", status: 200,
                    credits: Credits(1), sandbox: false, durationMilliseconds: 0, bytesIn: 0, bytesOut: 0))
            }
            while issued < min(concurrency, requests) { group.addTask { try await one() }; issued += 1 }
            while try await group.next() != nil {
                if issued < requests { group.addTask { try await one() }; issued += 1 }
            }
        }
        let elapsed = clock.now - start
        let seconds = elapsed.inSeconds
        let engine = databaseUrl == nil ? "SQLite" : "PostgreSQL"
        print(String(format: "%@: %d billed requests (authenticate + reserve + charge + usage row) at concurrency %d in %.2f s = %.0f requests/s",
                     engine, requests, concurrency, seconds, Double(requests) / seconds))
        print("balance after: \(try await store.balance(teamID: team.id)) (expected 0)")
        await store.shutdown()
    }
}
