import Foundation
import Imaging

/// A photo whose exact alpha is known: a real subject cut out of one real photo and composited onto the
/// scenery of another, so `alpha` is the ground truth by construction.
public struct TruthSample: Sendable {
    public var name: String
    public var photo: Image
    public var alpha: [UInt8]
}

public enum TruthSet {
    /// A folder of real photos with human-drawn masks: `NAME.jpg` (or `.png`) beside `NAME.png` masks, as
    /// scripts/truthset-real writes them (photos as JPEG, masks as PNG). Sorted by name.
    public static func load(realFolder folder: String) throws -> [TruthSample] {
        let root = URL(fileURLWithPath: folder)
        let photos = try FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "jpg" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        return try photos.map { url in
            let name = url.deletingPathExtension().lastPathComponent
            let photo = try Image.decode([UInt8](try Data(contentsOf: url)))
            let mask = try Image.decode([UInt8](try Data(contentsOf: root.appendingPathComponent(name + ".png")))).grayscale()
            guard mask.width == photo.width, mask.height == photo.height else {
                throw ImagingError.invalidArgument("\(name): the mask is \(mask.width)×\(mask.height), the photo \(photo.width)×\(photo.height)")
            }
            return TruthSample(name: name, photo: photo, alpha: try mask.pixels())
        }
    }

    /// For each source (photo + a mask of its subject), the subject is composited over the next source's
    /// photo, scaled to cover the frame and blurred like a shallow depth of field (a sharp scenery photo has
    /// salient objects of its own, and the set is meant to measure edges, not which object is the subject). The mask is hardened first (alpha' = clamp(4·(alpha − ½) + ½)),
    /// so the subjects have the crisp edges of real cut-outs rather than the mask's soft ramp.
    public static func make(_ sources: [(name: String, photo: Image, mask: Image)]) throws -> [TruthSample] {
        guard sources.count >= 2 else { throw ImagingError.invalidArgument("a truth set needs at least two photos") }
        return try sources.indices.map { index in
            let subject = sources[index]
            let scenery = sources[(index + 1) % sources.count].photo
            let width = subject.photo.width, height = subject.photo.height
            let sigma = Double(max(width, height)) / 150
            let background = try cover(scenery, width: width, height: height).removingAlpha().blurred(sigma: sigma).pixels()
            let foreground = try subject.photo.removingAlpha().pixels()
            let alpha = try subject.mask.pixels().map { value -> UInt8 in
                let hardened = (Double(value) - 127.5) * 4 + 127.5
                return UInt8(min(max(hardened, 0), 255).rounded())
            }
            var composite = [UInt8](repeating: 0, count: width * height * 3)
            for pixel in 0..<(width * height) {
                let a = Int(alpha[pixel])
                for channel in 0..<3 {
                    let i = pixel * 3 + channel
                    composite[i] = UInt8((Int(foreground[i]) * a + Int(background[i]) * (255 - a) + 127) / 255)
                }
            }
            let photo = try Image(pixels: composite, width: width, height: height, bands: 3)
            return TruthSample(name: subject.name, photo: photo, alpha: alpha)
        }
    }

    /// The photos of `folder` (JPEG and PNG, by name) with the masks of the same name in its
    /// `rembg-u2netp-masks/` subfolder: the layout of the shared samples.
    public static func sources(inFolder folder: String) throws -> [(name: String, photo: Image, mask: Image)] {
        let root = URL(fileURLWithPath: folder)
        let files = try FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: nil)
            .filter { ["jpg", "png"].contains($0.pathExtension) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        return try files.map { url in
            let name = url.deletingPathExtension().lastPathComponent
            let maskURL = root.appendingPathComponent("rembg-u2netp-masks/\(name).png")
            let photo = try Image.decode([UInt8](try Data(contentsOf: url)))
            let mask = try Image.decode([UInt8](try Data(contentsOf: maskURL))).grayscale()
            return (name, photo, mask)
        }
    }

