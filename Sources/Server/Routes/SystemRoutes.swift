import Foundation
import Hummingbird
import Imaging
import NIOCore

/// `/health`, `/openapi.json` and `/metrics`.
struct SystemRoutes {
    let services: Services
    static let healthTimeout: Duration = .seconds(2)

    func register(on router: Router<DarkroomContext>) {
        let services = self.services
        router.get("health") { _, _ -> Response in
            do {
                let report = try await withThrowingTaskGroup(of: [String: String].self) { group in
                    group.addTask { try await services.healthCheck() }
                    group.addTask {
                        try await Task.sleep(for: Self.healthTimeout)
                        throw APIError(.serviceUnavailable, "health check took longer than \(Self.healthTimeout)")
                    }
                    let first = try await group.next()!
                    group.cancelAll()
                    return first
                }
                return Self.json(["status": "ok"].merging(report) { a, _ in a }, status: .ok)
            } catch {
                return Self.json(["status": "unhealthy", "reason": String(describing: error)], status: .serviceUnavailable)
            }
        }
        router.get("openapi.json") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.json())))
        }
        router.get("metrics") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(string: services.metrics.text())))
        }
    }

    static func json(_ object: [String: String], status: HTTPResponse.Status) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Services {
    /// A tiny libvips round trip (about a millisecond, so it runs right here: queued behind image jobs on the
    /// blocking pool, a busy but healthy node would look dead) and a look at the model session.
    func healthCheck() async throws -> [String: String] {
        let probe = try Image.solid(RGBA(10, 20, 30), width: 4, height: 4).encoded(as: .png())
        guard try Image.decode(probe).pixel(x: 1, y: 1) == [10, 20, 30, 255] else {
            throw APIError(.serviceUnavailable, "libvips round trip gave wrong pixels")
        }
        return ["model": pipeline.segmenter.model.name, "onnxruntime": pipeline.segmenter.runtimeVersion]
    }
}
