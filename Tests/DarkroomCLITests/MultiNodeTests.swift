import Accounts
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TestSupport
import Imaging

/// Real `darkroom serve` processes: exact credits under concurrency across two nodes sharing PostgreSQL (and
/// one node on SQLite), recovery of reservations left by a process killed mid-request, and no charge for a
/// client that hangs up before its answer.
@Suite(.serialized) struct MultiNodeTests {
    static let binary = Fixtures.repositoryRoot.appendingPathComponent(".build/debug/darkroom").path
    static var postgresURL: String? { TestDatabases.postgresURL }

    final class Node {
        let process = Process()
        let port: Int
        init(port: Int, arguments: [String], environment extra: [String: String] = [:]) throws {
            self.port = port
            process.executableURL = URL(fileURLWithPath: MultiNodeTests.binary)
            process.arguments = ["serve", "--port", String(port)] + arguments
            var environment = ProcessInfo.processInfo.environment
            environment["DARKROOM_HOME"] = Fixtures.home
            // These nodes test accounting under load, not cut-out quality: the fast tier keeps them quick.
            environment["DARKROOM_MODEL"] = "u2netp"
            environment.merge(extra) { _, new in new }
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
        }
        func waitUntilHealthy() async throws {
            for _ in 0..<150 {
                if let (_, response) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/health")!),
                   (response as? HTTPURLResponse)?.statusCode == 200 { return }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "node on \(port) never became healthy"])
        }
        func kill() { process.interrupt(); Foundation.kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func upload(port: Int, key: String, image: [UInt8]) async throws -> Int {
        let boundary = "node-test"
        var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"image_file\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
        body.append(contentsOf: image)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/segment")!)
        request.httpMethod = "POST"
        request.setValue("multipart/form-data; boundary=\(boundary)", forHTTPHeaderField: "Content-Type")
        request.setValue(key, forHTTPHeaderField: "x-api-key")
        request.setValue("", forHTTPHeaderField: "Expect")  // no 100-continue wait: the server does not answer it
        request.timeoutInterval = 120
        let (_, response) = try await URLSession.shared.upload(for: request, from: body)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    /// N credits, 4N concurrent cut-outs spread over the nodes: exactly N succeed, the rest get 402.
    func exactCredits(location: DatabaseLocation, stateArguments: [String], nodes nodeCount: Int) async throws {
        let n = 6
        let store = try await AccountStore.open(location)
        let name = "race-\(UUID().uuidString.prefix(8).lowercased())"
        let team = try await store.createTeam(name: name, plan: .basic, initialCredits: Credits(Double(n)))
        let (key, _) = try await store.createKey(team: name, label: "race")
        let nodes = try (0..<nodeCount).map { _ in
            try Node(port: Self.freePort(), arguments: stateArguments + ["--workers", "2", "--queue-length", "100"])
        }
        defer { nodes.forEach { $0.kill() } }
        for node in nodes { try await node.waitUntilHealthy() }
        let image = try Image.solid(RGBA(200, 30, 30), width: 64, height: 64).encoded(as: .png())
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<(4 * n) {
                let port = nodes[i % nodes.count].port
                group.addTask { try await Self.upload(port: port, key: key, image: image) }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.filter { $0 == 200 }.count == n, "\(statuses)")
        #expect(statuses.filter { $0 == 402 }.count == 3 * n, "\(statuses)")
        #expect(try await store.ledgerSum(teamID: team.id) == .zero)
        await store.shutdown()
    }

    @Test(.enabled(if: postgresURL != nil, "needs the PostgreSQL that make test starts"))
    func twoNodesSharingPostgresNeverOverspend() async throws {
        let url = try #require(Self.postgresURL)
        try await exactCredits(location: .postgres(url: url), stateArguments: ["--database-url", url], nodes: 2)
    }

    @Test func oneNodeOnSQLiteNeverOverspends() async throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try await exactCredits(location: .sqlite(path: folder.appendingPathComponent("darkroom.sqlite").path),
                               stateArguments: ["--data", folder.path], nodes: 1)
    }

    /// A SQLite store in `folder` with one team of 10 credits and a key for it.
    static func sqliteTeam(in folder: URL, named name: String) async throws -> (DatabaseLocation, Team, String) {
        let location = DatabaseLocation.sqlite(path: folder.appendingPathComponent("darkroom.sqlite").path)
        let store = try await AccountStore.open(location)
        let team = try await store.createTeam(name: name, plan: .basic, initialCredits: Credits(10))
        let (key, _) = try await store.createKey(team: name, label: name)
        await store.shutdown()
        return (location, team, key)
    }

    @Test func reservationOfAKilledProcessIsReleasedOnRestart() async throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (location, team, key) = try await Self.sqliteTeam(in: folder, named: "crash")

        let arguments = ["--data", folder.path, "--request-timeout", "1"]
        let first = try Node(port: Self.freePort(), arguments: arguments)
        try await first.waitUntilHealthy()
        let big = try Fixtures.bytes(Fixtures.samples.appendingPathComponent("sam_truck.jpg"))
        let port = first.port
        let request = Task { try? await Self.upload(port: port, key: key, image: big) }
        // Kill the node while the request is being processed: its reservation is left open.
        var reserved = false
        for _ in 0..<100 where !reserved {
            try await Task.sleep(for: .milliseconds(20))
            let probe = try await AccountStore.open(location)
            reserved = try await probe.balance(teamID: team.id) == Credits(9)
            await probe.shutdown()
        }
        first.kill()
        _ = await request.value
        #expect(reserved, "the request never reserved its credit")
        let afterKill = try await AccountStore.open(location)
        #expect(try await afterKill.balance(teamID: team.id) == Credits(9))
        await afterKill.shutdown()

        // Stale after twice the request timeout; a restarted node gives it back.
        try await Task.sleep(for: .seconds(3))
        let second = try Node(port: Self.freePort(), arguments: arguments)
        defer { second.kill() }
        try await second.waitUntilHealthy()
        let recovered = try await AccountStore.open(location)
        #expect(try await recovered.balance(teamID: team.id) == Credits(10))
        #expect(try await recovered.ledgerRows(teamID: team.id).map(\.kind) == ["grant", "reserve", "release"])
        await recovered.shutdown()
    }

