import Foundation
import Imaging
import ONNXRuntime
import Testing
import TestSupport
import Vision
@testable import Editing

/// The procedural scene generator behind `background.prompt`: prompt parsing, scene choices, pixels, the
/// scene's light and the response headers. Images are small so the debug build stays quick.
@Suite struct GeneratedBackgroundTests {
    static let subject = SubjectFrame(left: 60, top: 30, right: 100, bottom: 95)

    func options(_ prompt: String, version: GeneratedBackgroundOptions.ModelVersion = .v3,
                 expand: GeneratedBackgroundOptions.ExpandMode = .auto, negative: String? = nil) -> GeneratedBackgroundOptions {
        var options = GeneratedBackgroundOptions(prompt: prompt)
        options.modelVersion = version
        options.expand = expand
        options.negativePrompt = negative
        return options
    }

    func scene(_ options: GeneratedBackgroundOptions, seed: UInt32 = 1) -> ResolvedScene {
        var materials: Set<Material> = [], colors: [SceneColor] = []
        if options.modelVersion == .v2, let negative = options.negativePrompt {
            let parsed = PromptParser.parse(negative)
            materials = Set(parsed.materials); colors = parsed.colors
        }
        return ResolvedScene.resolve(PromptParser.parse(options.prompt).scene, seed: seed, options: options,
                                     excludedMaterials: materials, excludedColors: colors)
    }

    func render(_ prompt: String, seed: UInt32 = 1, version: GeneratedBackgroundOptions.ModelVersion = .v3) throws -> [UInt8] {
        let scene = scene(options(prompt, version: version), seed: seed)
        return try SceneRenderer(scene: scene, seed: seed).render(width: 160, height: 120, subject: Self.subject).pixels()
    }

    /// Mean red, green and blue (0…255) of RGBA pixels.
    func mean(_ pixels: [UInt8]) -> (red: Double, green: Double, blue: Double) {
        var sum = [0.0, 0, 0]
        for i in stride(from: 0, to: pixels.count, by: 4) { for c in 0..<3 { sum[c] += Double(pixels[i + c]) } }
        let n = Double(pixels.count / 4)
        return (sum[0] / n, sum[1] / n, sum[2] / n)
    }

    func luminance(_ pixels: [UInt8]) -> Double {
        let m = mean(pixels)
        return 0.2126 * m.red + 0.7152 * m.green + 0.0722 * m.blue
    }

