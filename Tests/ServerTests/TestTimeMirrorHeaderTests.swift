import Editing
import Foundation
import Hummingbird
import HummingbirdTesting
import Imaging
import ONNXRuntime
import Testing
import TestSupport
import Vision
@testable import Server

/// `x-darkroom-test-time-mirror` says whether the mask was averaged with the mirrored photo's. The suite has a
/// segmenter of its own: with the shared one, other suites' inferences would make sessions busy and the mirror
/// would (rightly) be skipped.
@Suite(.serialized) struct TestTimeMirrorHeaderTests {
    static let segmenter = try! Segmenter(modelPath: Fixtures.model("u2netp.onnx"),
                                          runtime: try! Runtime.shared(libraryPath: Fixtures.runtimeLibrary))

    func segment(_ photo: String, policy: MirrorPolicy) async throws -> (HTTPResponse.Status, String?) {
        var pipeline = Pipeline(segmenter: Self.segmenter)
        pipeline.mirrorTestTime = policy
        let services = Services(configuration: ServerConfiguration(), pipeline: pipeline)
        let (body, headers) = ServerFixtures.multipart(fields: [], files: [("image_file", try ServerFixtures.photo(photo))])
        return try await ServerFixtures.app(services).test(.router) { client in
            try await client.execute(uri: "/v1/segment", method: .post, headers: headers, body: body) { response in
                (response.status, response.headers[.init("x-darkroom-test-time-mirror")!])
            }
        }
    }

    @Test func idleServerMirrorsExactlyThePhotosWhoseMaskIsUncertain() async throws {
        var answers: Set<String> = []
        for name in ["rembg_girl-1.jpg", "rembg_car-1.jpg"] {
            let photo = try Image.decode(try ServerFixtures.photo(name))
            let uncertainty = Segmenter.uncertainty(of: try Self.segmenter.predict(try Self.segmenter.prepare(photo).tensor))
            let (status, header) = try await segment(name, policy: .auto)
            #expect(status == .ok)
            #expect(header == (MirrorPolicy.auto.mirrors(uncertainty: uncertainty) ? "applied" : "skipped"), "\(name): uncertainty \(uncertainty)")
            if let header { answers.insert(header) }
        }
        // One photo of each kind, so a header that never changes would fail.
        #expect(answers == ["applied", "skipped"])
    }

    @Test func offNeverMirrorsAndSpareMirrorsACertainMaskOnAnIdleServer() async throws {
        let (offStatus, off) = try await segment("rembg_girl-1.jpg", policy: .never)
        #expect(offStatus == .ok && off == "skipped")
        let (spareStatus, spare) = try await segment("rembg_car-1.jpg", policy: .spare)
        #expect(spareStatus == .ok && spare == "applied")
    }
}
