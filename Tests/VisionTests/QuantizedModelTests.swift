import Foundation
import Imaging
import Testing
import TestSupport
@testable import Vision

/// The int8 tier (scripts/quantize) must cut out what its fp32 source cuts out. Its files exist only where the
/// calibration photos did (scripts/truthset-real), so each test is skipped, with the reason, where they are absent.
@Suite(.serialized) struct QuantizedModelTests {
    static func present(_ name: String) -> Bool {
        ModelRegistry.shipped.segmentation(named: name).map { FileManager.default.fileExists(atPath: Fixtures.model($0.file!)) } ?? false
    }

    @Test func everyQuantizedEntryNamesAnInstallableSourceAndTheNodesKeptFloat() throws {
        let registry = ModelRegistry.shipped
        #expect(registry.quantized.map(\.name).sorted() == ["u2net-int8", "u2netp-int8"])
        for model in registry.quantized {
            let source = try #require(registry.installable.first { $0.name == model.quantizedFrom })
            #expect(model.inputSize == source.inputSize && model.mean == source.mean && model.std == source.std)
            #expect(model.keepFloat?.contains("Conv_787") == true, "\(model.name): the decoder convolution int8 breaks")
            #expect(model.installCommand.contains("scripts/quantize"))
        }
        #expect(try registry.model(forVersion: "u2netp-int8")?.name == "u2netp-int8")
    }

    @Test(.enabled(if: present("u2netp-int8"), "u2netp-int8.onnx is not installed: scripts/truthset-real, then scripts/quantize"))
    func u2netpInt8MasksMatchU2netpOnTheSamples() async throws { try await onOwnThread { try Self.compare("u2netp-int8") } }

    @Test(.enabled(if: present("u2net-int8"), "u2net-int8.onnx is not installed: scripts/truthset-real, then scripts/quantize"))
    func u2netInt8MasksMatchU2netOnTheSamples() async throws { try await onOwnThread { try Self.compare("u2net-int8") } }

    static func compare(_ name: String) throws {
        let registry = ModelRegistry.shipped
        let int8 = try #require(registry.segmentation(named: name))
        let fp32 = try #require(registry.segmentation(named: int8.quantizedFrom!))
        let path = Fixtures.model(int8.file!)
        let recipe = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path + ".recipe.json"))) as? [String: Any]
        #expect(recipe?["sha256"] as? String == (try ModelRegistryTests.sha256(of: path)), "\(name) differs from its recipe")
        #expect((recipe?["quantizedFrom"] as? [String: Any])?["sha256"] as? String == fp32.sha256)

        let quantized = try Segmenter(modelPath: path, runtime: VisionFixtures.runtime(), model: int8)
        let reference = try Segmenter(modelPath: Fixtures.model(fp32.file!), runtime: VisionFixtures.runtime(), model: fp32)
        var ious: [Double] = []
        for url in Fixtures.samplePhotos {
            let photo = try Image.decode(try Fixtures.bytes(url))
            let iou = MaskMetrics.iou(try quantized.rawMask(for: photo).pixels(), try reference.rawMask(for: photo).pixels())
            ious.append(iou)
            #expect(iou >= 0.8, "\(name) on \(url.lastPathComponent): IoU \(iou) against \(fp32.name)")
        }
        let mean = ious.reduce(0, +) / Double(ious.count)
        print("\(name) against \(fp32.name) on \(ious.count) samples: mean IoU \(String(format: "%.4f", mean))")
        #expect(ious.count >= 17 && mean >= 0.95)
    }
}
