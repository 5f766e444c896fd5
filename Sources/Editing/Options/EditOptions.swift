import Foundation
import Imaging
import Vision

/// Every `/v2/edit` argument, parsed and validated once. GET query strings, POST forms, `/v1/segment`
/// (through `SegmentOptions`) and the CLI all end up here.
public struct EditOptions: Sendable, Equatable {
    public enum AlphaPolicy: String, Sendable { case auto, never }
    public enum BlurMode: String, Sendable { case gaussian, bokeh }

    public struct BackgroundBlur: Sendable, Equatable {
        public var mode: BlurMode
        /// Relative to the output canvas' diagonal, (0, 0.05].
        public var radius: Double
    }

    public struct Outline: Sendable, Equatable {
        public var color: RGBA
        /// Relative to the canvas' shorter side, [0, 0.1].
        public var width: Double
        public var blurRadius: Double
    }

    public enum ExportFormat: String, Sendable { case png, jpeg, webp, avif }

    public var imageURL: String?
    public var removeBackground = true
    public var keepExistingAlphaChannel = AlphaPolicy.never
    public var backgroundColor: RGBA?
    public var backgroundImageURL: String?
    /// A background image was uploaded as `background.imageFile`.
    public var backgroundImageFile = false
    public var backgroundScaling = LayoutOptions.Scaling.fill
    public var backgroundBlur: BackgroundBlur?
    /// A background generated from `background.prompt` (see `GeneratedBackgroundOptions`).
    public var generatedBackground: GeneratedBackgroundOptions?
    public var layout = LayoutOptions()
    public var outline: Outline?
    public var exportFormat = ExportFormat.png
    public var dpi: Int?
    public var shadow: ShadowOptions?
    public var lighting: LightingMode?
    /// Which texts to remove from the original photo (`textRemoval.mode`); nil leaves them.
    public var textRemoval: TextRemovalMode?
    /// The segmentation model the request picked with `pr-background-removal-model-version`; nil = the server's.
    public var segmentationModel: SegmentationModel?

    // What only `/v1/segment` asks for.
    /// Return the mask alone (`channels=alpha`).
    public var alphaOnly = false
    /// Scale the result down to at most this many pixels (`size`).
    public var maxOutputPixels: Int?
    public var despill = false

    public init() {}

    public var hasBackgroundImage: Bool { backgroundImageURL != nil || backgroundImageFile }

    /// The encoder settings: Photoroom fixes quality at JPEG 80, WebP 90, AVIF 90.
    public var encodeFormat: EncodeFormat {
        switch exportFormat {
        case .png: return .png()
        case .jpeg: return .jpeg(quality: 80)
        case .webp: return .webp(quality: 90)
        case .avif: return .avif(quality: 90)
        }
    }
}

extension EditOptions {
    /// Argument families Darkroom recognises but does not implement yet: 501, naming the argument.
    public static let notImplementedPrefixes = [
        "expand.", "uncrop.", "upscale.", "beautify.",
        "editWithAI.", "describeAnyChange.", "flatLay.", "ghostMannequin.", "ironing.", "virtualModel.",
        "imageFromPrompt.", "segmentation.", "templateId", "layers.",
    ]

    /// Every argument name this parser accepts (the OpenAPI document is checked against it).
    public static let argumentNames: [String] = [
        "imageUrl", "imageFile", "removeBackground", "keepExistingAlphaChannel",
        "background.color", "background.imageUrl", "background.imageFile", "background.scaling",
        "background.blur.mode", "background.blur.radius",
        "outputSize", "maxWidth", "maxHeight", "scaling",
        "padding", "paddingTop", "paddingRight", "paddingBottom", "paddingLeft",
        "margin", "marginTop", "marginRight", "marginBottom", "marginLeft",
        "referenceBox", "ignorePaddingAndSnapOnCroppedSides", "horizontalAlignment", "verticalAlignment",
        "outline.color", "outline.width", "outline.blurRadius",
        "export.format", "export.dpi", "preserveMetadata", "colorSpace", "apiKey",
    ] + ShadowOptions.argumentNames + ["lighting.mode"] + TextRemovalMode.argumentNames + GeneratedBackgroundOptions.argumentNames

    /// The request headers that pick model versions (spec 4.2), with the values Darkroom accepts; the OpenAPI
    /// document lists them.
    public static let modelHeaders: [String: [String]] = [
        ShadowOptions.modelHeader: [ShadowOptions.newModel],
        GeneratedBackgroundOptions.modelVersionHeader: GeneratedBackgroundOptions.ModelVersion.allCases.map(\.rawValue),
        SegmentationModelChoice.header: ModelRegistry.shipped.acceptedVersions,
    ]

