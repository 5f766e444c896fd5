import AsyncHTTPClient
import Editing
import Foundation
import NIOCore
import NIOPosix

/// Sends `background.prompt` requests to an operator's own image generator (`DARKROOM_BACKGROUND_GENERATOR_URL`):
/// one JSON POST, answered by the image itself. The README documents the contract.
///
/// The pipeline is synchronous and runs on the worker pool's threads, so this waits for the answer there.
/// That cannot deadlock: the HTTP client runs on its own event loops, and NIO resolves host names on a
/// dispatch queue of its own, not on the threads the waiting workers occupy. The wait is bounded by the
/// server's request timeout.
struct RemoteBackgroundGenerator: BackgroundGenerator {
    let url: String
    let timeout: Duration
    let maxBytes: Int

    static let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5)))
    )

    /// The JSON body: every field the contract names, images as base64.
    static func body(_ request: BackgroundGenerationRequest) throws -> Data {
        var fields: [String: Any] = [
            "prompt": request.prompt, "seed": Int(request.seed), "width": request.width, "height": request.height,
            "modelVersion": request.modelVersion, "subjectMask": Data(request.subjectMaskPNG).base64EncodedString(),
        ]
        if let negative = request.negativePrompt { fields["negativePrompt"] = negative }
        if let guidance = request.guidanceImage { fields["guidanceImage"] = Data(guidance).base64EncodedString() }
        if let scale = request.guidanceScale { fields["guidanceScale"] = scale }
        return try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])
    }

    func generate(_ request: BackgroundGenerationRequest) throws -> [UInt8] {
        let httpRequest: HTTPClient.Request
        do {
            httpRequest = try HTTPClient.Request(
                url: url, method: .POST,
                headers: ["content-type": "application/json", "accept": "image/png, image/jpeg, image/webp"],
                body: .bytes(Array(try Self.body(request))))
        } catch {
            throw EditError.backgroundGeneratorFailed(message: "its URL is not usable (\(error))")
        }
        let deadline = NIODeadline.now() + .nanoseconds(Int64(timeout.inSeconds * 1e9))
        let accumulator = ResponseAccumulator(request: httpRequest, maxBodySize: maxBytes)
        let response: HTTPClient.Response
        do {
            response = try Self.client.execute(request: httpRequest, delegate: accumulator, deadline: deadline).futureResult.wait()
        } catch is ResponseAccumulator.ResponseTooBigError {
            throw EditError.backgroundGeneratorFailed(message: "its image is larger than the \(maxBytes / 1_048_576) MB limit")
        } catch {
            throw EditError.backgroundGeneratorFailed(message: "it could not be reached (\(ImageFetcher.reason(error)))")
        }
        guard (200..<300).contains(Int(response.status.code)) else {
            throw EditError.backgroundGeneratorFailed(message: "it answered HTTP \(response.status.code)")
        }
        guard let body = response.body, body.readableBytes > 0 else {
            throw EditError.backgroundGeneratorFailed(message: "it answered with an empty body")
        }
        return Array(body.readableBytesView)
    }
}
