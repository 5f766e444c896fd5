import Editing
import Hummingbird
import Metrics
import Prometheus

/// The server's Prometheus metrics, in a registry of its own (so several servers can live in one process,
/// as tests do).
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    let factory: PrometheusMetricsFactory
    let queueDepth: Metrics.Gauge
    let inference: Metrics.Timer

    public init() {
        factory = PrometheusMetricsFactory(registry: registry)
        queueDepth = Metrics.Gauge(label: "darkroom_queue_depth", factory: factory)
        inference = Metrics.Timer(label: "darkroom_inference_seconds", factory: factory)
    }

    func record(route: String, status: Int, seconds: Double) {
        Metrics.Counter(label: "darkroom_requests_total", dimensions: [("route", route), ("status", String(status))], factory: factory).increment()
        Metrics.Timer(label: "darkroom_request_seconds", dimensions: [("route", route)], factory: factory)
            .recordNanoseconds(Int64(seconds * 1e9))
    }

    public func text() -> String { registry.emitToString() }
}

/// Counts every request by route and status, and times it.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        // Matched routes only: raw paths of unknown URLs would give the metrics an unbounded number of labels.
        let route = context.endpointPath ?? "unmatched"
        do {
            let response = try await next(request, context)
            metrics.record(route: route, status: Int(response.status.code), seconds: Self.seconds(since: start))
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.record(route: route, status: Int(status), seconds: Self.seconds(since: start))
            throw error
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        (ContinuousClock.now - start).inSeconds
    }
}
