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

/// `pr-background-removal-model-version` (spec 4.2) picks the registry model on both image routes.
@Suite(.serialized) struct ModelVersionHeaderTests {
    static let services: Services = {
        var pipeline = Pipeline(segmenter: ServerFixtures.segmenter)
        let runtime = try! Runtime.shared(libraryPath: Fixtures.runtimeLibrary)
        pipeline.otherSegmenters = SegmenterShelf(modelsFolder: Fixtures.home + "/models", runtime: runtime,
                                                  options: Session.Options(), preloaded: [ServerFixtures.segmenter])
        var configuration = ServerConfiguration()
        configuration.allowPrivateURLs = true
        return Services(configuration: configuration, pipeline: pipeline)
    }()

    func call(_ uri: String, version: String?, fields: [(String, String)], file: String) async throws -> (HTTPResponse.Status, String?, [UInt8], [String: Any]) {
        let (body, headers) = ServerFixtures.multipart(fields: fields, files: [(file, try ServerFixtures.photo("rembg_car-1.jpg"))])
        var extended = headers
        if let version { extended[.init(SegmentationModelChoice.header)!] = version }
        let sent = extended
        return try await ServerFixtures.app(Self.services).test(.router) { client in
            try await client.execute(uri: uri, method: .post, headers: sent, body: body) { response in
                (response.status, response.headers[.init("x-darkroom-model")!], Array(response.body.readableBytesView), ServerFixtures.json(response))
            }
        }
    }

    @Test func segmentRouteRunsTheModelTheVersionNames() async throws {
        let (plainStatus, plainModel, plainBytes, _) = try await call("/v1/segment", version: nil, fields: [("channels", "alpha")], file: "image_file")
        let (newStatus, newModel, newBytes, _) = try await call("/v1/segment", version: "2024-09-26", fields: [("channels", "alpha")], file: "image_file")
        #expect(plainStatus == .ok && newStatus == .ok)
        #expect(plainModel == "u2netp" && newModel == "u2net")
        let plain = try Image.decode(plainBytes).grayscale().pixels(), new = try Image.decode(newBytes).grayscale().pixels()
        // The two models really ran: their masks put a few hundred pixels of the car's edge on different sides.
        let changed = zip(plain, new).filter { ($0 > 127) != ($1 > 127) }.count
        #expect(changed > 100, "the two models' masks differ on only \(changed) pixels")
    }

    @Test func editRouteHonoursTheHeaderAndDefault() async throws {
        let (status, model, _, _) = try await call("/v2/edit", version: "2023-06-01", fields: [("outputSize", "200x200")], file: "imageFile")
        #expect(status == .ok && model == "u2netp")
        let (defaultStatus, defaultModel, _, _) = try await call("/v2/edit", version: "default", fields: [("outputSize", "200x200")], file: "imageFile")
        #expect(defaultStatus == .ok && defaultModel == ServerFixtures.segmenter.model.name)
    }

    @Test func unknownVersionIsA400NamingTheHeaderOnBothRoutes() async throws {
        for (uri, file) in [("/v1/segment", "image_file"), ("/v2/edit", "imageFile")] {
            let (status, _, _, json) = try await call(uri, version: "2019-01-01", fields: [], file: file)
            #expect(status == .badRequest, "\(uri)")
            let text = String(describing: json)
            #expect(text.contains(SegmentationModelChoice.header) && text.contains("2024-09-26"), "\(uri): \(text)")
        }
    }
}
