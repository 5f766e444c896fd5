import Imaging
import Testing
@testable import Editing

@Suite struct EditOptionsTests {
    func parse(_ pairs: [(String, String)], files: Set<String> = []) throws -> EditOptions {
        try EditOptions.parse(pairs.map { (name: $0.0, value: $0.1) }, files: files)
    }

    func expectInvalid(_ pairs: [(String, String)], files: Set<String> = [], naming argument: String) {
        let error = #expect(throws: EditError.self) { try parse(pairs, files: files) }
        switch error {
        case .invalidArgument(let name, _)?, .missing(let name, _)?: #expect(name == argument, "\(String(describing: error))")
        default: Issue.record("expected a 400 naming \(argument), got \(String(describing: error))")
        }
    }

    @Test func defaults() throws {
        let options = try parse([])
        #expect(options.removeBackground && options.keepExistingAlphaChannel == .never)
        #expect(options.backgroundColor == nil && options.exportFormat == .png && options.dpi == nil)
        #expect(options.layout == LayoutOptions())
    }

    @Test func everyArgumentIsRead() throws {
        let options = try parse([
            ("imageUrl", "https://a.example/x.jpg"), ("removeBackground", "true"), ("keepExistingAlphaChannel", "auto"),
            ("background.color", "FF000080"), ("outputSize", "800x600"), ("scaling", "fill"),
            ("padding", "0.1"), ("paddingTop", "20px"), ("margin", "5%"), ("marginLeft", "0.02"),
            ("horizontalAlignment", "left"), ("verticalAlignment", "bottom"),
            ("outline.color", "white"), ("outline.width", "0.02"), ("outline.blurRadius", "0.01"),
            ("export.format", "webp"), ("export.dpi", "300"), ("background.blur.mode", "bokeh"), ("background.blur.radius", "0.02"),
            ("preserveMetadata", "never"), ("colorSpace", "sRGB"),
        ])
        #expect(options.imageURL == "https://a.example/x.jpg" && options.keepExistingAlphaChannel == .auto)
        #expect(options.backgroundColor == RGBA(255, 0, 0, 128))
        #expect(options.layout.outputSize == .fixed(width: 800, height: 600) && options.layout.scaling == .fill)
        #expect(options.layout.padding.top == .pixels(20) && options.layout.padding.left == .ratio(0.1))
        #expect(options.layout.margin.left == .ratio(0.02) && options.layout.margin.right == .ratio(0.05))
        #expect(options.layout.horizontalAlignment == .left && options.layout.verticalAlignment == .bottom)
        #expect(options.outline == EditOptions.Outline(color: .white, width: 0.02, blurRadius: 0.01))
        #expect(options.exportFormat == .webp && options.dpi == 300)
        #expect(options.backgroundBlur == EditOptions.BackgroundBlur(mode: .bokeh, radius: 0.02))
        #expect(options.encodeFormat == .webp(quality: 90))
    }

    @Test func colourForms() throws {
        #expect(try parse([("background.color", "#00ff00")]).backgroundColor == RGBA(0, 255, 0))
        #expect(try parse([("background.color", "FFF")]).backgroundColor == .white)
        #expect(try parse([("background.color", "rebeccapurple")]).backgroundColor == RGBA(0x66, 0x33, 0x99))
        #expect(try parse([("background.color", "transparent")]).backgroundColor == .transparent)
        expectInvalid([("background.color", "not-a-colour")], naming: "background.color")
    }

    @Test func nonsenseValuesNameTheirArgument() {
        expectInvalid([("removeBackground", "yes")], naming: "removeBackground")
        expectInvalid([("outputSize", "big")], naming: "outputSize")
        expectInvalid([("outputSize", "0x100")], naming: "outputSize")
        expectInvalid([("export.format", "bmp")], naming: "export.format")
        expectInvalid([("export.dpi", "50")], naming: "export.dpi")
        expectInvalid([("export.dpi", "NaN")], naming: "export.dpi")
        expectInvalid([("padding", "0.6")], naming: "padding")
        expectInvalid([("marginTop", "-3px")], naming: "marginTop")
        expectInvalid([("scaling", "stretch")], naming: "scaling")
        expectInvalid([("outline.width", "0.5"), ("outline.color", "red")], naming: "outline.width")
        expectInvalid([("background.blur.radius", "0.2"), ("background.blur.mode", "gaussian")], naming: "background.blur.radius")
        expectInvalid([("keepExistingAlphaChannel", "always")], naming: "keepExistingAlphaChannel")
        expectInvalid([("horizontalAlignment", "middle")], naming: "horizontalAlignment")
    }