    func meanDifference(_ a: [UInt8], _ b: [UInt8]) -> Double {
        zip(a, b).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) } / Double(a.count)
    }

    // MARK: Prompt → scene

    @Test func parserBindsColoursAndMaterialsToTheSurfacesTheyDescribe() {
        let parsed = PromptParser.parse("A dark walnut table in front of a sage wall, golden hour")
        #expect(parsed.scene.floor.material == .walnut && parsed.scene.floor.tones == [.dark])
        #expect(parsed.scene.onTable && parsed.scene.inFrontOfWall)
        #expect(parsed.scene.wall.color == SceneColor.hex(0x9CAF88))
        #expect(parsed.scene.light == .goldenHour)
        #expect(parsed.unused.isEmpty)

        let kitchen = PromptParser.parse("white marble kitchen with soft light")
        #expect(kitchen.scene.setting == .kitchen && kitchen.scene.floor.material == .marble)
        #expect(kitchen.scene.floor.color == SceneColor(1, 1, 1) && kitchen.scene.light == .soft)
        #expect(kitchen.scene.sceneTones.isEmpty, "'light' after a lighting word names the light, not a lighter colour")

        let natural = PromptParser.parse("oak floor, natural light")
        #expect(natural.scene.light == .soft && natural.scene.sceneTones.isEmpty && natural.scene.floor.material == .oak)
        let grey = PromptParser.parse("light grey wall")
        #expect(grey.scene.wall.tones == [.light] && grey.scene.wall.color == SceneColor.hex(0x9A9A9A))
    }

    @Test func parserLemmatisesAndMatchesPhrases() {
        let parsed = PromptParser.parse("Close-up on linen tablecloths, living room, tiled walls, pedestals")
        #expect(parsed.scene.closeUp && parsed.scene.setting == .livingRoom)
        #expect(parsed.scene.floor.material == .linen && parsed.scene.wall.material == .tiles)
        #expect(parsed.scene.props == [.pedestal])

        let pool = PromptParser.parse("pool water, sand")
        #expect(pool.scene.floor.material == .water && pool.scene.wall.material == nil, "water and sand are never walls")
    }

    @Test func wordsTheGeneratorCannotUseAreReported() {
        let parsed = PromptParser.parse("a marble table with unicorns and a dragon, 4k")
        #expect(parsed.unused == ["unicorns", "dragon", "k"])
        #expect(parsed.scene.floor.material == .marble)
    }

    @Test func negativePromptExcludesMaterialsAndColoursOnlyForModel2() {
        let v2 = scene(options("marble kitchen", version: .v2, negative: "marble, pink"))
        #expect(v2.floorMaterial != .marble)
        let v3 = scene(options("marble kitchen", version: .v3, negative: "marble"))
        #expect(v3.floorMaterial == .marble)
        let pink = scene(options("pink studio", version: .v2, negative: "pink"))
        #expect(pink.wallColor.distance(to: SceneColor.hex(0xFFC0CB)) > 0.35)
    }

    @Test func expandAutoFillsOpenPartsAndNeverLeavesThemPlain() {
        let autoWalls = Set((UInt32(1)...12).map { seed in "\(scene(options("on a table"), seed: seed).wallColor)" })
        #expect(autoWalls.count > 3, "ai.auto should vary the open wall colour with the seed")
        for seed: UInt32 in 1...6 {
            let plain = scene(options("on a table", expand: .never), seed: seed)
            #expect(plain.wallMaterial == .plaster && plain.wallColor == Material.plaster.defaultColor)
            #expect(plain.props.isEmpty && plain.mood == .soft)
        }
    }

    @Test func studioModelIsCalmerWithASeamlessSweepAndSofterLight() {
        let v3 = scene(options("kitchen"), seed: 3), studio = scene(options("kitchen", version: .studio), seed: 3)
        #expect(studio.seamlessSweep && !v3.seamlessSweep)
        #expect(studio.light.softness > v3.light.softness)
        #expect(studio.textureContrast < v3.textureContrast && studio.props.isEmpty)
    }

    @Test func sceneLightFollowsTheMood() {
        let sunset = scene(options("sunset beach")).light
        #expect(sunset.elevation < 20 && sunset.tint.red > sunset.tint.blue)
        let backlit = scene(options("backlit studio")).light
        #expect(abs(backlit.shadowDirection - 180) <= 25, "backlight throws the shadow towards the camera")
        let soft = scene(options("soft studio")).light, bright = scene(options("bright studio")).light
        #expect(soft.softness > bright.softness)
    }

    @Test func horizonSitsAboveTheSubjectsFeet() {
        let renderer = SceneRenderer(scene: scene(options("wooden table")), seed: 1)
        for frame in [Self.subject, SubjectFrame(left: 10, top: 5, right: 150, bottom: 119), SubjectFrame(left: 50, top: 60, right: 70, bottom: 80)] {
            let geometry = renderer.geometry(width: 160, height: 120, subject: frame)
            #expect(geometry.horizon * 120 < frame.bottom - 2, "the subject must stand on the floor: \(frame)")
        }
    }

    // MARK: Pixels

    @Test func sameSeedPromptAndSizeArePixelIdentical() throws {
        let first = try render("white marble kitchen, soft light", seed: 42)
        let again = try render("white marble kitchen, soft light", seed: 42)
        #expect(first == again)
        let other = try render("white marble kitchen, soft light", seed: 43)
        #expect(meanDifference(first, other) > 0.5, "another seed should move texture, layout or colour")
    }

    @Test func darkWalnutTableIsDarkerThanWhiteMarbleKitchen() throws {
        for seed: UInt32 in [1, 2] {
            let walnut = luminance(try render("dark walnut table", seed: seed))
            let marble = luminance(try render("white marble kitchen", seed: seed))
            #expect(walnut + 40 < marble, "walnut \(walnut) vs marble \(marble)")
        }
    }

    @Test func sunsetBeachIsWarmerThanANoonBeach() throws {
        for seed: UInt32 in [1, 2] {
            let sunset = mean(try render("sunset beach", seed: seed)), noon = mean(try render("bright beach", seed: seed))
            #expect(sunset.red - sunset.blue > noon.red - noon.blue + 20, "sunset \(sunset) vs noon \(noon)")
        }
    }

    @Test func lightFallsOffAwayFromTheLightsSide() throws {
        // A plain wall lit from one side is brighter on that side.
        var scene = scene(options("plain grey studio", expand: .never))
        scene.light = SceneLight(azimuth: 90, elevation: 40, softness: 0.2)
        let image = try SceneRenderer(scene: scene, seed: 1).render(width: 160, height: 120, subject: Self.subject)
        let left = try image.cropped(left: 5, top: 10, width: 20, height: 20).pixels()
        let right = try image.cropped(left: 135, top: 10, width: 20, height: 20).pixels()
        #expect(luminance(right) > luminance(left) + 5)
    }

    // MARK: In the pipeline's background step

    static let pipeline: Pipeline = {
        let runtime = try! Runtime.shared(libraryPath: Fixtures.runtimeLibrary)
        return Pipeline(segmenter: try! Segmenter(modelPath: Fixtures.model("u2netp.onnx"), runtime: runtime))
    }()

    /// A context as the background step finds it: a 160×120 canvas with a subject standing in `subject`.
    func context(_ options: GeneratedBackgroundOptions, guidance: [UInt8]? = nil) throws -> EditContext {
        var edit = EditOptions()
        edit.generatedBackground = options
        var context = EditContext(input: EditInput(image: [], guidanceImage: guidance, options: edit))
        context.placement = Placement(canvasWidth: 160, canvasHeight: 120, scale: 1, x: 0, y: 0)
        var alpha = [UInt8](repeating: 0, count: 160 * 120)
        for y in 30..<95 { for x in 60..<100 { alpha[y * 160 + x] = 255 } }
        let mask = try Image(pixels: alpha, width: 160, height: 120, bands: 1)
        context.subject = try Image.solid(.white, width: 160, height: 120, withAlpha: false).withAlpha(mask)
        return context
    }

    @Test func layerSetsTheSceneLightAndReportsSeedAndUnusedWords() throws {
        var options = options("sunset beach with seagulls")
        options.seed = 7
        var context = try self.context(options)
        let layer = try GeneratedBackgroundLayer.make(options, context: &context, pipeline: Self.pipeline)
        #expect(layer.width == 160 && layer.height == 120)
        #expect(try layer.alpha().map { try $0.boundingBox(above: 254) } == PixelRect(x: 0, y: 0, width: 160, height: 120))
        #expect(context.light == scene(options, seed: 7).light && context.light.elevation < 20)
        #expect(context.responseHeaders.first { $0.name == "pr-ai-background-seed" }?.value == "7")
        #expect(context.responseHeaders.first { $0.name == "x-darkroom-prompt-unused" }?.value == "seagulls")

        var foreign = self.options("café sur la plage, sunset")
        foreign.seed = 1
        var accented = try self.context(foreign)
        _ = try GeneratedBackgroundLayer.make(foreign, context: &accented, pipeline: Self.pipeline)
        let unused = accented.responseHeaders.first { $0.name == "x-darkroom-prompt-unused" }?.value
        #expect(unused == "caf%C3%A9 sur la plage", "header values must stay ASCII")

        var unseeded = options
        unseeded.seed = nil
        var drawn = try self.context(unseeded)
        _ = try GeneratedBackgroundLayer.make(unseeded, context: &drawn, pipeline: Self.pipeline)
        let seed = drawn.responseHeaders.first { $0.name == "pr-ai-background-seed" }?.value
        #expect(seed.flatMap(UInt32.init) != nil)
    }

    @Test func guidanceImageMovesThePaletteWithItsScale() throws {
        let orange = try Image.solid(RGBA(240, 120, 20), width: 32, height: 32, withAlpha: false).encoded(as: .png())
        func meanColour(scale: Double?) throws -> (red: Double, green: Double, blue: Double) {
            var options = options("grey concrete studio")
            options.seed = 3
            if let scale { options.guidanceScale = scale }
            var context = try self.context(options, guidance: scale == nil ? nil : orange)
            return mean(try GeneratedBackgroundLayer.make(options, context: &context, pipeline: Self.pipeline).pixels())
        }
        let none = try meanColour(scale: nil), zero = try meanColour(scale: 0), weak = try meanColour(scale: 0.3), full = try meanColour(scale: 1)
        #expect(abs(zero.red - none.red) < 1 && abs(zero.blue - none.blue) < 1, "scale 0 ignores the guide")
        func distance(_ c: (red: Double, green: Double, blue: Double)) -> Double {
            ((c.red - 240) * (c.red - 240) + (c.green - 120) * (c.green - 120) + (c.blue - 20) * (c.blue - 20)).squareRoot()
        }
        #expect(distance(full) < distance(weak) && distance(weak) < distance(none), "\(none) \(weak) \(full)")
        #expect(full.red - full.blue > 100)
    }
}

