import Foundation
import Imaging
import Testing
import TestSupport

/// Large uploads against a real `darkroom serve`, over raw loopback sockets so the test sees exactly which
/// bodies the server asked for.
@Suite(.serialized) struct UploadPressureTests {
    typealias Node = MultiNodeTests.Node

    static func connect(port: Int, timeout seconds: Int) throws -> Int32 {
        try LoopbackSocket.connect(port: port, timeout: seconds)
    }

    /// Sends all of `bytes`, or returns false when the server closed the connection first.
    static func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let sent = Foundation.send(fd, raw.baseAddress! + offset, min(1 << 20, raw.count - offset), Int32(MSG_NOSIGNAL))
                if sent <= 0 { return false }
                offset += sent
            }
            return true
        }
    }

    /// The status code of whatever the server has answered on `fd` so far (waiting up to the socket's
    /// timeout, or not at all with `wait: false`); nil when nothing came.
    static func status(_ fd: Int32, wait: Bool) -> Int? {
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = recv(fd, &buffer, buffer.count, wait ? 0 : Int32(MSG_DONTWAIT))
        guard count >= 12 else { return nil }
        return Int(String(decoding: buffer[9..<12], as: UTF8.self))
    }

    /// A `megabytes` MB upload that is a valid PNG: a small photo followed by random bytes after its IEND chunk,
    /// which decoders never read. The upload path (reading, limits, admission) carries all 20 MB; the pipeline
    /// decodes a small image, so the test measures the first and stays quick in a debug build.
    static func paddedPNG(megabytes: Int) throws -> [UInt8] {
        let photo = try Image.thumbnail(try Fixtures.bytes(Fixtures.samples.appendingPathComponent("skimage_coffee.png")), width: 160, height: 120)
            .encoded(as: .png())
        var padding = [UInt8](repeating: 0, count: megabytes * 1_000_000 - photo.count)
        var generator = SystemRandomNumberGenerator()
        padding.withUnsafeMutableBytes { raw in
            let words = raw.bindMemory(to: UInt64.self)
            for i in words.indices { words[i] = generator.next() }
        }
        return photo + padding
    }

    /// #11's target: 24 concurrent 20 MB uploads against 1 worker and a queue of 8. The 9 that fit are asked
    /// for their bodies and answered 200; the other 15 are answered 429 before sending a byte of theirs; the
    /// server's peak resident memory stays under 1.5 GB.
    @Test func twentyFourConcurrent20MBUploadsKeepPeakMemoryUnder1_5GBAndTheExtraOnesAre429Unread() async throws {
        let image = try Self.paddedPNG(megabytes: 20)
        #expect(image.count == 20_000_000)
        let boundary = "pressure"
        let head = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"removeBackground\"\r\n\r\nfalse\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"outputSize\"\r\n\r\n64x64\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"imageFile\"; filename=\"noise.png\"\r\nContent-Type: image/png\r\n\r\n".utf8)
        let tail = Array("\r\n--\(boundary)--\r\n".utf8)
        let length = head.count + image.count + tail.count

        // A debug build's multipart parsing is slow (see the README), so the deadline must not be what is measured.
        let node = try Node(port: MultiNodeTests.freePort(), arguments: ["--no-accounts", "--workers", "1", "--queue-length", "8", "--request-timeout", "600"])
        defer { node.kill() }
        try await node.waitUntilHealthy()
        let start = ContinuousClock.now

        // Every client announces its 20 MB upload and waits to be asked for it.
        let request = "POST /v2/edit HTTP/1.1\r\nHost: 127.0.0.1:\(node.port)\r\nContent-Type: multipart/form-data; boundary=\(boundary)\r\nContent-Length: \(length)\r\n\r\n"
        let sockets = try (0..<24).map { _ in
            let fd = try Self.connect(port: node.port, timeout: 300)
            #expect(Self.send(fd, Array(request.utf8)))
            return fd
        }
        defer { for fd in sockets { close(fd) } }
        try await Task.sleep(for: .seconds(2))
        var refused: [Int32] = [], admitted: [Int32] = []
        for fd in sockets {
            if let status = Self.status(fd, wait: false) {
                #expect(status == 429)
                refused.append(fd)
            } else {
                admitted.append(fd)
            }
        }
        #expect(refused.count == 15 && admitted.count == 9, "\(refused.count) refused unread, \(admitted.count) waiting for their bodies")

        // The admitted ones send their bodies at once, each on a thread of its own, and get their images.
        let statuses = await withTaskGroup(of: Int?.self) { group in
            for fd in admitted {
                group.addTask {
                    await withCheckedContinuation { continuation in
                        Thread.detachNewThread {
                            let sent = Self.send(fd, head) && Self.send(fd, image) && Self.send(fd, tail)
                            continuation.resume(returning: sent ? Self.status(fd, wait: true) : nil)
                        }
                    }
                }
            }
            return await group.reduce(into: [Int?]()) { $0.append($1) }
        }
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")

        let status = try String(contentsOfFile: "/proc/\(node.process.processIdentifier)/status", encoding: .utf8)
        let peakLine = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") })
        let peak = try #require(Int(peakLine.split(separator: " ", omittingEmptySubsequences: true)[1]))
        print("upload pressure: 24 × \(image.count / 1_000_000) MB, \(refused.count) × 429 unread, \(statuses.filter { $0 == 200 }.count) × 200 in \(ContinuousClock.now - start); peak resident \(peak / 1024) MB")
        #expect(peak < 1_500_000, "peak resident \(peak) kB")
    }

    /// Past `--max-connections` the server stops accepting: a further client waits, unanswered, until a
    /// connection closes, and is then served.
    @Test func connectionsPastTheCapWaitUntilOneCloses() async throws {
        let node = try Node(port: MultiNodeTests.freePort(), arguments: ["--no-accounts", "--max-connections", "2"])
        defer { node.kill() }
        // Waits on connections of its own that it closes (URLSession would keep one open and hold a place).
        var up = false
        for _ in 0..<300 where !up {
            if let fd = try? Self.connect(port: node.port, timeout: 5) {
                up = Self.send(fd, Array("GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)) && Self.status(fd, wait: true) == 200
                close(fd)
            }
            if !up { try await Task.sleep(for: .milliseconds(100)) }
        }
        try #require(up, "the node never answered")
        try await Task.sleep(for: .milliseconds(300))
        // Two idle connections hold both places.
        let holders = try (0..<2).map { _ in try Self.connect(port: node.port, timeout: 30) }
        try await Task.sleep(for: .milliseconds(300))
        let waiting = try Self.connect(port: node.port, timeout: 30)
        defer { close(waiting) }
        #expect(Self.send(waiting, Array("GET /openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)))
        try await Task.sleep(for: .seconds(1))
        #expect(Self.status(waiting, wait: false) == nil, "answered past the cap")
        close(holders[0])
        #expect(Self.status(waiting, wait: true) == 200)
        close(holders[1])
    }
}
