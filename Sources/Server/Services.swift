import Accounts
import Editing
import Foundation
import Hummingbird
import Imaging
import NIOCore
import Web

/// What the routes share: configuration, the pipeline, the worker pool, the fetcher and the metrics.
public struct Services: Sendable {
    public let configuration: ServerConfiguration
    public let pipeline: Pipeline
    public let pool: WorkerPool
    public let fetcher: ImageFetcher
    public let metrics: ServerMetrics
    /// Keys, credits and the sandbox; nil serves the API without authentication.
    public let accounts: AccountGate?
    /// People, sessions and invites for the dashboard (over the accounts' database); nil serves no dashboard.
    public var web: WebStore?
    public var webConfiguration = WebConfiguration()

    public init(configuration: ServerConfiguration, pipeline: Pipeline, accounts: AccountGate? = nil, metrics: ServerMetrics = ServerMetrics()) {
        var pipeline = pipeline
        pipeline.decodeOptions.maxPixels = configuration.maxPixels
        if let url = configuration.backgroundGeneratorURL {
            pipeline.backgroundGenerator = RemoteBackgroundGenerator(url: url, timeout: configuration.requestTimeout,
                                                                     maxBytes: configuration.maxImageBytesV2)
        }
        self.configuration = configuration
        self.pipeline = pipeline
        pool = WorkerPool(workers: configuration.workers, queueLength: configuration.queueLength)
        fetcher = ImageFetcher(configuration: configuration)
        self.metrics = metrics
        self.accounts = accounts
    }

    /// Runs an API route's handler with a place in the worker queue, taken before any image is read, and maps
    /// whatever it throws to an answer in the route's shape. Who pays is `AccountMiddleware`'s business.
    func guarded(shape: APIError.Shape, _ handler: () async throws -> Response) async -> Response {
        do {
            // A request the server has no room for is refused at once, its body unread.
            let admission: WorkerPool.Admission
            do { admission = try await pool.admit() } catch is WorkerPool.Busy { throw Self.busy(configuration) }
            do {
                let response = try await WorkerPool.$admission.withValue(admission) { try await handler() }
                await pool.withdraw(admission)
                return response
            } catch {
                await pool.withdraw(admission)
                throw error
            }
        } catch {
            return APIError.from(error).response(shape: shape)
        }
    }

    /// Runs the pipeline on the worker pool within the request deadline; a full queue is a 429.
    func run(_ input: EditInput) async throws -> EditResult {
        let pipeline = self.pipeline
        let deadline = ContinuousClock.now + configuration.requestTimeout
        do {
            metrics.queueDepth.record(await pool.depth + 1)
            defer { Task { [pool, metrics] in metrics.queueDepth.record(await pool.depth) } }
            let result = try await pool.run { try pipeline.run(input, deadline: deadline) }
            if let inference = result.timings.seconds["inference"] { metrics.inference.recordNanoseconds(Int64(inference * 1e9)) }
            return result
        } catch is WorkerPool.Busy {
            throw Self.busy(configuration)
        }
    }

    static func busy(_ configuration: ServerConfiguration) -> APIError {
        var headers = HTTPFields()
        headers[.retryAfter] = "1"
        return APIError(.tooManyRequests, "the server is busy: \(configuration.workers) images in progress and \(configuration.queueLength) waiting; retry shortly",
                        type: "server_busy", headers: headers)
    }

    /// The image response with Darkroom's headers.
    func imageResponse(_ result: EditResult, unsupported: [String]) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = result.mimeType
        headers[.init("x-uncertainty-score")!] = result.uncertainty < 0 ? "-1" : String(format: "%.4f", result.uncertainty)
        for (name, value) in result.headers {
            if let field = HTTPFields.Element.Name(name) { headers[field] = value }
        }
        if !unsupported.isEmpty {
            headers[.init("pr-unsupported-attributes")!] = "Unsupported attributes: " + unsupported.joined(separator: ", ")
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: result.bytes)))
    }
}
