import Foundation
import Imaging

/// The `background.prompt` branch of the background step: prompt → scene → pixels (or the operator's remote
/// generator), the scene's light for shadows and relighting, and the response headers.
enum GeneratedBackgroundLayer {
    static let seedHeader = "pr-ai-background-seed"
    static let unusedWordsHeader = "x-darkroom-prompt-unused"
    static let headerSafe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyz")

    static func make(_ options: GeneratedBackgroundOptions, context: inout EditContext, pipeline: Pipeline) throws -> Image {
        let placement = context.placement!
        let width = placement.canvasWidth, height = placement.canvasHeight
        let seed = options.seed ?? UInt32.random(in: .min ... .max)
        let parsed = PromptParser.parse(options.prompt)

        // Only the v2 model honours the negative prompt (spec 4.3.3).
        var excludedMaterials: Set<Material> = [], excludedColors: [SceneColor] = []
        if options.modelVersion == .v2, let negative = options.negativePrompt {
            let excluded = PromptParser.parse(negative)
            excludedMaterials = Set(excluded.materials)
            excludedColors = excluded.colors
        }
        var scene = ResolvedScene.resolve(parsed.scene, seed: seed, options: options,
                                          excludedMaterials: excludedMaterials, excludedColors: excludedColors)
        // The spec gives guidance to the newer models only.
        var guidance: GuidanceStyle?
        if options.modelVersion != .v2, let bytes = context.input.guidanceImage {
            guidance = try GuidanceStyle(bytes: bytes, maxPixels: pipeline.decodeOptions.maxPixels)
            guidance?.restyle(&scene, strength: options.guidanceScale)
        }

        let subjectAlpha = try context.subject?.alpha()
        let frame = try subjectAlpha?.boundingBox(above: 16).map {
            SubjectFrame(left: Double($0.x), top: Double($0.y), right: Double($0.x + $0.width), bottom: Double($0.y + $0.height))
        }

        var layer: Image
        if let generator = pipeline.backgroundGenerator {
            let mask = try subjectAlpha ?? Image.solid(.black, width: width, height: height, withAlpha: false).grayscale()
            let request = BackgroundGenerationRequest(
                prompt: options.prompt, negativePrompt: options.negativePrompt, seed: seed, width: width, height: height,
                modelVersion: options.modelVersion.rawValue, subjectMaskPNG: try mask.encoded(as: .png()),
                guidanceImage: context.input.guidanceImage, guidanceScale: context.input.guidanceImage == nil ? nil : options.guidanceScale)
            let bytes = try generator.generate(request)
            let image: Image
            do {
                image = try Image.decode(bytes, options: pipeline.decodeOptions)
            } catch {
                throw EditError.backgroundGeneratorFailed(message: "its answer is not an image Darkroom can read (\(error))")
            }
            layer = try BackgroundStep.scale(image, width: width, height: height, scaling: .fill)
        } else {
            layer = try SceneRenderer(scene: scene, seed: seed).render(width: width, height: height, subject: frame)
            if let guidance { layer = try guidance.transfer(onto: layer, strength: options.guidanceScale * 0.6) }
        }

        context.light = scene.light
        context.responseHeaders.append((seedHeader, String(seed)))
        if !parsed.unused.isEmpty {
            // Header values are ASCII: other letters are percent-encoded as UTF-8.
            let words = parsed.unused.map { $0.addingPercentEncoding(withAllowedCharacters: headerSafe) ?? $0 }
            context.responseHeaders.append((unusedWordsHeader, words.joined(separator: " ")))
        }
        return layer
    }
}

/// The procedural generator on its own, for benchmarks and tools: a scene for `prompt` at `width`×`height`
/// with the subject standing in the middle of the canvas, as the background step would draw it.
public enum ProceduralBackground {
    public static func render(prompt: String, seed: UInt32, width: Int, height: Int,
                              modelVersion: GeneratedBackgroundOptions.ModelVersion = .v3) throws -> Image {
        var options = GeneratedBackgroundOptions(prompt: prompt)
        options.modelVersion = modelVersion
        let scene = ResolvedScene.resolve(PromptParser.parse(prompt).scene, seed: seed, options: options,
                                          excludedMaterials: [], excludedColors: [])
        let w = Double(width), h = Double(height)
        let subject = SubjectFrame(left: w * 0.35, top: h * 0.25, right: w * 0.65, bottom: h * 0.8)
        return try SceneRenderer(scene: scene, seed: seed).render(width: width, height: height, subject: subject)
    }
}
