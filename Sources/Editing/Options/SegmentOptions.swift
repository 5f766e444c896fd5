import Imaging

/// `/v1/segment`'s form fields, turned into the `EditOptions` preset that runs the same pipeline:
/// background removed, subject kept where it was on a canvas the size of the photo.
public enum SegmentOptions {
    /// Output caps for `size`, in pixels.
    public static let sizes: [String: Int] = ["preview": 250_000, "medium": 1_500_000, "hd": 4_000_000, "full": 36_000_000]

    public static let fieldNames = ["image_file", "format", "channels", "bg_color", "size", "crop", "despill"]

    /// The fields no rule knows, for `pr-unsupported-attributes`.
    public static func unsupportedFields(_ fields: [(name: String, value: String)]) -> [String] {
        fields.map(\.name).filter { !fieldNames.contains($0) }
    }

    public static func parse(_ fields: [(name: String, value: String)], headers: [String: String] = [:]) throws -> EditOptions {
        var values: [String: String] = [:]
        for (name, value) in fields { values[name] = value }
        var options = EditOptions()
        options.layout.outputSize = .originalImage
        options.layout.referenceBox = .originalImage
        options.layout.snapCroppedSides = false
        options.segmentationModel = try SegmentationModelChoice.parse(headers: headers)

        switch values["format"]?.lowercased() ?? "png" {
        case "png": options.exportFormat = .png
        case "jpg", "jpeg": options.exportFormat = .jpeg
        case "webp": options.exportFormat = .webp
        case let other: throw EditError.invalidArgument(argument: "format", message: "must be png, jpg or webp, got \(other)")
        }
        switch values["channels"]?.lowercased() ?? "rgba" {
        case "rgba": break
        case "alpha": options.alphaOnly = true
        case let other: throw EditError.invalidArgument(argument: "channels", message: "must be rgba or alpha, got \(other)")
        }
        if let text = values["bg_color"] { options.backgroundColor = try ColorParsing.parse(text, argument: "bg_color") }
        let size = values["size"]?.lowercased() ?? "full"
        guard let cap = sizes[size] else {
            throw EditError.invalidArgument(argument: "size", message: "must be preview, medium, hd or full, got \(size)")
        }
        options.maxOutputPixels = cap
        if try flag("crop", values) {
            options.layout.outputSize = .croppedSubject
            options.layout.referenceBox = .subjectBox
        }
        options.despill = try flag("despill", values)
        return options
    }

    static func flag(_ name: String, _ values: [String: String]) throws -> Bool {
        switch values[name]?.lowercased() ?? "false" {
        case "true": return true
        case "false": return false
        case let other: throw EditError.invalidArgument(argument: name, message: "must be true or false, got \(other)")
        }
    }
}
