import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport
@testable import Server

/// A request is admitted to the worker queue before its body is read, so the server refuses the ones it has
/// no room for without reading a byte of their uploads.
@Suite(.serialized) struct AdmissionTests {
    /// Opens a TCP connection to loopback `port` and sends `text`.
    static func connect(port: Int, sending text: String) throws -> Int32 {
        let fd = try LoopbackSocket.connect(port: port, timeout: 30)
        LoopbackSocket.send(fd, Array(text.utf8))
        return fd
    }

    static func head(port: Int, declaring length: Int) -> String {
        "POST /v1/segment HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: \(length)\r\n\r\n"
    }

    @Test func aRequestWithNoRoomIsRefusedBeforeItsBodyIsSent() async throws {
        let services = ServerFixtures.services { $0.workers = 1; $0.queueLength = 0 }
        try await ServerFixtures.app(services).test(.live) { client in
            let port = try #require(client.port)
            // The only place: a request that announces 20 MB and sends none of it.
            let holder = try Self.connect(port: port, sending: Self.head(port: port, declaring: 20_000_000))
            defer { close(holder) }
            // Wait until it holds the place (a loaded machine may take a while to read its head).
            for _ in 0..<200 where await services.pool.depth == 0 { try await Task.sleep(for: .milliseconds(50)) }
            #expect(await services.pool.depth == 1)
            // The next one gets its answer without sending a byte of its body: had the server waited for the
            // body, the client would see nothing but its own receive timeout.
            let refused = try Self.connect(port: port, sending: Self.head(port: port, declaring: 20_000_000))
            defer { close(refused) }
            var buffer = [UInt8](repeating: 0, count: 4096)
            let count = recv(refused, &buffer, buffer.count, 0)
            let answer = String(decoding: buffer.prefix(max(0, count)), as: UTF8.self)
            #expect(answer.hasPrefix("HTTP/1.1 429"), "\(answer.prefix(200))")
            #expect(answer.contains("server_busy"))
        }
    }

    @Test func placesAreCountedFromAdmissionAndGivenBackUnused() async throws {
        let pool = WorkerPool(workers: 1, queueLength: 1)
        let first = try await pool.admit(), second = try await pool.admit()
        await #expect(throws: WorkerPool.Busy.self) { try await pool.admit() }
        #expect(await pool.depth == 2)
        // A request that failed before its job gives its place back; one that ran a job had it used.
        await pool.withdraw(first)
        let third = try await pool.admit()
        _ = try await WorkerPool.$admission.withValue(second) { try await pool.run { 1 } }
        await pool.withdraw(second)
        await pool.withdraw(third)
        #expect(await pool.depth == 0)
    }
}
