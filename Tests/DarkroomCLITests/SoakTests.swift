import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Imaging
import Testing
import TestSupport

/// A real `darkroom serve` under sustained and excessive load, on loopback, with bounded request counts.
@Suite(.serialized) struct SoakTests {
    typealias Node = MultiNodeTests.Node

    /// Resident memory of a process, from /proc.
    static func residentKilobytes(_ pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = try #require(status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") })
        return try #require(Int(line.split(separator: " ", omittingEmptySubsequences: true)[1]))
    }

    static func post(port: Int, route: String, fields: [(String, String)], file: String, image: [UInt8]) async -> Int {
        let boundary = "soak"
        var body = Data()
        for (name, value) in fields { body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)) }
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file)\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n".utf8))
        body.append(contentsOf: image)
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(route)")!)
        request.httpMethod = "POST"
        request.setValue("multipart/form-data; boundary=\(boundary)", forHTTPHeaderField: "Content-Type")
        request.setValue("", forHTTPHeaderField: "Expect")
        request.timeoutInterval = 120
        guard let (_, response) = try? await URLSession.shared.upload(for: request, from: body) else { return 0 }
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    /// `count` edits, `concurrency` at a time; returns the statuses.
    static func load(port: Int, count: Int, concurrency: Int, route: String, fields: [(String, String)], file: String, image: [UInt8]) async -> [Int] {
        await withTaskGroup(of: [Int].self) { group in
            for lane in 0..<concurrency {
                group.addTask {
                    var statuses: [Int] = []
                    for _ in stride(from: lane, to: count, by: concurrency) {
                        statuses.append(await post(port: port, route: route, fields: fields, file: file, image: image))
                    }
                    return statuses
                }
            }
            return await group.reduce(into: [Int]()) { $0 += $1 }
        }
    }

    @Test func aThousandEditsGrowResidentMemoryByLessThanFivePercent() async throws {
        let node = try Node(port: MultiNodeTests.freePort(), arguments: ["--no-accounts", "--workers", "1", "--queue-length", "8"])
        defer { node.kill() }
        try await node.waitUntilHealthy()
        let image = try Image.solid(RGBA(40, 120, 200), width: 96, height: 64).encoded(as: .png())
        let edit: [(String, String)] = [("removeBackground", "false"), ("outputSize", "80x80"), ("background.color", "white")]
        // Warm-up: allocator arenas, caches and the first inference settle.
        let warm = await Self.load(port: node.port, count: 200, concurrency: 4, route: "/v2/edit", fields: edit, file: "imageFile", image: image)
        #expect(warm.allSatisfy { $0 == 200 })
        let before = try Self.residentKilobytes(node.process.processIdentifier)
        let statuses = await Self.load(port: node.port, count: 1000, concurrency: 4, route: "/v2/edit", fields: edit, file: "imageFile", image: image)
        let after = try Self.residentKilobytes(node.process.processIdentifier)
        #expect(statuses.allSatisfy { $0 == 200 }, "\(Set(statuses))")
        let growth = Double(after - before) / Double(before)
        print("soak: resident \(before) kB → \(after) kB after 1000 edits (\(String(format: "%+.1f", growth * 100)) %)")
        #expect(growth < 0.05, "resident memory \(before) kB → \(after) kB")
    }

    @Test func fourTimesCapacityGetsOnly200sAnd429sAndMemoryStaysBounded() async throws {
        // Capacity: 1 worker + 2 waiting = 3 at once; 12 clients keep it four times over.
        let node = try Node(port: MultiNodeTests.freePort(), arguments: ["--no-accounts", "--workers", "1", "--queue-length", "2"])
        defer { node.kill() }
        try await node.waitUntilHealthy()
        let photo = try Image.thumbnail(try Fixtures.bytes(Fixtures.samples.appendingPathComponent("skimage_coffee.png")), width: 160, height: 120)
            .encoded(as: .png())
        let statuses = await Self.load(port: node.port, count: 72, concurrency: 12, route: "/v1/segment", fields: [], file: "image_file", image: photo)
        let resident = try Self.residentKilobytes(node.process.processIdentifier)
        #expect(Set(statuses).isSubset(of: [200, 429]), "\(Set(statuses))")
        #expect(statuses.contains(200) && statuses.contains(429), "\(statuses)")
        print("overload: \(statuses.filter { $0 == 200 }.count) × 200, \(statuses.filter { $0 == 429 }.count) × 429, resident \(resident) kB")
        #expect(resident < 1_500_000, "resident \(resident) kB")
    }
}
