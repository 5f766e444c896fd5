import Foundation
import Imaging
import ONNXRuntime

/// Salient-object segmentation: a photo in, a one-band 8-bit mask of the same size out (255 = subject).
/// One segmenter (one loaded model) serves every concurrent caller. It holds `sessions` ORT sessions and runs
/// at most that many inferences at once: on a small machine, sessions × intra-op threads ≈ cores keeps the
/// model from oversubscribing the CPU while other requests decode, refine and encode beside it. Such
/// sessions are slow for a request that is alone, so an optional solo session with more threads serves a caller
/// that finds the segmenter idle.
public final class Segmenter: @unchecked Sendable {
    public let model: SegmentationModel
    /// The regular sessions, then the solo session if there is one.
    let sessions: [Session]
    let inputName: String
    let outputName: String
    /// Idle regular sessions.
    private var idle: [Int]
    private let soloIndex: Int?
    private var soloIdle = true
    /// Callers blocked until a session is free.
    private var waiting = 0
    private let lock = NSCondition()

    var session: Session { sessions[0] }
    /// Regular sessions: inferences that run at once under load.
    public var sessionCount: Int { soloIndex ?? sessions.count }
    public var hasSoloSession: Bool { soloIndex != nil }

    public init(modelPath: String, runtime: Runtime, model: SegmentationModel? = nil,
                options: Session.Options = Session.Options(), sessions count: Int = 1, solo soloOptions: Session.Options? = nil) throws {
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
        idle = Array(sessions.indices)
        if let soloOptions {
            soloIndex = sessions.count
            sessions.append(try Session(modelPath: modelPath, runtime: runtime, options: soloOptions))
        } else {
            soloIndex = nil
        }
        self.sessions = sessions
        inputName = input.name
        outputName = session.outputs[model.outputIndex].name
    }

    /// Index of a session to run on, waiting for one when all regular sessions are busy: the solo session when
    /// the whole segmenter is idle and nobody else is asking, otherwise an idle regular one.
    func acquireSession() -> Int {
        lock.lock()
        defer { lock.unlock() }
        waiting += 1
        defer { waiting -= 1 }
        while true {
            if let solo = takeSoloIfAlone(callers: 1) { return solo }
            if let index = idle.popLast() { return index }
            lock.wait()
        }
    }

    /// The solo session, when it and every regular session are idle and `callers` are all who ask. Holds the lock.
    private func takeSoloIfAlone(callers: Int) -> Int? {
        guard let soloIndex, soloIdle, idle.count == sessionCount, waiting == callers else { return nil }
        soloIdle = false
        return soloIndex
    }

    func release(_ index: Int) {
        lock.lock()
        if index == soloIndex { soloIdle = true } else { idle.append(index) }
        lock.broadcast()
        lock.unlock()
    }

