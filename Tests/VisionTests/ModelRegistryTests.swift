import Foundation
import Testing
import TestSupport
@testable import Vision

@Suite struct ModelRegistryTests {
    @Test func theDefaultModelIsTheFullU2NetWithTheFastTierBesideIt() {
        let registry = ModelRegistry.shipped
        #expect(registry.defaultSegmentation.name == "u2net")
        #expect(registry.installable.map(\.name).sorted() == ["u2net", "u2netp"])
        for model in registry.segmentation { #expect(throws: Never.self) { try model.validate() } }
    }

    @Test func installedModelFilesMatchTheRegistryChecksums() throws {
        for model in ModelRegistry.shipped.installable {
            let path = Fixtures.model(model.file!)
            guard FileManager.default.fileExists(atPath: path) else {
                Issue.record("\(path) is missing: scripts/setup installs it")
                continue
            }
            #expect(try Self.sha256(of: path) == model.sha256, "\(model.name)")
        }
    }

    static func sha256(of path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(output.prefix { $0 != " " })
    }

    @Test func photoroomModelVersionsMapOntoRegistryModels() throws {
        let registry = ModelRegistry.shipped
        #expect(try registry.model(forVersion: "2024-09-26")?.name == "u2net")
        #expect(try registry.model(forVersion: "2024-09-06")?.name == "u2net")
        #expect(try registry.model(forVersion: "2023-06-01")?.name == "u2netp")
        #expect(try registry.model(forVersion: "u2netp")?.name == "u2netp")
        #expect(try registry.model(forVersion: "default") == nil)
        let error = #expect(throws: UnknownModelVersion.self) { try registry.model(forVersion: "2025-01-01") }
        #expect(error?.accepted.contains("2024-09-26") == true)
        // A descriptor-only entry (no package, not made by scripts/quantize) is not something a request can ask for.
        #expect(throws: UnknownModelVersion.self) { try registry.model(forVersion: "birefnet") }
    }
}
