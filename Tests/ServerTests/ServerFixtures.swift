import Editing
import Foundation
import Hummingbird
import HummingbirdTesting
import Imaging
import NIOCore
import ONNXRuntime
import TestSupport
import Vision
@testable import Server

enum ServerFixtures {
    static let segmenter: Segmenter = {
        let runtime = try! Runtime.shared(libraryPath: Fixtures.runtimeLibrary)
        return try! Segmenter(modelPath: Fixtures.model("u2netp.onnx"), runtime: runtime)
    }()

    static func services(_ configure: (inout ServerConfiguration) -> Void = { _ in }) -> Services {
        var configuration = ServerConfiguration()
        configuration.allowPrivateURLs = true
        patientFetching(&configuration)
        configure(&configuration)
        return Services(configuration: configuration, pipeline: Pipeline(segmenter: segmenter))
    }

    /// A total fetch timeout no test here is about, made long: the suites share the cooperative thread pool
    /// (two threads on a 2-core runner) with long synchronous vision tests, which can keep a loopback image
    /// server from answering for longer than the production 20 s (a fetch once failed that way). Connecting
    /// is NIO's event loop's work, not the pool's, so its timeout stays as it is (a closed port costs it).
    static func patientFetching(_ configuration: inout ServerConfiguration) {
        configuration.fetchTotalTimeout = .seconds(300)
    }

    static func app(_ services: Services) -> some ApplicationProtocol {
        Application(router: DarkroomServer.router(services))
    }

    static func photo(_ name: String = "skimage_coffee.png") throws -> [UInt8] {
        try Fixtures.bytes(Fixtures.samples.appendingPathComponent(name))
    }

    /// A multipart/form-data body.
    static func multipart(fields: [(String, String)] = [], files: [(String, [UInt8])] = []) -> (ByteBuffer, HTTPFields) {
        let boundary = "darkroom-test-boundary"
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        for (name, bytes) in files {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"upload.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
            body += bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return (ByteBuffer(bytes: body), [.contentType: "multipart/form-data; boundary=\(boundary)"])
    }

    static func json(_ response: TestResponse) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))) as? [String: Any] ?? [:]
    }

    static func image(_ response: TestResponse) throws -> Image {
        try Image.decode(Array(response.body.readableBytesView))
    }

    /// A real HTTP server on loopback serving images, redirects and failures, for `imageUrl` tests.
    static func withImageServer<T>(_ body: @escaping @Sendable (Int) async throws -> T) async throws -> T {
        let router = Router()
        let coffee = try photo(), car = try photo("rembg_car-1.jpg")
        router.get("coffee.png") { _, _ in Response(status: .ok, headers: [.contentType: "image/png"], body: .init(byteBuffer: ByteBuffer(bytes: coffee))) }
        router.get("car.jpg") { request, _ in
            // Answers only when the query survived intact: proves the URL was not cut at its own '&'.
            guard request.uri.query == "w=800&sig=abc" || request.uri.query == nil else { return Response(status: .notFound) }
            return Response(status: .ok, headers: [.contentType: "image/jpeg"], body: .init(byteBuffer: ByteBuffer(bytes: car)))
        }
        router.get("spaced/*") { request, _ in
            // Only the space, sent as %20, is accepted.
            guard request.uri.path.hasSuffix("with%20space.png") else { return Response(status: .notFound) }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: coffee)))
        }
        router.get("redirect/:n") { _, context in
            let n = Int(context.parameters.get("n") ?? "0") ?? 0
            let location = n <= 1 ? "/coffee.png" : "/redirect/\(n - 1)"
            return Response(status: .found, headers: [.location: location])
        }
        router.get("missing.png") { _, _ in Response(status: .notFound) }
        router.get("big.bin") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(repeating: 7, count: 3 * 1_048_576))) }
        router.get("text.png") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "not an image"))) }
        let server = Application(router: router)
        return try await server.test(.live) { client in try await body(client.port!) }
    }
}
