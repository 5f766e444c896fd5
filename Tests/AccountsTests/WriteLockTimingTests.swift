import Foundation
import Testing
import TestSupport
@testable import Accounts

/// Asserts a time limit, so it runs with the other timing suites after the main run (`TIMING_SUITES` in the
/// Makefile): beside the parallel suites a loaded 2-core machine can delay any task by seconds.
@Suite struct WriteLockTimingTests {
    @Test func unknownKeysAreCheckedWithoutTheWriteLock() async throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("darkroom.sqlite").path
        let node = try await AccountStore.open(.sqlite(path: path)), writer = try await AccountStore.open(.sqlite(path: path))
        let team = try await node.createTeam(name: Engines.uniqueName("auth"), plan: .basic)
        let (key, _) = try await node.createKey(team: team.name, label: "k")
        _ = try await node.authenticate(key)  // last used: now, so the next check of it needs no write either
        // Another process holds SQLite's one write lock for six seconds…
        let holding = Task { try await writer.engine.transaction { _ in try await Task.sleep(for: .seconds(6)) } }
        try await Task.sleep(for: .milliseconds(500))
        // …and an unknown key is still refused at once.
        let start = ContinuousClock.now
        #expect(try await node.authenticate(KeyGenerator.newKey()) == nil)
        #expect(ContinuousClock.now - start < .seconds(4), "authentication of an unknown key waited for the write lock")
        // A known key still authenticates (it may write its "last used" minute, so its timing is not asserted).
        #expect(try await node.authenticate(key)?.team.id == team.id)
        try await holding.value
        await node.shutdown()
        await writer.shutdown()
    }
}
