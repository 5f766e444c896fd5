import Foundation

/// Paths the tests read: the repository, the models installed by scripts/setup, and the shared samples.
public enum Fixtures {
    public static let repositoryRoot: URL = {
        // Tests/TestSupport/Fixtures.swift → repository root.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()

    public static var home: String {
        if let path = ProcessInfo.processInfo.environment["DARKROOM_HOME"] { return path }
        return repositoryRoot.appendingPathComponent(".darkroom").path
    }

    public static var runtimeLibrary: String {
        ProcessInfo.processInfo.environment["DARKROOM_ORT_LIBRARY"] ?? "\(home)/lib/libonnxruntime.so.1.32.0"
    }

    public static func model(_ name: String) -> String { "\(home)/models/\(name)" }

    /// ../shared/samples beside the repository (CI lays a copy there).
    public static let samples: URL = {
        if let path = ProcessInfo.processInfo.environment["DARKROOM_SAMPLES"] { return URL(fileURLWithPath: path) }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/samples")
    }()

    public static var samplePhotos: [URL] {
        let files = (try? FileManager.default.contentsOfDirectory(at: samples, includingPropertiesForKeys: nil)) ?? []
        return files.filter { ["jpg", "png"].contains($0.pathExtension) }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    public static func peerMask(for photo: URL) -> URL {
        samples.appendingPathComponent("rembg-u2netp-masks")
            .appendingPathComponent(photo.deletingPathExtension().lastPathComponent + ".png")
    }

    public static func bytes(_ url: URL) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url))
    }

    /// A scratch directory that is removed by the caller.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("darkroom-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A PNG whose IHDR claims `width`×`height` but whose only pixel data is an empty zlib stream.
    public static func pngHeader(width: UInt32, height: UInt32) -> [UInt8] {
        func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
        let body: [UInt8] = Array("IHDR".utf8) + be(width) + be(height) + [8, 2, 0, 0, 0]
        let idat: [UInt8] = Array("IDAT".utf8) + [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + be(13) + body + be(crc32(body))
            + be(8) + idat + be(crc32(idat))
            + be(0) + Array("IEND".utf8) + be(crc32(Array("IEND".utf8)))
    }

    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

}