    @Test func aClientThatHangsUpPaysNothing() async throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (location, team, key) = try await Self.sqliteTeam(in: folder, named: "impatient")

        let node = try Node(port: Self.freePort(), arguments: ["--data", folder.path])
        defer { node.kill() }
        try await node.waitUntilHealthy()
        let big = try Fixtures.bytes(Fixtures.samples.appendingPathComponent("sam_truck.jpg"))
        // A raw client: sends the whole request, waits until its credit is reserved, then hangs up.
        let boundary = "hangup"
        var body = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"image_file\"; filename=\"t.jpg\"\r\n\r\n".utf8)
        body += big + Array("\r\n--\(boundary)--\r\n".utf8)
        let head = "POST /v1/segment HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: \(key)\r\n"
            + "Content-Type: multipart/form-data; boundary=\(boundary)\r\nContent-Length: \(body.count)\r\n\r\n"
        let fd = try LoopbackSocket.connect(port: node.port, timeout: 30)
        #expect(LoopbackSocket.send(fd, Array(head.utf8) + body) == head.utf8.count + body.count)
        var reserved = false
        for _ in 0..<200 where !reserved {
            try await Task.sleep(for: .milliseconds(20))
            let probe = try await AccountStore.open(location)
            reserved = try await probe.ledgerRows(teamID: team.id).map(\.kind).contains("reserve")
            await probe.shutdown()
        }
        close(fd)
        #expect(reserved, "the request never reserved its credit")
        var kinds: [String] = []
        for _ in 0..<100 where !kinds.contains("release") && !kinds.contains("charge") {
            try await Task.sleep(for: .milliseconds(100))
            let probe = try await AccountStore.open(location)
            kinds = try await probe.ledgerRows(teamID: team.id).map(\.kind)
            await probe.shutdown()
        }
        #expect(kinds == ["grant", "reserve", "release"])
        // The usage row is written just after the release, so wait for it rather than race it.
        var statuses: [Int] = []
        for _ in 0..<50 where statuses.isEmpty {
            let after = try await AccountStore.open(location)
            statuses = try await after.usage(team: "impatient").map(\.status)
            await after.shutdown()
            if statuses.isEmpty { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(statuses == [499])
    }
}
