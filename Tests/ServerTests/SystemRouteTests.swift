import Editing
import Foundation
import Hummingbird
import HummingbirdTesting
import Imaging
import Testing
import TestSupport
@testable import Server

@Suite(.serialized) struct SystemRouteTests {
    @Test func healthReportsTheModel() async throws {
        try await ServerFixtures.app(ServerFixtures.services()).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok)
                let json = ServerFixtures.json(response)
                #expect(json["status"] as? String == "ok" && json["model"] as? String == "u2netp" && json["onnxruntime"] as? String == "1.32.0")
                // The model really ran: its inference time is reported.
                #expect((json["inference_ms"] as? String).flatMap(Int.init) != nil)
            }
        }
    }

    @Test func aStuckHealthProbeIsAbandonedAtTheTimeout() async throws {
        let start = ContinuousClock.now
        await #expect(throws: HealthProbe.TimedOut.self) {
            try await HealthProbe.abandoning(after: .milliseconds(200)) { Thread.sleep(forTimeInterval: 30); return 1 }
        }
        // Well before the stuck probe would have answered (a loaded test machine may resume the caller late).
        #expect(ContinuousClock.now - start < .seconds(15))
        // A quick probe answers with its own result.
        #expect(try await HealthProbe.abandoning(after: .seconds(10)) { 42 } == 42)
    }

    @Test func openAPIListsEveryRouteAndArgument() async throws {
        try await ServerFixtures.app(ServerFixtures.services()).test(.router) { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                let doc = ServerFixtures.json(response)
                #expect(doc["openapi"] as? String == "3.1.0")
                let paths = try #require(doc["paths"] as? [String: Any])
                #expect(Set(paths.keys) == ["/v1/segment", "/v2/edit", "/v1/account", "/v2/account", "/health", "/openapi.json", "/metrics"])
                let schemes = (doc["components"] as? [String: Any])?["securitySchemes"] as? [String: Any]
                #expect((schemes?["apiKey"] as? [String: Any])?["name"] as? String == "x-api-key")
                let edit = try #require(paths["/v2/edit"] as? [String: Any])
                let get = try #require(edit["get"] as? [String: Any])
                let queryNames = Set(((get["parameters"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String })
                let post = try #require(edit["post"] as? [String: Any])
                let form = ((((post["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["multipart/form-data"] as? [String: Any])?["schema"] as? [String: Any])?["properties"] as? [String: Any] ?? [:]
                for name in EditOptions.argumentNames {
                    #expect(form[name] != nil, "POST /v2/edit does not document \(name)")
                    if !["imageFile", "background.imageFile", "background.guidance.imageFile"].contains(name) { #expect(queryNames.contains(name), "GET /v2/edit does not document \(name)") }
                }
                let segment = try #require((paths["/v1/segment"] as? [String: Any])?["post"] as? [String: Any])
                let segmentForm = ((((segment["requestBody"] as? [String: Any])?["content"] as? [String: Any])?["multipart/form-data"] as? [String: Any])?["schema"] as? [String: Any])?["properties"] as? [String: Any] ?? [:]
                #expect(Set(segmentForm.keys) == Set(SegmentOptions.fieldNames))
            }
        }
    }

    @Test func metricsCountRequests() async throws {
        try await ServerFixtures.app(ServerFixtures.services()).test(.router) { client in
            try await client.execute(uri: "/v2/edit?outputSize=1x1", method: .get) { #expect($0.status == .badRequest) }
            try await client.execute(uri: "/no/such/path", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("darkroom_requests_total{route=\"/v2/edit\",status=\"400\"} 1"))
                #expect(!text.contains("/no/such/path"))
                #expect(text.contains("darkroom_request_seconds"))
                #expect(text.contains("darkroom_queue_depth"))
            }
        }
    }

    @Test func fullQueueAnswers429WithRetryAfter() async throws {
        let services = ServerFixtures.services { $0.workers = 1; $0.queueLength = 0 }
        let (body, headers) = ServerFixtures.multipart(files: [("image_file", try ServerFixtures.photo("sam_truck.jpg"))])
        try await ServerFixtures.app(services).test(.router) { client in
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String?).self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        try await client.execute(uri: "/v1/segment", method: .post, headers: headers, body: body) {
                            ($0.status, $0.headers[.retryAfter])
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.contains { $0.0 == .ok })
            let refused = statuses.filter { $0.0 == .tooManyRequests }
            #expect(!refused.isEmpty && refused.allSatisfy { $0.1 == "1" })
        }
    }

    /// A zero timeout expires before the first step; that the check also runs between later steps is the
    /// pipeline's loop (`Pipeline.run`), which this does not isolate.
    @Test func expiredDeadlineAnswers503Timeout() async throws {
        let services = ServerFixtures.services { $0.requestTimeout = .zero }
        let (body, headers) = ServerFixtures.multipart(files: [("image_file", try ServerFixtures.photo())])
        try await ServerFixtures.app(services).test(.router) { client in
            try await client.execute(uri: "/v1/segment", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(ServerFixtures.json(response)["type"] as? String == "timeout")
            }
        }
    }

    @Test func legacyHostsAreDeprecatedThenGone() async throws {
        let future = Date().addingTimeInterval(86_400 * 30), past = Date().addingTimeInterval(-86_400)
        let services = ServerFixtures.services {
            $0.legacyHosts = [.init(host: "old.example.com", sunset: future, successor: "https://new.example.com"),
                              .init(host: "retired.example.com", sunset: past, successor: "https://new.example.com")]
        }
        try await ServerFixtures.app(services).test(.router) { client in
            try await client.execute(uri: "/health", method: .get, headers: [.init("Host")!: "old.example.com"]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.init("Deprecation")!] == "true")
                #expect(response.headers[.init("Sunset")!]?.hasSuffix("GMT") == true)
                #expect(response.headers[.init("Link")!] == "<https://new.example.com>; rel=\"successor-version\"")
            }
            try await client.execute(uri: "/health", method: .get, headers: [.init("Host")!: "retired.example.com:8080"]) { response in
                #expect(response.status == .gone)
                #expect(String(buffer: response.body).contains("https://new.example.com"))
            }
            try await client.execute(uri: "/health", method: .get) { response in
                #expect(response.status == .ok && response.headers[.init("Deprecation")!] == nil)
            }
        }
    }

    @Test func configurationFromEnvironment() throws {
        let config = try ServerConfiguration.fromEnvironment([
            "DARKROOM_PORT": "9000", "DARKROOM_WORKERS": "3", "DARKROOM_ALLOW_PRIVATE_URLS": "true",
            "DARKROOM_LEGACY_HOSTS": "old.example.com=2030-01-01=https://new.example.com",
        ])
        #expect(config.port == 9000 && config.workers == 3 && config.allowPrivateURLs && config.legacyHosts.count == 1)
        #expect(throws: ConfigurationError.self) { try ServerConfiguration.fromEnvironment(["DARKROOM_PORT": "eighty"]) }
        #expect(throws: ConfigurationError.self) { try ServerConfiguration.fromEnvironment(["DARKROOM_LEGACY_HOSTS": "nonsense"]) }
        // A zero timeout fails every request; 256 workers only queue.
        #expect(throws: ConfigurationError.self) { try ServerConfiguration.fromEnvironment(["DARKROOM_REQUEST_TIMEOUT": "0"]) }
        #expect(throws: ConfigurationError.self) { try ServerConfiguration.fromEnvironment(["DARKROOM_WORKERS": "256"]) }
        #expect(try ServerConfiguration.fromEnvironment(["DARKROOM_MAX_CONNECTIONS": "64"]).maxConnections == 64)
        #expect(throws: ConfigurationError.self) { try ServerConfiguration.fromEnvironment(["DARKROOM_MAX_CONNECTIONS": "0"]) }
    }
}

/// The document must be valid OpenAPI 3.1, checked by an independent validator (Python's
/// openapi-spec-validator, which `scripts/setup --test-tools` installs into the tool venv).
@Suite struct OpenAPIValidationTests {
    @Test func documentPassesAnOpenAPIValidator() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("openapi.json")
        try Data(OpenAPIDocument.json()).write(to: file)
        let process = Process()
        let venvPython = Fixtures.home + "/venv/bin/python"
        let python = FileManager.default.isExecutableFile(atPath: venvPython) ? venvPython : "/usr/bin/python3"
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-c", """
            import json, sys
            try:
                from openapi_spec_validator import validate
            except ImportError:
                print("validator not installed"); sys.exit(3)
            validate(json.load(open(sys.argv[1])))
            """, file.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        try #require(process.terminationStatus != 3, "openapi-spec-validator is not installed: \(text)")
        #expect(process.terminationStatus == 0, "\(text)")
    }
}
