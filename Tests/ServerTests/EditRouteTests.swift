import Foundation
import Hummingbird
import HummingbirdTesting
import Imaging
import Testing
import TestSupport
@testable import Server

@Suite(.serialized) struct EditRouteTests {
    let services = ServerFixtures.services()

    func get(_ query: String, services: Services? = nil, _ check: @escaping @Sendable (TestResponse) async throws -> Void) async throws {
        try await ServerFixtures.app(services ?? self.services).test(.router) { client in
            try await client.execute(uri: "/v2/edit?" + query, method: .get) { try await check($0) }
        }
    }

    func post(_ fields: [(String, String)], files: [(String, [UInt8])]? = nil, _ check: @escaping @Sendable (TestResponse) async throws -> Void) async throws {
        let (body, headers) = ServerFixtures.multipart(fields: fields, files: try files ?? [("imageFile", ServerFixtures.photo())])
        try await ServerFixtures.app(services).test(.router) { client in
            try await client.execute(uri: "/v2/edit", method: .post, headers: headers, body: body) { try await check($0) }
        }
    }

    @Test func postWithBackgroundColourSizeAndPadding() async throws {
        try await post([("background.color", "FF0000"), ("outputSize", "500x500"), ("padding", "0.1"), ("export.format", "png")]) { response in
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "image/png")
            let image = try ServerFixtures.image(response)
            #expect(image.width == 500 && image.height == 500)
            #expect(try image.pixel(x: 3, y: 3) == [255, 0, 0, 255])       // padding area: the colour
            #expect(try image.pixel(x: 250, y: 250) != [255, 0, 0, 255])  // the cup is in the middle
        }
    }

    @Test func exportFormatsAndDPI() async throws {
        for (format, mime) in [("jpeg", "image/jpeg"), ("jpg", "image/jpeg"), ("webp", "image/webp"), ("avif", "image/avif")] {
            try await post([("export.format", format), ("export.dpi", "300"), ("outputSize", "200x200")]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == mime)
                let image = try ServerFixtures.image(response)
                #expect(image.width == 200)
                if format != "avif" && format != "webp" { #expect(abs(image.dpi - 300) < 0.5) }
            }
        }
    }

    @Test func keepTheBackground() async throws {
        try await post([("removeBackground", "false"), ("outputSize", "300x300"), ("background.color", "0000FF")]) { response in
            let image = try ServerFixtures.image(response)
            #expect(image.width == 300 && image.height == 300)
            #expect(try image.pixel(x: 150, y: 5) == [0, 0, 255, 255])    // letterbox filled with the colour
            #expect(try image.pixel(x: 150, y: 150)[3] == 255)
            #expect(response.headers[.init("x-uncertainty-score")!] == "-1")
        }
    }

    @Test func transparentInputPixelsNeverBecomeSubject() async throws {
        // The coffee photo with its left half made fully transparent.
        let photo = try Image.decode(try ServerFixtures.photo())
        var alpha = [UInt8](repeating: 255, count: photo.width * photo.height)
        for y in 0..<photo.height { for x in 0..<(photo.width / 2) { alpha[y * photo.width + x] = 0 } }
        let input = try photo.withAlpha(Image(pixels: alpha, width: photo.width, height: photo.height, bands: 1)).encoded(as: .png())
        for policy in ["never", "auto"] {
            try await post([("keepExistingAlphaChannel", policy), ("outputSize", "originalImage"), ("referenceBox", "originalImage")],
                           files: [("imageFile", input)]) { response in
                let image = try ServerFixtures.image(response)
                let out = try #require(try image.alpha()).pixels()
                #expect(!out.enumerated().contains { $0.offset % image.width < image.width / 2 - 2 && $0.element > 0 }, "policy \(policy)")
                if policy == "auto" { #expect(try image.pixel(x: 590, y: 10)[3] == 255) }  // its own alpha kept: the table too
            }
        }
    }

    @Test func outlineAroundTheSubject() async throws {
        try await post([("outline.color", "00FF00"), ("outline.width", "0.02"), ("background.color", "FFFFFF"), ("outputSize", "originalImage"),
                        ("referenceBox", "originalImage")]) { response in
            let image = try ServerFixtures.image(response)
            let pixels = try image.removingAlpha().pixels()
            let green = stride(from: 0, to: pixels.count, by: 3).filter { pixels[$0] < 60 && pixels[$0 + 1] > 200 && pixels[$0 + 2] < 60 }.count
            #expect(green > 500, "an outline should draw a band of green pixels, found \(green)")
            #expect(try image.pixel(x: 3, y: 3) == [255, 255, 255, 255])
        }
    }

    @Test func backgroundImageAndBlur() async throws {
        let background = try ServerFixtures.photo("rembg_car-1.jpg")
        try await post([("background.scaling", "fill")], files: [("imageFile", try ServerFixtures.photo()), ("background.imageFile", background)]) { response in
            let image = try ServerFixtures.image(response)
            #expect(try image.pixel(x: 3, y: 3)[3] == 255)  // the background image covers the corners
        }
        try await post([("background.blur.mode", "gaussian"), ("background.blur.radius", "0.02"), ("referenceBox", "originalImage")]) { response in
            #expect(response.status == .ok)
            let image = try ServerFixtures.image(response)
            #expect(try image.pixel(x: 3, y: 3)[3] == 255)
        }
    }

    @Test func getFetchesTheImageURL() async throws {
        try await ServerFixtures.withImageServer { port in
            // An unencoded URL with its own query: known arguments after it still count.
            try await get("imageUrl=http://127.0.0.1:\(port)/car.jpg?w=800&sig=abc&outputSize=300x200&background.color=white") { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
                let image = try ServerFixtures.image(response)
                #expect(image.width == 300 && image.height == 200)
            }
            let encoded = "http://127.0.0.1:\(port)/spaced/with space.png".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            try await get("imageUrl=\(encoded)&outputSize=100x100") { response in
                #expect(response.status == .ok, "\(String(buffer: response.body))")
            }
            try await get("imageUrl=http://127.0.0.1:\(port)/redirect/3&outputSize=100x100") { response in
                #expect(response.status == .ok)
            }
            try await get("imageUrl=http://127.0.0.1:\(port)/coffee.png&background.imageUrl=http://127.0.0.1:\(port)/car.jpg&outputSize=120x120") { response in
                #expect(response.status == .ok)
                let corner = try ServerFixtures.image(response).pixel(x: 1, y: 1)
                #expect(corner[3] == 255)
            }
        }
    }

    @Test func urlFailuresAreClear400s() async throws {
        try await ServerFixtures.withImageServer { port in
            let cases: [(String, HTTPResponse.Status, String)] = [
                ("http://127.0.0.1:\(port)/redirect/9", .badRequest, "redirects"),
                ("http://127.0.0.1:\(port)/missing.png", .badRequest, "HTTP 404"),
                ("http://127.0.0.1:\(port)/text.png", .unsupportedMediaType, "unsupported image format"),
                ("http://127.0.0.1:1/x.png", .badRequest, "could not be reached"),
                ("ftp://127.0.0.1/x.png", .badRequest, "only http"),
                ("http://no-such-host.invalid/x.png", .badRequest, "could not be resolved"),
            ]
            for (url, status, text) in cases {
                try await get("imageUrl=\(url)") { response in
                    #expect(response.status == status, "\(url)")
                    let message = (ServerFixtures.json(response)["error"] as? [String: Any])?["message"] as? String ?? ""
                    #expect(message.contains(text), "\(url): \(message)")
                }
            }
            let small = ServerFixtures.services { $0.maxImageBytesV2 = 1_048_576 }
            try await get("imageUrl=http://127.0.0.1:\(port)/big.bin", services: small) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }

    @Test func privateDestinationsAreRefused() async throws {
        let strict = ServerFixtures.services { $0.allowPrivateURLs = false }
        for (url, rule) in [("http://127.0.0.1:9/a.png", "loopback"), ("http://169.254.169.254/latest", "link-local"),
                            ("http://10.1.2.3/a.png", "private"), ("http://[::1]/a.png", "loopback"),
                            ("http://[::ffff:127.0.0.1]/a.png", "IPv4-mapped"), ("http://100.64.0.1/a.png", "carrier-grade"),
                            ("http://0.0.0.0/a.png", "unspecified"), ("http://224.0.0.1/a.png", "multicast"), ("http://localhost/a.png", "loopback")] {
            try await get("imageUrl=\(url)", services: strict) { response in
                #expect(response.status == .badRequest)
                let message = (ServerFixtures.json(response)["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(message.contains(rule) && message.hasPrefix("imageUrl:"), "\(url): \(message)")
            }
        }
    }

    @Test func outputCanvasOverThePixelLimitIsA400NamingTheLimit() async throws {
        try await post([("outputSize", "10000x10000")]) { response in
            #expect(response.status == .badRequest)
            let message = (ServerFixtures.json(response)["error"] as? [String: Any])?["message"] as? String
            #expect(message?.hasPrefix("outputSize:") == true && message?.contains("--max-pixels") == true, "\(message ?? "")")
        }
        // Just under the limit is fine, and its solid background is real pixels all the way to the corner.
        try await post([("outputSize", "6000x6000"), ("background.color", "00FF00"), ("export.format", "jpeg")]) { response in
            #expect(response.status == .ok)
            let image = try ServerFixtures.image(response)
            #expect(image.width == 6000 && image.height == 6000)
            let corner = try image.pixel(x: 5999, y: 5999)
            #expect(corner[0] < 20 && corner[1] > 235 && corner[2] < 20)
        }
    }

    @Test func shadowModelHeaderIsHonouredOnTheRoute() async throws {
        let (body, headers) = ServerFixtures.multipart(fields: [("shadow.mode", "ai.floating"), ("outputSize", "200x200")],
                                                       files: [("imageFile", try ServerFixtures.photo())])
        let withModel: HTTPFields = {
            var fields = headers
            fields[.init("pr-ai-shadows-model-version")!] = "2026-04-15"
            return fields
        }()
        try await ServerFixtures.app(services).test(.router) { client in
            try await client.execute(uri: "/v2/edit", method: .post, headers: withModel, body: body) { response in
                #expect(response.status == .badRequest)
                let message = (ServerFixtures.json(response)["error"] as? [String: Any])?["message"] as? String
                #expect(message?.hasPrefix("shadow.mode:") == true && message?.contains("2026-04-15") == true)
            }
            try await client.execute(uri: "/v2/edit", method: .post, headers: headers, body: body) { response in
                #expect(response.status == .ok)
                // Transparent output: the floating shadow is translucent black below the cup.
                let image = try ServerFixtures.image(response)
                let pixels = try image.pixels()
                let shadow = stride(from: 0, to: pixels.count, by: 4).filter { pixels[$0 + 3] > 0 && pixels[$0 + 3] < 200 && pixels[$0] == 0 }
                #expect(shadow.count > 100)
            }
        }
    }

    @Test func argumentErrorsAndMissingFeatures() async throws {
        try await get("removeBackground=maybe&imageUrl=http://x") { response in
            #expect(response.status == .badRequest)
            let message = (ServerFixtures.json(response)["error"] as? [String: Any])?["message"] as? String
            #expect(message?.hasPrefix("removeBackground:") == true)
        }
        try await get("outputSize=500x500") { response in
            #expect(response.status == .badRequest)
            #expect(((ServerFixtures.json(response)["error"] as? [String: Any])?["message"] as? String) == "imageUrl: must be provided")
        }
        try await post([("upscale.mode", "ai.fast")]) { response in
            #expect(response.status == .notImplemented)
            #expect(((ServerFixtures.json(response)["error"] as? [String: Any])?["message"] as? String)?.hasPrefix("upscale.mode:") == true)
        }
        try await post([("removeBackground", "false"), ("referenceBox", "originalImage")]) { response in
            #expect(response.status == .badRequest)
        }
        try await post([("background.inner", "1"), ("outputSize", "50x50")]) { response in
            #expect(response.status == .ok)
            #expect(response.headers[.init("pr-unsupported-attributes")!] == "Unsupported attributes: background.inner")
        }
        try await post([("outputSize", "100x100")], files: []) { response in
            #expect(response.status == .badRequest)
        }
    }
}
