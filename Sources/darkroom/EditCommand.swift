import ArgumentParser
import Editing
import Foundation
import Imaging

/// `darkroom edit PHOTO --<v2 argument> VALUE … -o OUT`: one `/v2/edit` from the shell, through the same
/// `EditOptions` parser and pipeline as the server.
struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Edit one photo with /v2/edit's arguments, e.g. darkroom edit shoe.jpg --background.color white --shadow.mode ai.soft -o out.png",
        discussion: """
            Every /v2/edit argument is given as --NAME VALUE (or --NAME=VALUE), with NAME exactly as in the API \
            (background.color, outputSize, shadow.mode, …). An argument whose name ends in imageFile takes a \
            file path. --header 'NAME: VALUE' sends a request header such as pr-ai-shadows-model-version. \
            -o/--output names the result (default: PHOTO's name with the export format's extension, in the \
            current folder). --home, --model, --inference-threads, --text-turned-passes and --text-colour-pass pick the \
            runtime, the models and how text is detected, as elsewhere.
            """
    )

    @Argument(parsing: .captureForPassthrough, help: "PHOTO followed by --NAME VALUE pairs.")
    var words: [String] = []

    /// What the words say, sorted into the photo, the API arguments, the files and the headers.
    struct Request {
        var photo: String?
        var output: String?
        var arguments: [(name: String, value: String)] = []
        var files: [String: String] = [:]
        var headers: [String: String] = [:]
        var modelWords: [String] = []
    }

    static let modelFlags: Set<String> = ["home", "model", "inference-threads", "text-turned-passes", "text-colour-pass"]

    static func sort(_ words: [String]) throws -> Request {
        var request = Request()
        var index = 0
        func value(for name: String) throws -> String {
            index += 1
            guard index < words.count else { throw ValidationError("--\(name) needs a value") }
            return words[index]
        }
        while index < words.count {
            let word = words[index]
            if word == "-h" || word == "--help" {
                throw CleanExit.helpRequest(EditCommand.self)
            } else if word == "-o" || word == "--output" {
                request.output = try value(for: "output")
            } else if word.hasPrefix("--") {
                var name = String(word.dropFirst(2))
                var text: String
                if let equals = name.firstIndex(of: "=") {
                    text = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                } else {
                    text = try value(for: name)
                }
                if name == "output" {
                    request.output = text
                } else if name == "header" {
                    guard let colon = text.firstIndex(of: ":") else { throw ValidationError("--header takes 'NAME: VALUE', got '\(text)'") }
                    request.headers[text[..<colon].trimmingCharacters(in: .whitespaces).lowercased()] =
                        text[text.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                } else if modelFlags.contains(name) {
                    request.modelWords += ["--\(name)", text]
                } else if name.hasSuffix("imageFile") {
                    request.files[name] = text
                } else {
                    request.arguments.append((name, text))
                }
            } else if request.photo == nil {
                request.photo = word
            } else {
                throw ValidationError("unexpected '\(word)': give one PHOTO, then --NAME VALUE pairs")
            }
            index += 1
        }
        return request
    }

    func run() throws {
        let request = try Self.sort(words)
        guard let photo = request.photo ?? request.files["imageFile"] else {
            throw ValidationError("give the PHOTO to edit")
        }
        if request.arguments.contains(where: { $0.name == "imageUrl" || $0.name.hasSuffix(".imageUrl") }) {
            throw ValidationError("the command line reads local files: use --…imageFile PATH instead of an imageUrl")
        }
        let modelOptions = try ModelOptions.parse(request.modelWords)
        do {
            var files = Set(request.files.keys)
            files.insert("imageFile")
            let options = try EditOptions.parse(request.arguments, files: files, headers: request.headers)
            for name in EditOptions.unsupportedArguments(request.arguments, files: files) { report("darkroom: warning: unknown argument \(name) ignored") }
            let input = EditInput(image: try readFile(photo),
                                  backgroundImage: try request.files["background.imageFile"].map(readFile),
                                  guidanceImage: try request.files["background.guidance.imageFile"].map(readFile),
                                  options: options)
            let result = try modelOptions.makePipeline().run(input)
            let output = request.output
                ?? URL(fileURLWithPath: photo).deletingPathExtension().lastPathComponent + "-edited." + options.encodeFormat.fileExtension
            try Data(result.bytes).write(to: URL(fileURLWithPath: output))
            var line = "\(output) \(result.width)x\(result.height)"
            if result.uncertainty >= 0 { line += " uncertainty \(String(format: "%.3f", result.uncertainty))" }
            for (name, value) in result.headers { line += " \(name): \(value)" }
            print(line)
        } catch let error as EditError {
            report("darkroom: \(error)")
            throw ExitCode(error.isNotImplemented ? 3 : 2)
        } catch let error as ImagingError {
            report("darkroom: \(error)")
            throw ExitCode(1)
        }
    }

    func readFile(_ path: String) throws -> [UInt8] {
        do { return try readInputFile(path) } catch let error as ImagingError { throw ImagingError.invalidArgument("\(path): \(error)") }
    }
}

extension EditError {
    var isNotImplemented: Bool { if case .notImplemented = self { return true } else { return false } }
}
