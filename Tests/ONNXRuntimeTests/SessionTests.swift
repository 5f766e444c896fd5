import Foundation
import Testing
import TestSupport
@testable import ONNXRuntime

@Suite struct SessionTests {
    func runtime() throws -> Runtime { try Runtime.shared(libraryPath: Fixtures.runtimeLibrary) }

    @Test func loadsThePinnedRuntime() throws {
        #expect(try runtime().version == "1.32.0")
        // One environment per library: asking again gives the same runtime.
        #expect(try runtime() === runtime())
    }

    @Test func describesInputsAndOutputs() throws {
        let session = try Session(modelPath: Fixtures.model("test/sigmoid.onnx"), runtime: runtime())
        #expect(session.inputs == [TensorInfo(name: "x", shape: [3, 4, 5], elementType: TensorInfo.float)])
        #expect(session.outputs == [TensorInfo(name: "y", shape: [3, 4, 5], elementType: TensorInfo.float)])
    }

    @Test func runsARealModel() throws {
        let session = try Session(modelPath: Fixtures.model("test/sigmoid.onnx"), runtime: runtime())
        let values = (0..<60).map { Float($0 - 30) / 6 }
        let result = try session.run(["x": Tensor(shape: [3, 4, 5], values: values)])
        let y = try #require(result["y"])
        #expect(y.shape == [3, 4, 5])
        for (input, output) in zip(values, y.values) {
            #expect(abs(output - 1 / (1 + exp(-input))) < 1e-6)
        }
    }

    @Test func runsASecondModelWithItsOwnShapes() throws {
        let session = try Session(modelPath: Fixtures.model("test/mul_1.onnx"), runtime: runtime())
        let values: [Float] = [1, 2, 3, 4, 5, 6]
        let y = try #require(try session.run(["X": Tensor(shape: [3, 2], values: values)])["Y"])
        // mul_1 multiplies its input element-wise by a constant [[1, 2], [3, 4], [5, 6]].
        #expect(y.values == [1, 4, 9, 16, 25, 36])
    }

    @Test func missingModelFileIsAReadableError() throws {
        let error = #expect(throws: ORTError.self) {
            try Session(modelPath: "/nonexistent/model.onnx", runtime: runtime())
        }
        #expect(error?.code == ORTError.noSuchFile)
        #expect(error?.message.contains("/nonexistent/model.onnx") == true)
    }

    @Test func corruptModelIsAReadableError() throws {
        let folder = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("garbage.onnx").path
        try Data("this is not a protobuf model at all".utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: ORTError.self) { try Session(modelPath: path, runtime: runtime()) }
        #expect(error?.code == ORTError.invalidProtobuf)
        #expect(error?.message.isEmpty == false)
    }

    @Test func wrongInputShapeIsRejectedBeforeRunning() throws {
        let session = try Session(modelPath: Fixtures.model("test/sigmoid.onnx"), runtime: runtime())
        let error = #expect(throws: ORTError.self) {
            try session.run(["x": Tensor(shape: [2, 2], values: [0, 0, 0, 0])])
        }
        #expect(error?.code == ORTError.invalidArgument)
        #expect(error?.message.contains("[3, 4, 5]") == true)
    }

    @Test func unknownInputAndOutputNamesAreRejected() throws {
        let session = try Session(modelPath: Fixtures.model("test/sigmoid.onnx"), runtime: runtime())
        let tensor = try Tensor(shape: [3, 4, 5], values: [Float](repeating: 0, count: 60))
        #expect(throws: ORTError.self) { try session.run(["x": tensor, "nope": tensor]) }
        #expect(throws: ORTError.self) { try session.run(["x": tensor], outputs: ["nope"]) }
        #expect(throws: ORTError.self) { try session.run([:]) }
    }

    @Test func tensorShapeMustMatchItsValues() {
        #expect(throws: ORTError.self) { try Tensor(shape: [2, 3], values: [1, 2, 3]) }
        #expect(throws: ORTError.self) { try Tensor(shape: [0, 3], values: []) }
    }

    @Test func missingLibraryIsAReadableError() {
        let error = #expect(throws: ORTError.self) { try Runtime.shared(libraryPath: "/nonexistent/libonnxruntime.so") }
        #expect(error?.message.contains("not found") == true)
    }

    @Test func oneSessionServesConcurrentCallers() async throws {
        let session = try Session(modelPath: Fixtures.model("u2netp.onnx"), runtime: runtime())
        var values = [Float](repeating: 0, count: 3 * 320 * 320)
        for i in values.indices { values[i] = Float((i * 37) % 101) / 100 }
        let input = try Tensor(shape: [1, 3, 320, 320], values: values)
        let reference = try #require(try session.run(["input.1": input], outputs: ["1959"])["1959"])
        try await withThrowingTaskGroup(of: [Float].self) { group in
            for _ in 0..<3 {
                group.addTask { try session.run(["input.1": input], outputs: ["1959"])["1959"]!.values }
            }
            for try await values in group { #expect(values == reference.values) }
        }
        #expect(reference.shape == [1, 1, 320, 320])
    }
}