    /// A session that nobody is asking for: taken only when no caller waits and, after taking it, at least as
    /// many regular sessions stay idle as are busy, so a request that arrives now still finds one.
    func acquireSpareSession() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard waiting == 0 else { return nil }
        if let solo = takeSoloIfAlone(callers: 0) { return solo }
        let busy = sessionCount - idle.count + (soloIdle ? 0 : 1)
        guard !idle.isEmpty, idle.count - 1 >= busy else { return nil }
        return idle.removeLast()
    }

    /// Runs `body` on an idle session, waiting for one when all are busy.
    private func withIdleSession<T>(_ body: (Session) throws -> T) rethrows -> T {
        let index = acquireSession()
        defer { release(index) }
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
        // Every byte value's normalised float, per channel: the same arithmetic, done 768 times instead of per pixel.
        let table = (0..<3).flatMap { channel in (0..<256).map { (Float($0) / divisor - mean[channel]) / std[channel] } }
        values.withUnsafeMutableBufferPointer { out in
            pixels.withUnsafeBufferPointer { rgb in table.withUnsafeBufferPointer { table in
                for channel in 0..<3 {
                    let target = channel * plane, lookup = channel * 256
                    for index in 0..<plane { out[target + index] = table[lookup + Int(rgb[index * 3 + channel])] }
                }
            }}
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
        try withIdleSession { try predict(input, on: $0) }
    }

    private func predict(_ input: Tensor, on session: Session) throws -> [Float] {
        let outputs = try session.run([inputName: input], outputs: [outputName])
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
        try Image(pixels: maskPixels(probabilities, width: width, height: height), width: width, height: height, bands: 1)
    }

    /// The same mask's bytes.
    public func maskPixels(_ probabilities: [Float], width: Int, height: Int) -> [UInt8] {
        let side = model.inputSize
        let bytes = probabilities.map { UInt8($0 * 255) }
        return ReferenceResampler.resize(bytes, width: side, height: side, bands: 1, to: width, height)
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
        let direct = try known ?? predict(input)
        return Self.average(direct, try mirroredBack(predict(try mirroredInput(input))))
    }

    private static func average(_ direct: [Float], _ mirrored: [Float]) -> [Float] {
        zip(direct, mirrored).map { ($0 + $1) / 2 }
    }

    private func mirroredInput(_ input: Tensor) throws -> Tensor {
        try Tensor(shape: input.shape, values: mirrorRows(input.values, planes: 3))
    }

    private func mirroredBack(_ mask: [Float]) -> [Float] { mirrorRows(mask, planes: 1) }

    private func mirrorRows(_ values: [Float], planes: Int) -> [Float] {
        let side = model.inputSize
        var out = values
        for plane in 0..<planes {
            for y in 0..<side {
                let row = plane * side * side + y * side
                for x in 0..<side { out[row + x] = values[row + side - 1 - x] }
            }
        }
        return out
    }
}

/// When to average the mask with the mirrored photo's (test-time augmentation: a second inference).
public enum MirrorPolicy: Sendable, Equatable {
    case never
    /// When the direct mask's uncertainty (at the model's resolution) exceeds the threshold and a session is
    /// spare (`Segmenter.acquireSpareSession`): a saturated server gives up the mirror, not requests per second.
    case whenSpare(uncertainAbove: Double)
    case always

    /// On the real truth set, uncertainty above 0.3 picks 17 % of the photos for most of the mirror's gain.
    public static let auto = MirrorPolicy.whenSpare(uncertainAbove: 0.3)
    /// Every mask, whenever a session is spare.
    public static let spare = MirrorPolicy.whenSpare(uncertainAbove: -1)

    /// Whether a mask this uncertain gets the mirror when a session is spare.
    public func mirrors(uncertainty: Double) -> Bool {
        switch self {
        case .never: return false
        case .always: return true
        case .whenSpare(let threshold): return uncertainty > threshold
        }
    }

    public init?(_ text: String) {
        switch text.lowercased() {
        case "off", "false", "never": self = .never
        case "auto": self = .auto
        case "spare": self = .spare
        case "on", "true", "always": self = .always
        default: return nil
        }
    }
}

extension Segmenter {
    /// The share of ambiguous pixels of a mask at the model's resolution (see `Uncertainty`).
    public static func uncertainty(of probabilities: [Float]) -> Double {
        Uncertainty.score(mask: probabilities.map { UInt8(min(max($0, 0), 1) * 255) })
    }

    /// The model's mask under `policy`: one inference, or two where the policy asks for the mirror.
    public func predict(_ input: Tensor, mirror policy: MirrorPolicy) throws -> (values: [Float], mirrored: Bool) {
        switch policy {
        case .never: return (try predict(input), false)
        case .always: return (try predictMirrored(input), true)
        case .whenSpare:
            let direct = try predict(input)
            guard policy.mirrors(uncertainty: Self.uncertainty(of: direct)), let spare = acquireSpareSession() else { return (direct, false) }
            defer { release(spare) }
            return (Self.average(direct, try mirroredBack(predict(try mirroredInput(input), on: sessions[spare]))), true)
        }
    }
}
