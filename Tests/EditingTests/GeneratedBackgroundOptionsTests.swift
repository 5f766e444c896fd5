import Testing
@testable import Editing

/// `background.prompt` and its companions: values, the model-version header and the spec's cross rules.
@Suite struct GeneratedBackgroundOptionsTests {
    func parse(_ pairs: [(String, String)], files: Set<String> = [], headers: [String: String] = [:]) throws -> EditOptions {
        try EditOptions.parse(pairs.map { (name: $0.0, value: $0.1) }, files: files, headers: headers)
    }

    func expectInvalid(_ pairs: [(String, String)], files: Set<String> = [], headers: [String: String] = [:], naming argument: String) {
        let error = #expect(throws: EditError.self) { try parse(pairs, files: files, headers: headers) }
        if case .invalidArgument(let name, _)? = error { #expect(name == argument, "\(String(describing: error))") } else {
            Issue.record("expected a 400 naming \(argument), got \(String(describing: error))")
        }
    }

    @Test func promptFamilyIsParsed() throws {
        let arguments = [("background.prompt", "a beach"), ("background.seed", "4294967295"), ("background.negativePrompt", "sand"),
                         ("background.expandPrompt.mode", "ai.never"), ("background.guidance.imageUrl", "https://a/b.jpg"),
                         ("background.guidance.scale", "0.25")]
        let options = try parse(arguments, headers: ["pr-ai-background-model-version": "2"])
        let generated = try #require(options.generatedBackground)
        #expect(generated.prompt == "a beach" && generated.seed == 4_294_967_295 && generated.negativePrompt == "sand")
        #expect(generated.expand == .never && generated.guidanceImageURL == "https://a/b.jpg" && generated.guidanceScale == 0.25)
        #expect(generated.modelVersion == .v2)
        #expect(EditOptions.unsupportedArguments(arguments.map { (name: $0.0, value: $0.1) }).isEmpty)
    }

    @Test func defaultsAndLegacyExpandValues() throws {
        let plain = try #require(try parse([("background.prompt", "studio")]).generatedBackground)
        #expect(plain.modelVersion == .v3 && plain.expand == .auto && plain.seed == nil && plain.guidanceScale == 0.6)
        #expect(try parse([("background.prompt", "x"), ("background.expandPrompt", "never")]).generatedBackground?.expand == .never)
        #expect(try parse([("background.prompt", "x"), ("background.expandPrompt", "auto")]).generatedBackground?.expand == .auto)
        let studio = try parse([("background.prompt", "x")], headers: ["pr-ai-background-model-version": "background-studio-beta-2025-03-17"])
        #expect(studio.generatedBackground?.modelVersion == .studio)
        #expect(try parse([("background.prompt", "x")], files: ["background.guidance.imageFile"]).generatedBackground?.guidanceImageFile == true)
    }

    @Test func unknownModelVersionIs400NamingTheHeader() {
        expectInvalid([("background.prompt", "beach")], headers: ["pr-ai-background-model-version": "4"], naming: "pr-ai-background-model-version")
        expectInvalid([], headers: ["pr-ai-background-model-version": "latest"], naming: "pr-ai-background-model-version")
    }

    @Test func badValuesAre400NamingTheArgument() {
        expectInvalid([("background.prompt", "  ")], naming: "background.prompt")
        expectInvalid([("background.prompt", "x"), ("background.seed", "-1")], naming: "background.seed")
        expectInvalid([("background.prompt", "x"), ("background.seed", "1.5")], naming: "background.seed")
        expectInvalid([("background.prompt", "x"), ("background.expandPrompt.mode", "always")], naming: "background.expandPrompt.mode")
        expectInvalid([("background.prompt", "x"), ("background.guidance.imageUrl", "https://a/b.jpg"), ("background.guidance.scale", "1.5")],
                      naming: "background.guidance.scale")
    }

    @Test func crossRulesOfTheSpec() {
        expectInvalid([("background.prompt", "x"), ("background.imageUrl", "https://a/b.jpg")], naming: "background.prompt")
        expectInvalid([("background.prompt", "x")], files: ["background.imageFile"], naming: "background.prompt")
        expectInvalid([("removeBackground", "false"), ("background.prompt", "x")], naming: "background.prompt")
        expectInvalid([("removeBackground", "false"), ("background.guidance.imageUrl", "https://a/b.jpg")], naming: "background.guidance.imageUrl")
        expectInvalid([("removeBackground", "false")], files: ["background.guidance.imageFile"], naming: "background.guidance.imageFile")
        expectInvalid([("background.seed", "3")], naming: "background.seed")
        expectInvalid([("background.negativePrompt", "red")], naming: "background.negativePrompt")
        expectInvalid([("background.guidance.imageUrl", "https://a/b.jpg")], naming: "background.guidance.imageUrl")
        expectInvalid([("background.prompt", "x"), ("background.guidance.scale", "0.5")], naming: "background.guidance.scale")
        expectInvalid([("background.prompt", "x"), ("background.guidance.imageUrl", "https://a/b.jpg")], files: ["background.guidance.imageFile"],
                      naming: "background.guidance.imageUrl")
    }
}
