import Accounts
import ArgumentParser
import Foundation

/// Where the state lives, for every command: `--data`/`DARKROOM_DATA` (default `data/`, holds the SQLite
/// database) or `--database-url`/`DARKROOM_DATABASE_URL` (a `postgres://` URL for several nodes).
struct StateOptions: ParsableArguments {
    @Option(help: "State folder (env DARKROOM_DATA, default data).")
    var data: String?

    @Option(help: "postgres://user@host:port/db to share state between nodes (env DARKROOM_DATABASE_URL).")
    var databaseUrl: String?

    var dataFolder: String { data ?? ProcessInfo.processInfo.environment["DARKROOM_DATA"] ?? "data" }

    var location: DatabaseLocation {
        let environment = ProcessInfo.processInfo.environment
        return DatabaseLocation(url: databaseUrl ?? environment["DARKROOM_DATABASE_URL"],
                                dataDirectory: data ?? environment["DARKROOM_DATA"] ?? "data")
    }

    func withStore<T>(_ body: (AccountStore) async throws -> T) async throws -> T {
        let store = try await AccountStore.open(location)
        do {
            let result = try await body(store)
            await store.shutdown()
            return result
        } catch let error as AccountError {
            await store.shutdown()
            throw ValidationError(error.description)
        } catch {
            await store.shutdown()
            throw error
        }
    }
}

func parseCredits(_ text: String) throws -> Credits {
    guard let value = Double(text), value.isFinite, value >= 0, value <= 1_000_000_000 else {
        throw ValidationError("credits must be a number ≥ 0, got '\(text)'")
    }
    return Credits(value)
}
