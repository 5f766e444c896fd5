import ArgumentParser
import Editing
import Foundation
import Imaging

struct CutoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cutout",
        abstract: "Cut the subject out of each photo: one result per input, written to --output."
    )

    @Argument(help: "Photos to cut out.")
    var inputs: [String]

    @Option(help: "Folder for the results (created if missing).")
    var output: String = "out"

    @Option(help: "png, jpg or webp.")
    var format: String = "png"

    @Option(help: "Flatten onto this colour (RRGGBB, RRGGBBAA or RGB; # optional) instead of transparency.")
    var bgColor: String?

    @Flag(help: "Write the mask (white = subject) instead of the cut-out.")
    var maskOnly = false

    @Flag(help: "Skip full-resolution edge refinement (the model's mask as rembg makes it).")
    var noRefine = false

    @OptionGroup var modelOptions: ModelOptions

    func validate() throws {
        guard ["png", "jpg", "jpeg", "webp"].contains(format.lowercased()) else {
            throw ValidationError("--format must be png, jpg or webp, not '\(format)'")
        }
        if let bgColor, (try? ColorParsing.parse(bgColor, argument: "bg_color")) == nil {
            throw ValidationError("--bg-color must be a hex colour like FF0000 or #FF000080 or a CSS colour name, not '\(bgColor)'")
        }
        if maskOnly && bgColor != nil { throw ValidationError("--mask-only and --bg-color cannot be combined") }
    }

    /// The same fields `/v1/segment` takes, through the same parser.
    var segmentFields: [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = [("format", format)]
        if let bgColor { fields.append(("bg_color", bgColor)) }
        if maskOnly { fields.append(("channels", "alpha")) }
        return fields
    }

    func run() throws {
        let options = try SegmentOptions.parse(segmentFields)
        var pipeline = try modelOptions.makePipeline()
        pipeline.refineEdges = !noRefine
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let progress = ProgressBar(total: inputs.count)
        var failures = 0
        for (index, path) in inputs.enumerated() {
            do {
                let bytes = try readInputFile(path)
                let result = try pipeline.run(EditInput(image: bytes, options: options))
                let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
                let destination = URL(fileURLWithPath: output).appendingPathComponent("\(name).\(options.encodeFormat.fileExtension)")
                try Data(result.bytes).write(to: destination)
                if inputs.count == 1 {
                    print("\(destination.path) \(result.width)x\(result.height) uncertainty \(String(format: "%.3f", result.uncertainty))")
                }
            } catch {
                failures += 1
                progress.interrupt()
                report("darkroom: \(path): \(error)")
            }
            progress.update(index + 1)
        }
        progress.finish()
        if failures > 0 {
            report("darkroom: \(failures) of \(inputs.count) inputs failed")
            throw ExitCode(1)
        }
    }
}

/// The bytes of a file named on the command line, or a clear error.
func readInputFile(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
        throw ImagingError.invalidArgument("cannot read the file (missing or unreadable)")
    }
    return [UInt8](data)
}