    /// The arguments and file parts of a request that no rule knows, in request order, each once: the server
    /// lists them in `pr-unsupported-attributes`, the CLI warns about them. They are not options, so they are
    /// not part of `EditOptions`.
    public static func unsupportedArguments(_ arguments: [(name: String, value: String)], files: Set<String> = []) -> [String] {
        var unsupported: [String] = []
        for (name, _) in arguments where !argumentNames.contains(name) && !unsupported.contains(name) { unsupported.append(name) }
        for file in files.sorted() where !argumentNames.contains(file) && !unsupported.contains(file) { unsupported.append(file) }
        return unsupported
    }

    /// Parses `arguments` (in request order; a repeated name keeps its last value). `files` names the file
    /// parts of a multipart request. `headers` holds the request's `pr-…` headers (names in lower case), which
    /// pick model versions (spec 4.2).
    public static func parse(_ arguments: [(name: String, value: String)], files: Set<String> = [],
                             headers: [String: String] = [:]) throws -> EditOptions {
        var values: [String: String] = [:]
        var options = EditOptions()
        for (name, value) in arguments {
            if notImplementedPrefixes.contains(where: { name == $0 || name.hasPrefix($0) }) {
                throw EditError.notImplemented(argument: name)
            }
            if argumentNames.contains(name) { values[name] = value }
        }

        func bool(_ name: String) throws -> Bool? {
            guard let text = values[name] else { return nil }
            switch text.lowercased() {
            case "true": return true
            case "false": return false
            default: throw EditError.invalidArgument(argument: name, message: "must be boolean (true or false), got \(text)")
            }
        }
        func choice<T: RawRepresentable>(_ name: String, _: T.Type) throws -> T? where T.RawValue == String {
            guard let text = values[name] else { return nil }
            guard let value = T(rawValue: text) else {
                throw EditError.invalidArgument(argument: name, message: "unsupported value \(text)")
            }
            return value
        }
        func number(_ name: String, in range: ClosedRange<Double>) throws -> Double? {
            guard let text = values[name] else { return nil }
            guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value.isFinite, range.contains(value) else {
                throw EditError.invalidArgument(argument: name, message: "must be a number between \(format(range.lowerBound)) and \(format(range.upperBound)), got \(text)")
            }
            return value
        }

        options.imageURL = values["imageUrl"]
        options.textRemoval = try TextRemovalMode.parse(values)
        options.removeBackground = try bool("removeBackground") ?? true
        options.keepExistingAlphaChannel = try choice("keepExistingAlphaChannel", AlphaPolicy.self) ?? .never

        // Background.
        if let text = values["background.color"] { options.backgroundColor = try ColorParsing.parse(text, argument: "background.color") }
        options.backgroundImageURL = values["background.imageUrl"]
        options.backgroundImageFile = files.contains("background.imageFile")
        if options.backgroundImageURL != nil && options.backgroundImageFile {
            throw EditError.invalidArgument(argument: "background.imageUrl",
                message: "only one of background.imageUrl, background.imageFile and background.prompt may be given")
        }
        if let scaling = try choice("background.scaling", LayoutOptions.Scaling.self) {
            guard options.hasBackgroundImage else {
                throw EditError.invalidArgument(argument: "background.scaling", message: "is only allowed with background.imageUrl or background.imageFile")
            }
            options.backgroundScaling = scaling
        }
        let blurRadius = try number("background.blur.radius", in: 0...0.05)
        if let mode = try choice("background.blur.mode", BlurMode.self) {
            guard blurRadius != 0 else { throw EditError.invalidArgument(argument: "background.blur.radius", message: "must be greater than 0") }
            options.backgroundBlur = BackgroundBlur(mode: mode, radius: blurRadius ?? 0.01)
        } else if blurRadius != nil {
            throw EditError.invalidArgument(argument: "background.blur.radius", message: "needs background.blur.mode")
        }

        options.generatedBackground = try GeneratedBackgroundOptions.parse(
            values, files: files, headers: headers, removeBackground: options.removeBackground, hasBackgroundImage: options.hasBackgroundImage)

        // Layout.
        var layout = LayoutOptions()
        if let text = values["outputSize"] { layout.outputSize = try parseOutputSize(text) }
        for (name, keyPath) in [("maxWidth", \LayoutOptions.maxWidth), ("maxHeight", \LayoutOptions.maxHeight)] {
            guard let value = try number(name, in: 1...100_000) else { continue }
            switch layout.outputSize {
            case .fixed: throw EditError.invalidArgument(argument: name, message: "is only allowed with outputSize originalImage or croppedSubject")
            default: layout[keyPath: keyPath] = Int(value)
            }
        }
        layout.scaling = try choice("scaling", LayoutOptions.Scaling.self) ?? .fit
        layout.padding = try insets("padding", values)
        layout.margin = try insets("margin", values)
        if let box = try choice("referenceBox", LayoutOptions.ReferenceBox.self) { layout.referenceBox = box }
        if let snap = try bool("ignorePaddingAndSnapOnCroppedSides") { layout.snapCroppedSides = snap }
        layout.horizontalAlignment = try choice("horizontalAlignment", LayoutOptions.HorizontalAlignment.self)
        layout.verticalAlignment = try choice("verticalAlignment", LayoutOptions.VerticalAlignment.self)
        options.layout = layout

        // Outline.
        let outlineWidth = try number("outline.width", in: 0...0.1)
        let outlineBlur = try number("outline.blurRadius", in: 0...0.025)
        if let text = values["outline.color"] {
            options.outline = Outline(color: try ColorParsing.parse(text, argument: "outline.color"),
                                      width: outlineWidth ?? 0.03, blurRadius: outlineBlur ?? 0)
        } else if outlineWidth != nil || outlineBlur != nil {
            throw EditError.missing(argument: "outline.color", message: "is required when outline.width or outline.blurRadius is given")
        }

        // Shadow and light.
        options.shadow = try ShadowOptions.parse(values, headers: headers)
        options.segmentationModel = try SegmentationModelChoice.parse(headers: headers)
        options.lighting = try LightingMode.parse(values)

        // Export.
        if let text = values["export.format"] {
            switch text.lowercased() {
            case "png": options.exportFormat = .png
            case "jpeg", "jpg": options.exportFormat = .jpeg
            case "webp": options.exportFormat = .webp
            case "avif": options.exportFormat = .avif
            default: throw EditError.invalidArgument(argument: "export.format", message: "must be png, jpeg, jpg, webp or avif, got \(text)")
            }
        }
        if let dpi = try number("export.dpi", in: 72...1200) { options.dpi = Int(dpi.rounded()) }
        // Values the spec defines but Darkroom does not implement are 501; anything else is a bad value, 400.
        let metadataModes = ["never", "xmp", "exifSubset", "exifSubsetWithXmpCompatibility"]
        if let text = values["preserveMetadata"], text != "never" {
            guard metadataModes.contains(text) else {
                throw EditError.invalidArgument(argument: "preserveMetadata", message: "must be \(metadataModes.joined(separator: ", ")), got \(text)")
            }
            throw EditError.notImplemented(argument: "preserveMetadata=\(text)")
        }
        if let text = values["colorSpace"], text != "sRGB" {
            guard text == "original" else { throw EditError.invalidArgument(argument: "colorSpace", message: "must be sRGB or original, got \(text)") }
            throw EditError.notImplemented(argument: "colorSpace=\(text)")
        }

        // Rules that tie arguments together (spec section 4.4).
        if !options.removeBackground {
            for name in ["background.imageUrl", "referenceBox", "ignorePaddingAndSnapOnCroppedSides"] where values[name] != nil {
                throw EditError.invalidArgument(argument: name, message: "is not allowed with removeBackground=false")
            }
            if options.backgroundImageFile {
                throw EditError.invalidArgument(argument: "background.imageFile", message: "is not allowed with removeBackground=false")
            }
        }
        return options
    }

