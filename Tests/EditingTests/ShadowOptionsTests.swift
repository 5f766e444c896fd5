import Testing
@testable import Editing

/// `shadow.*` and `lighting.mode` parsing, with every rule of spec 4.3.5 answering 400 naming the argument.
@Suite struct ShadowOptionsTests {
    static let newModel = ["pr-ai-shadows-model-version": "2026-04-15"]

    func parse(_ pairs: [(String, String)], headers: [String: String] = [:]) throws -> EditOptions {
        try EditOptions.parse(pairs.map { (name: $0.0, value: $0.1) }, headers: headers)
    }

    func expectInvalid(_ pairs: [(String, String)], headers: [String: String] = [:], naming argument: String) {
        let error = #expect(throws: EditError.self) { try parse(pairs, headers: headers) }
        guard case .invalidArgument(let name, _)? = error else {
            Issue.record("expected a 400 naming \(argument), got \(String(describing: error))")
            return
        }
        #expect(name == argument, "\(String(describing: error))")
    }

    @Test func legacyModesWithoutTheHeaderAndNewOnesWithIt() throws {
        #expect(try parse([("shadow.mode", "ai.soft")]).shadow == ShadowOptions(mode: .soft))
        #expect(try parse([("shadow.mode", "ai.hard")]).shadow?.mode == .hard)
        #expect(try parse([("shadow.mode", "ai.floating")]).shadow?.mode == .floating)
        #expect(try parse([("shadow.mode", "ai.preset-soft")], headers: Self.newModel).shadow?.mode == .presetSoft)
        #expect(try parse([("shadow.mode", "ai.preset-hard")], headers: Self.newModel).shadow?.mode == .presetHard)
        #expect(try parse([]).shadow == nil)
    }

    @Test func overridesTakeNumbersAndPresets() throws {
        let options = try parse([("shadow.mode", "ai.auto-with-overrides"), ("shadow.softnessOverride", "0.2"),
                                 ("shadow.intensityOverride", "1"), ("shadow.directionOverride", "frontRight"),
                                 ("shadow.spreadOverride", "long"), ("shadow.subjectPoseOverride", "flatlay")], headers: Self.newModel)
        #expect(options.shadow == ShadowOptions(mode: .autoWithOverrides, softness: 0.2, intensity: 1, direction: 225, spread: 90, subjectPose: 0))
        let numeric = try parse([("shadow.mode", "ai.auto-with-overrides"), ("shadow.directionOverride", "100"),
                                 ("shadow.spreadOverride", "30"), ("shadow.subjectPoseOverride", "60")], headers: Self.newModel)
        #expect(numeric.shadow?.direction == 100 && numeric.shadow?.spread == 30 && numeric.shadow?.subjectPose == 60)
    }

    @Test func everyShadowRuleIsA400NamingTheArgument() {
        // Overrides need the header…
        expectInvalid([("shadow.mode", "ai.soft"), ("shadow.softnessOverride", "0.5")], naming: "shadow.softnessOverride")
        // …and ai.auto-with-overrides…
        expectInvalid([("shadow.mode", "ai.preset-soft"), ("shadow.intensityOverride", "0.5")], headers: Self.newModel, naming: "shadow.intensityOverride")
        // …and a shadow at all.
        expectInvalid([("shadow.directionOverride", "left")], headers: Self.newModel, naming: "shadow.directionOverride")
        // ai.floating is not allowed with the 2026-04-15 model; neither are the legacy soft and hard.
        expectInvalid([("shadow.mode", "ai.floating")], headers: Self.newModel, naming: "shadow.mode")
        expectInvalid([("shadow.mode", "ai.soft")], headers: Self.newModel, naming: "shadow.mode")
        // The new modes need the new model.
        expectInvalid([("shadow.mode", "ai.preset-hard")], naming: "shadow.mode")
        expectInvalid([("shadow.mode", "ai.auto-with-overrides")], naming: "shadow.mode")
        // Unknown values, out-of-range numbers, unknown presets, unknown model versions.
        expectInvalid([("shadow.mode", "ai.dramatic")], naming: "shadow.mode")
        expectInvalid([("shadow.mode", "ai.soft")], headers: ["pr-ai-shadows-model-version": "2025-01-01"], naming: "pr-ai-shadows-model-version")
        let auto = ("shadow.mode", "ai.auto-with-overrides")
        expectInvalid([auto, ("shadow.softnessOverride", "1.5")], headers: Self.newModel, naming: "shadow.softnessOverride")
        expectInvalid([auto, ("shadow.intensityOverride", "-0.1")], headers: Self.newModel, naming: "shadow.intensityOverride")
        expectInvalid([auto, ("shadow.directionOverride", "up")], headers: Self.newModel, naming: "shadow.directionOverride")
        expectInvalid([auto, ("shadow.directionOverride", "400")], headers: Self.newModel, naming: "shadow.directionOverride")
        expectInvalid([auto, ("shadow.spreadOverride", "huge")], headers: Self.newModel, naming: "shadow.spreadOverride")
        expectInvalid([auto, ("shadow.spreadOverride", "120")], headers: Self.newModel, naming: "shadow.spreadOverride")
        expectInvalid([auto, ("shadow.subjectPoseOverride", "sideways")], headers: Self.newModel, naming: "shadow.subjectPoseOverride")
    }

    @Test func lightingModes() throws {
        #expect(try parse([("lighting.mode", "ai.auto")]).lighting == .auto)
        #expect(try parse([("lighting.mode", "ai.preserve-hue-and-saturation")]).lighting == .preserveHueAndSaturation)
        #expect(try parse([("lighting.mode", "ai.optimize-portrait")]).lighting == .optimizePortrait)
        expectInvalid([("lighting.mode", "ai.studio")], naming: "lighting.mode")
    }

    @Test func overridesTurnTheSceneLight() throws {
        let options = ShadowOptions(mode: .autoWithOverrides, softness: 0.1, direction: 90, spread: 90)
        let light = options.applied(to: .studio)
        #expect(light.shadowDirection == 90 && light.softness == 0.1)
        #expect(abs(light.elevation - 12) < 1e-9)
        // Left means the viewer's left: the shadow vector points to negative x.
        #expect(light.shadowVector.dx < -0.99)
        #expect(ShadowOptions(mode: .soft).applied(to: .studio) == .studio)
    }
}
