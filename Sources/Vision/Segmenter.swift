import Foundation
import Imaging
import ONNXRuntime

/// Salient-object segmentation: a photo in, a one-band 8-bit mask of the same size out (255 = subject).
/// One segmenter (one loaded model) serves every concurrent caller. It holds `sessions` ORT sessions and runs
/// at most that many inferences at once: on a small machine, sessions × intra-op threads ≈ cores keeps the
/// model from oversubscribing the CPU while other requests decode, refine and encode beside it.
public final class Segmenter: @unchecked Sendable {
    public let model: SegmentationModel
    let sessions: [Session]
    let inputName: String
    let outputName: String
    private var idle: [Int]
    private let lock = NSCondition()

    var session: Session { sessions[0] }
    public var sessionCount: Int { sessions.count }

    public init(modelPath: String, runtime: Runtime, model: SegmentationModel? = nil,
                options: Session.Options = Session.Options(), sessions count: Int = 1) throws {
        let model = try model ?? SegmentationModel.describing(modelAt: modelPath)
        let session = try Session(modelPath: modelPath, runtime: runtime, options: options)
        guard let input = session.inputs.first, session.inputs.count == 1 else {
            throw SegmentationError.unexpectedModel("expected one input, found \(session.inputs.count)")
        }
        guard input.accepts([1, 3, model.inputSize, model.inputSize]) else {
            throw SegmentationError.unexpectedModel("input '\(input.name)' is \(input.shape), not [1, 3, \(model.inputSize), \(model.inputSize)]")
        }
        guard model.outputIndex < session.outputs.count else {
            throw SegmentationError.unexpectedModel("output \(model.outputIndex) requested, the model has \(session.outputs.count)")
        }
        self.model = model
        var sessions = [session]
        while sessions.count < max(1, count) { sessions.append(try Session(modelPath: modelPath, runtime: runtime, options: options)) }
        self.sessions = sessions
        idle = Array(sessions.indices)
        inputName = input.name
        outputName = session.outputs[model.outputIndex].name
    }

    /// Runs `body` on an idle session, waiting for one when all are busy.
    private func withIdleSession<T>(_ body: (Session) throws -> T) rethrows -> T {
        lock.lock()
        while idle.isEmpty { lock.wait() }
        let index = idle.removeLast()
        lock.unlock()
        defer {
            lock.lock()
            idle.append(index)
            lock.signal()
            lock.unlock()
        }
        return try body(sessions[index])
    }

    /// The model's mask at the photo's size, before any refinement.
    public func rawMask(for photo: Image) throws -> Image {
        let input = try prepare(photo)
        return try maskImage(try predict(input.tensor), width: photo.width, height: photo.height)
    }

    /// The photo as the model's input: resized to the square input, scaled, normalised, planar RGB.
    public func prepare(_ photo: Image) throws -> ModelInput {
        let side = model.inputSize
        let colour = try photo.removingAlpha()
        let full = try colour.pixels()
        let pixels = ReferenceResampler.resize(full, width: colour.width, height: colour.height, bands: 3, to: side, side)
        let divisor: Float = model.scaleByMaximum ? Float(max(pixels.max() ?? 1, 1)) : 255
        let plane = side * side
        var values = [Float](repeating: 0, count: 3 * plane)
        let mean = model.mean, std = model.std
        values.withUnsafeMutableBufferPointer { out in
            pixels.withUnsafeBufferPointer { rgb in
                for index in 0..<plane {
                    for channel in 0..<3 {
                        out[channel * plane + index] = (Float(rgb[index * 3 + channel]) / divisor - mean[channel]) / std[channel]
                    }
                }
            }
        }
        return ModelInput(side: side, pixels: pixels, tensor: try Tensor(shape: [1, 3, side, side], values: values),
                          photoPixels: full, photoWidth: colour.width, photoHeight: colour.height)
    }

    /// An input of one constant value and no image work behind it: what bare inference is timed on, and what
    /// the health probe runs.
    public func blankInput(value: Float = 0) throws -> Tensor {
        let side = model.inputSize
        return try Tensor(shape: [1, 3, side, side], values: [Float](repeating: value, count: 3 * side * side))
    }