    static func parseOutputSize(_ text: String) throws -> LayoutOptions.OutputSize {
        switch text {
        case "auto": return .auto
        case "originalImage": return .originalImage
        case "croppedSubject": return .croppedSubject
        default:
            let parts = text.split(separator: "x", omittingEmptySubsequences: false)
            guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]), parts[0].allSatisfy(\.isNumber), parts[1].allSatisfy(\.isNumber) else {
                throw EditError.invalidArgument(argument: "outputSize", message: "must be auto, originalImage, croppedSubject or WIDTHxHEIGHT, got \(text)")
            }
            guard (1...10_000).contains(w), (1...10_000).contains(h) else {
                throw EditError.invalidArgument(argument: "outputSize", message: "width and height must be between 1 and 10000, got \(text)")
            }
            return .fixed(width: w, height: h)
        }
    }

    /// `name` for all sides, then `nameTop` … `nameLeft` overriding single sides.
    static func insets(_ name: String, _ values: [String: String]) throws -> Insets {
        var insets = Insets(try values[name].map { try Length.parse($0, argument: name) } ?? .zero)
        if let v = values[name + "Top"] { insets.top = try Length.parse(v, argument: name + "Top") }
        if let v = values[name + "Right"] { insets.right = try Length.parse(v, argument: name + "Right") }
        if let v = values[name + "Bottom"] { insets.bottom = try Length.parse(v, argument: name + "Bottom") }
        if let v = values[name + "Left"] { insets.left = try Length.parse(v, argument: name + "Left") }
        return insets
    }
}

private func format(_ value: Double) -> String {
    value == value.rounded() ? String(Int(value)) : String(value)
}
