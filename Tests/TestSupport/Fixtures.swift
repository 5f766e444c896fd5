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
}
