import Foundation
import Imaging
import ONNXRuntime

/// Finds text lines with a PP-OCR DB detector (PaddleOCR's differentiable-binarisation model) through ONNX
/// Runtime. Preprocessing follows RapidOCR: RGB scaled to 0…1, normalised with mean 0.5 and std 0.5, fed in
/// BGR order (the models were trained on OpenCV images), at a size whose sides are multiples of 32.
/// One detector (one loaded model) serves every concurrent caller.
public final class TextDetector: Sendable {
    let session: Session
    let inputName: String
    let outputName: String
    public let modelPath: String
    public let postProcessing: DBPostProcessing
    /// The shorter side is brought up to at least this (RapidOCR's `limit_side_len` with `limit_type: min`)…
    public let minimumShortSide: Int
    /// …and the longer side down to at most this, so that a large photo costs a bounded inference.
    public let maximumLongSide: Int
    /// Input scales relative to that size. With more than one, the probability maps are fused by their
    /// per-pixel maximum at the largest scale before post-processing: small text that the first pass blurs
    /// away is found by a larger one, large text keeps the first pass's whole-line response.
    public let scales: [Double]
    /// Extra passes on the photo turned by these angles in degrees (`TextDetector+Passes.swift`). None by
    /// default: on the text benchmark's held-out seeds they gained nothing measurable for 0.4 s/MP.
    public let turnedPasses: [Double]
    public static let defaultTurnedPasses: [Double] = []
    /// An extra pass on the photo with its colours stretched by this factor, or none (`TextDetector+Passes.swift`).
    public let colourStretch: Float?
    public static let defaultColourStretch: Float? = 3

    public init(modelPath: String, runtime: Runtime, options: Session.Options = Session.Options(),
                postProcessing: DBPostProcessing = DBPostProcessing(), minimumShortSide: Int = 736,
                maximumLongSide: Int = 1536, scales: [Double] = [1], turnedPasses: [Double] = defaultTurnedPasses,
                colourStretch: Float? = defaultColourStretch) throws {
        let session = try Session(modelPath: modelPath, runtime: runtime, options: options)
        guard let input = session.inputs.first, session.inputs.count == 1, input.shape.count == 4,
              let output = session.outputs.first else {
            throw SegmentationError.unexpectedModel("a DB text detector has one NCHW input and a probability map output")
        }
        self.session = session
        self.modelPath = modelPath
        inputName = input.name
        outputName = output.name
        self.postProcessing = postProcessing
        self.minimumShortSide = minimumShortSide
        self.maximumLongSide = maximumLongSide
        self.scales = scales.isEmpty ? [1] : scales
        self.turnedPasses = turnedPasses.filter { $0 != 0 }
        self.colourStretch = colourStretch.flatMap { $0 > 1 ? $0 : nil }
    }

    /// The size the model sees for a `width`×`height` photo: multiples of 32, short side ≥ `minimumShortSide`
    /// unless that would push the long side past `maximumLongSide`.
    public func inputSize(width: Int, height: Int, scale: Double = 1) -> (width: Int, height: Int) {
        let short = Double(min(width, height)), long = Double(max(width, height))
        var ratio = max(1, Double(minimumShortSide) / short)
        ratio = min(ratio, Double(maximumLongSide) / long) * scale
        func snap(_ side: Double) -> Int { max(32, Int((side / 32).rounded()) * 32) }
        return (snap(Double(width) * ratio), snap(Double(height) * ratio))
    }

    /// The probability map (0…1) at the model's input size, and that size.
    public func probabilities(_ photo: Image, scale: Double = 1) throws -> (map: [Float], width: Int, height: Int) {
        let colour = try photo.removingAlpha()
        let size = inputSize(width: colour.width, height: colour.height, scale: scale)
        let resized = try colour.resized(width: size.width, height: size.height, kernel: .linear)
        let rgb = try resized.pixels()
        let plane = size.width * size.height
        var values = [Float](repeating: 0, count: 3 * plane)
        values.withUnsafeMutableBufferPointer { out in
            rgb.withUnsafeBufferPointer { pixels in
                for index in 0..<plane {
                    for channel in 0..<3 {
                        // Channel 0 of the tensor is blue.
                        out[channel * plane + index] = Float(pixels[index * 3 + 2 - channel]) / 127.5 - 1
                    }
                }
            }
        }
        let tensor = try Tensor(shape: [1, 3, size.height, size.width], values: values)
        let outputs = try session.run([inputName: tensor], outputs: [outputName])
        guard let output = outputs[outputName], output.values.count == plane else {
            throw SegmentationError.unexpectedModel("output '\(outputName)' is not one \(size.width)x\(size.height) map")
        }
        return (output.values, size.width, size.height)
    }

    /// Text lines in photo coordinates: the level pass's, then what the extra passes add. The level pass's blobs
    /// that cannot be a line (`DBPostProcessing.isLine`) are dropped before the extra passes look beside its
    /// lines, so a blob hides none of theirs; theirs are at least twice as long as high, never blobs.
    public func detect(_ photo: Image) throws -> [TextRegion] {
        var regions = try detectLevel(photo).filter { postProcessing.isLine($0, width: photo.width, height: photo.height) }
        if let colourStretch { regions += try extraColourLines(photo, stretch: colourStretch, besides: regions) }
        for degrees in turnedPasses { regions += try extraTurnedLines(photo, degrees: degrees, besides: regions) }
        return regions
    }

    func detectLevel(_ photo: Image) throws -> [TextRegion] {
        let (map, width, height) = try fusedProbabilities(photo)
        return postProcessing.regions(probabilities: map, width: width, height: height,
                                      scaleX: Double(photo.width) / Double(width), scaleY: Double(photo.height) / Double(height))
    }

    /// The maps of every scale, fused by maximum at the largest one's size (bilinear upsampling of the others).
    func fusedProbabilities(_ photo: Image) throws -> (map: [Float], width: Int, height: Int) {
        let maps = try scales.map { try probabilities(photo, scale: $0) }
        guard var fused = maps.max(by: { $0.width * $0.height < $1.width * $1.height }), maps.count > 1 else { return maps[0] }
        for other in maps where other.width != fused.width || other.height != fused.height {
            let sx = Double(other.width) / Double(fused.width), sy = Double(other.height) / Double(fused.height)
            for y in 0..<fused.height {
                let fy = max((Double(y) + 0.5) * sy - 0.5, 0)
                let y0 = min(Int(fy), other.height - 1), y1 = min(y0 + 1, other.height - 1)
                let wy = Float(fy - Double(y0))
                for x in 0..<fused.width {
                    let fx = max((Double(x) + 0.5) * sx - 0.5, 0)
                    let x0 = min(Int(fx), other.width - 1), x1 = min(x0 + 1, other.width - 1)
                    let wx = Float(fx - Double(x0))
                    let top = other.map[y0 * other.width + x0] * (1 - wx) + other.map[y0 * other.width + x1] * wx
                    let bottom = other.map[y1 * other.width + x0] * (1 - wx) + other.map[y1 * other.width + x1] * wx
                    let value = top * (1 - wy) + bottom * wy
                    let i = y * fused.width + x
                    if value > fused.map[i] { fused.map[i] = value }
                }
            }
        }
        return fused
    }
}