/// The generated scene's light reaches the shadow step through the pipeline.
@Suite(.serialized) struct GeneratedSceneLightTests {
    /// Where the shadow's darkening lies: the mean row of pixels the shadow made darker.
    func shadowRow(prompt: String) throws -> Double {
        let pipeline = GeneratedBackgroundTests.pipeline
        let photo = try Fixtures.bytes(Fixtures.samples.appendingPathComponent("rembg_car-1.jpg"))
        func render(_ extra: [(String, String)]) throws -> [UInt8] {
            let arguments = [("background.prompt", prompt), ("background.seed", "1"), ("outputSize", "320x240"), ("padding", "0.2")] + extra
            let options = try EditOptions.parse(arguments.map { (name: $0.0, value: $0.1) })
            return try Image.decode(try pipeline.run(EditInput(image: photo, options: options)).bytes).pixels()
        }
        let plain = try render([]), shaded = try render([("shadow.mode", "ai.hard")])
        var rows = 0.0, count = 0.0
        for i in stride(from: 0, to: plain.count, by: 4) where Int(plain[i + 1]) - Int(shaded[i + 1]) > 12 {
            rows += Double(i / 4 / 320); count += 1
        }
        #expect(count > 50, "\(prompt): the shadow should darken the generated floor")
        return rows / max(1, count)
    }

    @Test func shadowFallsAwayFromTheGeneratedScenesLight() throws {
        // Backlight throws the shadow towards the camera (down the picture); a front key light throws it behind.
        let backlit = try shadowRow(prompt: "backlit studio"), frontLit = try shadowRow(prompt: "bright studio")
        #expect(backlit > frontLit + 10, "backlit shadow at row \(backlit), front-lit at \(frontLit)")
    }
}
