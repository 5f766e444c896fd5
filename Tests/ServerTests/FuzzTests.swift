import Foundation
import Hummingbird
import HummingbirdTesting
import Imaging
import Testing
import TestSupport
@testable import Server

/// Every malformed image of the corpus, posted to both image routes: no 5xx, no dropped connection, a JSON
/// error for every refusal, an image for every success, and a healthy server afterwards. `make fuzz` runs a
/// longer corpus with a random seed (DARKROOM_FUZZ_SEED, DARKROOM_FUZZ_PER_BASE).
@Suite(.serialized) struct FuzzTests {
    @Test func malformedImagesNeverCrashOrAnswer5xxOnEitherRoute() async throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["DARKROOM_FUZZ_SEED"].flatMap(UInt64.init) ?? 20_261_125
        let perBase = environment["DARKROOM_FUZZ_PER_BASE"].flatMap(Int.init) ?? 112
        let corpus = try FuzzCorpus.make(seed: seed, perBase: perBase)
        #expect(corpus.count >= 1000, "corpus of \(corpus.count)")
        let services = ServerFixtures.services { $0.queueLength = 64 }
        let statuses = try await ServerFixtures.app(services).test(.router) { client -> [Int: Int] in
            var statuses: [Int: Int] = [:]
            for item in corpus {
                for (uri, field, fields) in [("/v1/segment", "image_file", [("size", "preview")]), ("/v2/edit", "imageFile", [("outputSize", "64x48"), ("removeBackground", "false")])] {
                    let (body, headers) = ServerFixtures.multipart(fields: fields, files: [(field, item.bytes)])
                    let status = try await client.execute(uri: uri, method: .post, headers: headers, body: body) { response -> Int in
                        let status = Int(response.status.code)
                        #expect(status < 500, "\(uri) answered \(status) to \(item.name) (seed \(seed))")
                        if status >= 400 {
                            #expect(response.headers[.contentType] == "application/json", "\(uri), \(item.name): not JSON")
                            #expect(!ServerFixtures.json(response).isEmpty, "\(uri), \(item.name): empty error body")
                        } else {
                            #expect(status == 200 && (try? ServerFixtures.image(response)) != nil, "\(uri), \(item.name): \(status) without an image")
                        }
                        return status
                    }
                    statuses[status, default: 0] += 1
                }
            }
            try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
            return statuses
        }
        print("fuzz seed \(seed): \(corpus.count) files × 2 routes, statuses \(statuses.sorted { $0.key < $1.key })")
    }
}