    /// Runs the model; returns the mask plane at input size with values in [0, 1].
    public func predict(_ input: Tensor) throws -> [Float] {
        let outputs = try withIdleSession { try $0.run([inputName: input], outputs: [outputName]) }
        guard let output = outputs[outputName], output.values.count == model.inputSize * model.inputSize else {
            throw SegmentationError.unexpectedModel("output '\(outputName)' is not one \(model.inputSize)² plane")
        }
        var values = output.values
        if model.sigmoid { values = values.map { 1 / (1 + exp(-$0)) } }
        if model.minMaxNormalize, let low = values.min(), let high = values.max(), high > low {
            let range = high - low
            values = values.map { ($0 - low) / range }
        }
        return values.map { min(max($0, 0), 1) }
    }

    /// The input-size probabilities as an 8-bit mask resized to the photo. Values are truncated to 8 bits
    /// the way rembg does (`astype(uint8)`), so the raw mask matches the model's reference integration.
    public func maskImage(_ probabilities: [Float], width: Int, height: Int) throws -> Image {
        let side = model.inputSize
        let bytes = probabilities.map { UInt8($0 * 255) }
        let full = ReferenceResampler.resize(bytes, width: side, height: side, bands: 1, to: width, height)
        return try Image(pixels: full, width: width, height: height, bands: 1)
    }
}

/// A photo prepared for the model, kept together with what refinement needs of it.
public struct ModelInput: Sendable {
    /// Side of the model's square input.
    public var side: Int
    /// The photo resized to side×side, interleaved RGB: what the model saw.
    public var pixels: [UInt8]
    public var tensor: Tensor
    /// The photo at full size, interleaved RGB.
    public var photoPixels: [UInt8]
    public var photoWidth: Int
    public var photoHeight: Int
}

extension Segmenter {
    /// The ONNX Runtime version running the model, for health checks.
    public var runtimeVersion: String { session.runtime.version }
}

extension Segmenter {
    /// Test-time augmentation: the mean of the model's mask for the input and for its mirror image (mirrored
    /// back). Two inferences; `darkroom eval --mirror` measures whether it pays.
    public func predictMirrored(_ input: Tensor, direct known: [Float]? = nil) throws -> [Float] {
        let side = model.inputSize
        func mirror(_ values: [Float], planes: Int) -> [Float] {
            var out = values
            for plane in 0..<planes {
                for y in 0..<side {
                    let row = plane * side * side + y * side
                    for x in 0..<side { out[row + x] = values[row + side - 1 - x] }
                }
            }
            return out
        }
        let direct = try known ?? predict(input)
        let mirrored = mirror(try predict(try Tensor(shape: input.shape, values: mirror(input.values, planes: 3))), planes: 1)
        return zip(direct, mirrored).map { ($0 + $1) / 2 }
    }
}

/// When to average the mask with the mirrored photo's (test-time augmentation).
public enum MirrorPolicy: Sendable, Equatable {
    case never
    /// Only when the direct mask's uncertainty (at the model's resolution) exceeds the threshold: on the real
    /// truth set, 0.3 mirrors 17 % of the photos for most of the mirror's gain.
    case whenUncertain(above: Double)
    case always

    public static let auto = MirrorPolicy.whenUncertain(above: 0.3)

    public init?(_ text: String) {
        switch text.lowercased() {
        case "off", "false", "never": self = .never
        case "auto": self = .auto
        case "on", "true", "always": self = .always
        default: return nil
        }
    }
}

extension Segmenter {
    /// The model's mask under `policy`: one inference, or two where the policy asks for the mirror.
    public func predict(_ input: Tensor, mirror policy: MirrorPolicy) throws -> [Float] {
        switch policy {
        case .never: return try predict(input)
        case .always: return try predictMirrored(input)
        case .whenUncertain(let threshold):
            let direct = try predict(input)
            let uncertainty = Uncertainty.score(mask: direct.map { UInt8(min(max($0, 0), 1) * 255) })
            return uncertainty > threshold ? try predictMirrored(input, direct: direct) : direct
        }
    }
}
