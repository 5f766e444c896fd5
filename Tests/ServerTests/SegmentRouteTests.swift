import Foundation
import Hummingbird
import HummingbirdTesting
import Imaging
import Testing
import TestSupport
@testable import Server

@Suite(.serialized) struct SegmentRouteTests {
    let services = ServerFixtures.services()

    func post(_ fields: [(String, String)] = [], image: [UInt8]? = nil, accept: String? = nil,
              _ check: @escaping @Sendable (TestResponse) async throws -> Void) async throws {
        let photo = try image ?? ServerFixtures.photo()
        let (body, headers) = ServerFixtures.multipart(fields: fields, files: [("image_file", photo)])
        var extended = headers
        if let accept { extended[.accept] = accept }
        let allHeaders = extended
        try await ServerFixtures.app(services).test(.router) { client in
            try await client.execute(uri: "/v1/segment", method: .post, headers: allHeaders, body: body) { try await check($0) }
        }
    }

    @Test func cutsOutAsPNGWithUncertainty() async throws {
        try await post { response in
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "image/png")
            let score = try #require(response.headers[.init("x-uncertainty-score")!].flatMap(Double.init))
            #expect(score >= 0 && score <= 1)
            let image = try ServerFixtures.image(response)
            #expect(image.width == 600 && image.height == 400 && image.bands == 4)
            #expect(try image.pixel(x: 300, y: 200)[3] == 255)
            #expect(try image.pixel(x: 5, y: 5)[3] == 0)
        }
    }

    @Test func formatsAndBackgroundColour() async throws {
        try await post([("format", "jpg"), ("bg_color", "#FF00FF")]) { response in
            #expect(response.headers[.contentType] == "image/jpeg")
            let corner = try ServerFixtures.image(response).pixel(x: 5, y: 5)
            #expect(corner[0] > 230 && corner[1] < 30 && corner[2] > 230)
        }
        try await post([("format", "webp"), ("bg_color", "green")]) { response in
            #expect(response.headers[.contentType] == "image/webp")
            let corner = try ServerFixtures.image(response).pixel(x: 5, y: 5)
            #expect(corner[1] > 110 && corner[1] < 140 && corner[0] < 20)
        }
    }

    @Test func alphaChannelOnly() async throws {
        try await post([("channels", "alpha")]) { response in
            let image = try ServerFixtures.image(response)
            #expect(try image.pixel(x: 300, y: 200)[0] == 255 && (try image.pixel(x: 5, y: 5)[0]) == 0)
            // A grey mask: every band equal.
            let pixel = try image.pixel(x: 100, y: 100)
            #expect(Set(pixel.prefix(3)).count == 1)
        }
    }

    @Test func sizeCapsAndCrop() async throws {
        let big = try ServerFixtures.photo("sam_truck.jpg")  // 1800×1200 = 2.16 MP
        try await post([("size", "preview")], image: big) { response in
            let image = try ServerFixtures.image(response)
            #expect(image.width * image.height <= 250_000 && image.width * image.height > 200_000)
            #expect(abs(Double(image.width) / Double(image.height) - 1.5) < 0.02)
        }
        try await post([("crop", "true")]) { response in
            let image = try ServerFixtures.image(response)
            #expect(image.width < 600 && image.height < 400)
            // Trimmed to the subject: the border rows and columns hold subject pixels.
            let alpha = try #require(try image.alpha()).pixels()
            #expect(alpha.prefix(image.width).contains { $0 > 127 })
        }
    }

    @Test func despillNeutralisesGreen() async throws {
        // A green-screen photo: a grey square on pure green, with green spill on the square's edge.
        var pixels = [UInt8]()
        for y in 0..<200 { for x in 0..<200 {
            let inside = (50..<150).contains(x) && (50..<150).contains(y)
            pixels += inside ? [150, 170, 150] : [0, 255, 0]
        } }
        let photo = try Image(pixels: pixels, width: 200, height: 200, bands: 3).encoded(as: .png())
        try await post([("despill", "true"), ("channels", "rgba")], image: photo) { response in
            let pixel = try ServerFixtures.image(response).pixel(x: 100, y: 100)
            #expect(pixel[1] <= 150, "green \(pixel[1]) should be pulled down to the red/blue mean")
        }
    }

    @Test func jsonWhenAcceptPrefersIt() async throws {
        try await post(accept: "application/json") { response in
            #expect(response.headers[.contentType] == "application/json")
            let base64 = try #require(ServerFixtures.json(response)["base64img"] as? String)
            let bytes = try #require(Data(base64Encoded: base64))
            #expect(ImageFormat.sniff(bytes) == .png)
        }
        try await post(accept: "image/png, application/json") { response in
            #expect(response.headers[.contentType] == "image/png")
        }
    }

    @Test func errorsUseTheFlatShape() async throws {
        try await ServerFixtures.app(services).test(.router) { client in
            let (empty, headers) = ServerFixtures.multipart(fields: [("format", "png")])
            try await client.execute(uri: "/v1/segment", method: .post, headers: headers, body: empty) { response in
                #expect(response.status == .badRequest)
                let json = ServerFixtures.json(response)
                #expect(json["detail"] as? String == "Please provide an image.")
                #expect(json["status_code"] as? Int == 400 && json["type"] as? String == "missing_image")
            }
            try await client.execute(uri: "/v1/segment", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: "{}")) { response in
                #expect(response.status == .unsupportedMediaType)
                #expect(ServerFixtures.json(response)["status_code"] as? Int == 415)
            }
        }
        try await post([("size", "gigantic")]) { response in
            #expect(response.status == .badRequest)
            #expect((ServerFixtures.json(response)["detail"] as? String)?.hasPrefix("size:") == true)
        }
    }

    /// Found by schemathesis: a 1×1 photo (its example for a file field) is cut out, not refused.
    @Test func aOnePixelPhotoIsCutOut() async throws {
        let pixel = try Image(pixels: [128], width: 1, height: 1, bands: 1).encoded(as: .png())
        try await post(image: pixel) { response in
            #expect(response.status == .ok, "\(String(buffer: response.body))")
            let image = try ServerFixtures.image(response)
            #expect(image.width == 1 && image.height == 1)
        }
    }

    @Test func badFilesGetClearErrors() async throws {
        let jpeg = try ServerFixtures.photo("rembg_car-1.jpg")
        let cases: [([UInt8], HTTPResponse.Status, String)] = [
            (Array("hello".utf8), .unsupportedMediaType, "unsupported_image"),
            (Array(jpeg.prefix(jpeg.count / 2)), .unprocessableContent, "corrupt_image"),
            (Fixtures.pngHeader(width: 20000, height: 20000), .contentTooLarge, "image_too_large"),
        ]
        for (bytes, status, type) in cases {
            try await post(image: bytes) { response in
                #expect(response.status == status)
                #expect(ServerFixtures.json(response)["type"] as? String == type)
            }
        }
        try await post(image: []) { response in
            #expect(response.status == .badRequest)
            #expect(ServerFixtures.json(response)["type"] as? String == "missing_image")
        }
    }

    @Test func uploadLimitIsNamed() async throws {
        let small = ServerFixtures.services { $0.maxImageBytesV1 = 100_000 }
        let (body, headers) = ServerFixtures.multipart(files: [("image_file", try ServerFixtures.photo())])  // 466 kB
        try await ServerFixtures.app(small).test(.router) { client in
            try await client.execute(uri: "/v1/segment", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .contentTooLarge)
                // Named as it streams in: the part and its limit, the rest of the body unread.
                #expect(ServerFixtures.json(response)["detail"] as? String == "image_file: the image is larger than the 97 kB limit")
                #expect(ServerFixtures.json(response)["type"] as? String == "image_too_large")
            }
        }
    }
}
