import Foundation
import Hummingbird
import Imaging
import NIOCore

/// `/health`, `/openapi.json` and `/metrics`.
struct SystemRoutes {
    let services: Services
    static let healthTimeout: Duration = .seconds(5)

    func register(on router: Router<DarkroomContext>) {
        let services = self.services
        router.get("health") { _, _ -> Response in
            do {
                let report = try await HealthProbe.report(services, timeout: Self.healthTimeout)
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