    @Test func crossArgumentRules() {
        expectInvalid([("background.imageUrl", "https://a/b.jpg")], files: ["background.imageFile"], naming: "background.imageUrl")
        expectInvalid([("background.imageUrl", "https://a/b.jpg"), ("background.prompt", "a beach")], naming: "background.prompt")
        expectInvalid([("removeBackground", "false"), ("background.imageUrl", "https://a/b.jpg")], naming: "background.imageUrl")
        expectInvalid([("removeBackground", "false"), ("referenceBox", "originalImage")], naming: "referenceBox")
        expectInvalid([("removeBackground", "false"), ("ignorePaddingAndSnapOnCroppedSides", "false")], naming: "ignorePaddingAndSnapOnCroppedSides")
        expectInvalid([("removeBackground", "false")], files: ["background.imageFile"], naming: "background.imageFile")
        expectInvalid([("background.scaling", "fit")], naming: "background.scaling")
        expectInvalid([("outputSize", "500x500"), ("maxWidth", "200")], naming: "maxWidth")
        expectInvalid([("outline.width", "0.02")], naming: "outline.color")
        expectInvalid([("background.blur.radius", "0.02")], naming: "background.blur.radius")
    }

    @Test func allowedCombinations() throws {
        #expect(try parse([("removeBackground", "false"), ("background.color", "red")]).backgroundColor == RGBA(255, 0, 0))
        #expect(try parse([("background.imageUrl", "https://a/b.jpg"), ("background.scaling", "fit")]).backgroundScaling == .fit)
        #expect(try parse([("outputSize", "croppedSubject"), ("maxWidth", "300")]).layout.maxWidth == 300)
    }

    @Test func laterEffectsAre501NamingTheArgument() {
        for name in ["expand.mode", "upscale.mode",
                     "segmentation.prompt", "templateId", "layers.abc.text.content", "beautify.mode", "uncrop.mode"] {
            #expect(throws: EditError.notImplemented(argument: name)) { try parse([(name, "x")]) }
        }
        #expect(throws: EditError.notImplemented(argument: "colorSpace=original")) { try parse([("colorSpace", "original")]) }
        #expect(throws: EditError.notImplemented(argument: "preserveMetadata=xmp")) { try parse([("preserveMetadata", "xmp")]) }
    }

    /// Found by schemathesis: a value outside the spec's list is the client's mistake (400), not an effect
    /// Darkroom lacks (501).
    @Test func metadataAndColourSpaceValuesOutsideTheSpecAre400NotImplemented() {
        expectInvalid([("preserveMetadata", "")], naming: "preserveMetadata")
        expectInvalid([("colorSpace", "P3")], naming: "colorSpace")
    }

    @Test func textRemovalModeTakesTheThreeSpecValues() throws {
        #expect(try parse([("textRemoval.mode", "ai.artificial")]).textRemoval == .artificial)
        #expect(try parse([("textRemoval.mode", "ai.natural")]).textRemoval == .natural)
        #expect(try parse([("textRemoval.mode", "ai.all")]).textRemoval == .all)
        #expect(try parse([]).textRemoval == nil)
        #expect(EditOptions.argumentNames.contains("textRemoval.mode"))
        expectInvalid([("textRemoval.mode", "all")], naming: "textRemoval.mode")
    }

    @Test func unknownArgumentsAreListedOnceInRequestOrderBesideTheOptions() throws {
        let arguments = [("background.inner", "1"), ("foo", "bar"), ("padding", "0.1"), ("foo", "baz")]
        _ = try parse(arguments)
        #expect(EditOptions.unsupportedArguments(arguments.map { (name: $0.0, value: $0.1) }, files: ["imageFile", "extra.imageFile"]) == ["background.inner", "foo", "extra.imageFile"])
    }

    @Test func segmentPreset() throws {
        let v1 = try SegmentOptions.parse([("format", "jpg"), ("channels", "alpha"), ("bg_color", "#FF00FF"), ("size", "preview"), ("crop", "true"), ("despill", "true")])
        #expect(v1.exportFormat == .jpeg && v1.alphaOnly && v1.backgroundColor == RGBA(255, 0, 255))
        #expect(v1.maxOutputPixels == 250_000 && v1.despill && v1.layout.outputSize == .croppedSubject)
        let plain = try SegmentOptions.parse([])
        #expect(plain.layout.referenceBox == .originalImage && plain.layout.outputSize == .originalImage && !plain.alphaOnly)
        #expect(throws: EditError.self) { try SegmentOptions.parse([("size", "huge")]) }
        #expect(throws: EditError.self) { try SegmentOptions.parse([("crop", "maybe")]) }
        #expect(throws: EditError.self) { try SegmentOptions.parse([("channels", "rgb")]) }
        #expect(throws: EditError.self) { try SegmentOptions.parse([("format", "gif")]) }
    }
}