    /// Scales `image` to cover `width`×`height` and crops the centre.
    static func cover(_ image: Image, width: Int, height: Int) throws -> Image {
        let scale = max(Double(width) / Double(image.width), Double(height) / Double(image.height))
        let w = max(width, Int((Double(image.width) * scale).rounded(.up)))
        let h = max(height, Int((Double(image.height) * scale).rounded(.up)))
        let scaled = try image.resized(width: w, height: h)
        return try scaled.cropped(left: (w - width) / 2, top: (h - height) / 2, width: width, height: height)
    }
}

/// One mask scored against the truth.
public struct MaskScore: Sendable {
    public var iou: Double, mae: Double, boundaryF: Double

    public init(_ mask: [UInt8], truth: [UInt8], width: Int, height: Int) {
        iou = MaskMetrics.iou(mask, truth)
        mae = MaskMetrics.meanAbsoluteError(mask, truth)
        boundaryF = MaskMetrics.boundaryF(mask, truth, width: width, height: height)
    }

    init(iou: Double, mae: Double, boundaryF: Double) { (self.iou, self.mae, self.boundaryF) = (iou, mae, boundaryF) }

    public static func mean(_ scores: [MaskScore]) -> MaskScore {
        let n = Double(max(scores.count, 1))
        return MaskScore(iou: scores.map(\.iou).reduce(0, +) / n, mae: scores.map(\.mae).reduce(0, +) / n,
                         boundaryF: scores.map(\.boundaryF).reduce(0, +) / n)
    }
}

public struct CutoutScore: Sendable {
    public var name: String
    public var raw: MaskScore, refined: MaskScore
    /// The refined mask of the mirrored average (test-time augmentation), when it was asked for.
    public var mirrored: MaskScore?
    /// The direct mask's uncertainty at the model's resolution: what `MirrorPolicy.auto` decides on.
    public var uncertainty: Double

    /// The refined mask's score under `policy` on a server with a spare session (as a sequential run has).
    public func score(under policy: MirrorPolicy) -> MaskScore {
        policy.mirrors(uncertainty: uncertainty) ? mirrored ?? refined : refined
    }
}

public enum CutoutEvaluation {
    /// The model's raw mask (rembg's) and Darkroom's refined one, each scored against the sample's truth; with
    /// `mirror`, also the refined mask of the mirrored average (a second inference per photo).
    public static func score(_ samples: [TruthSample], segmenter: Segmenter, refiner: MaskRefiner, mirror: Bool = false) throws -> [CutoutScore] {
        try samples.map { sample in
            let width = sample.photo.width, height = sample.photo.height
            let input = try segmenter.prepare(sample.photo)
            let probabilities = try segmenter.predict(input.tensor)
            let raw = try segmenter.maskImage(probabilities, width: width, height: height).pixels()
            let refined = try refiner.refine(probabilities, input: input).pixels()
            var score = CutoutScore(name: sample.name, raw: MaskScore(raw, truth: sample.alpha, width: width, height: height),
                                    refined: MaskScore(refined, truth: sample.alpha, width: width, height: height),
                                    uncertainty: Segmenter.uncertainty(of: probabilities))
            if mirror {
                let averaged = try segmenter.predictMirrored(input.tensor, direct: probabilities)
                score.mirrored = MaskScore(try refiner.refine(averaged, input: input).pixels(), truth: sample.alpha, width: width, height: height)
            }
            return score
        }
    }

    /// Mean scores of several refiner settings, from one inference per photo.
    public static func sweep(_ samples: [TruthSample], segmenter: Segmenter, refiners: [MaskRefiner], mirror: Bool = false) throws -> [MaskScore] {
        var scores = [[MaskScore]](repeating: [], count: refiners.count)
        for sample in samples {
            let input = try segmenter.prepare(sample.photo)
            let probabilities = mirror ? try segmenter.predictMirrored(input.tensor) : try segmenter.predict(input.tensor)
            for (index, refiner) in refiners.enumerated() {
                let mask = try refiner.refine(probabilities, input: input).pixels()
                scores[index].append(MaskScore(mask, truth: sample.alpha, width: sample.photo.width, height: sample.photo.height))
            }
        }
        return scores.map(MaskScore.mean)
    }
}
