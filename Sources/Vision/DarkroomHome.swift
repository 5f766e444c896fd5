import Foundation

/// Where scripts/setup (or `make install`) put the ONNX Runtime library and the models. An explicit `--home`
/// or `$DARKROOM_HOME` wins; otherwise the first of these folders that holds the runtime library, so that
/// `darkroom` works whatever the working directory:
/// `./.darkroom` (a checkout), the checkout the executable was built in (`.build/…/darkroom` → `.darkroom`),
/// `PREFIX/share/darkroom` beside an installed `PREFIX/bin/darkroom`, `$XDG_DATA_HOME/darkroom` (default
/// `~/.local/share/darkroom`), `/var/lib/darkroom`, `/usr/local/share/darkroom`, `/usr/share/darkroom`.
public struct DarkroomHome: Sendable {
    public var path: String
    /// The folders that were looked at, in order (for error messages).
    public var searched: [String]

    static let libraryName = "libonnxruntime.so.1.32.0"

    public init(path: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                executable: String = CommandLine.arguments.first ?? "") {
        if let explicit = path ?? environment["DARKROOM_HOME"] {
            self.path = explicit
            searched = [explicit]
            return
        }
        let candidates = Self.candidates(environment: environment, executable: executable)
        searched = candidates
        self.path = candidates.first { FileManager.default.fileExists(atPath: "\($0)/lib/\(Self.libraryName)") } ?? ".darkroom"
    }

    static func candidates(environment: [String: String], executable: String) -> [String] {
        var folders = [".darkroom"]
        let binary = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
        let binaryFolder = binary.deletingLastPathComponent()
        // A checkout: <repo>/.build/<triple>/<configuration>/darkroom.
        if let buildIndex = binaryFolder.pathComponents.lastIndex(of: ".build") {
            let repo = binaryFolder.pathComponents[..<buildIndex].joined(separator: "/").replacingOccurrences(of: "//", with: "/")
            folders.append(repo + "/.darkroom")
        }
        // An installation: PREFIX/bin/darkroom with PREFIX/share/darkroom.
        folders.append(binaryFolder.deletingLastPathComponent().appendingPathComponent("share/darkroom").path)
        let dataHome = environment["XDG_DATA_HOME"] ?? (environment["HOME"].map { "\($0)/.local/share" } ?? "")
        if !dataHome.isEmpty { folders.append(dataHome + "/darkroom") }
        folders += ["/var/lib/darkroom", "/usr/local/share/darkroom", "/usr/share/darkroom"]
        var seen = Set<String>()
        return folders.filter { seen.insert($0).inserted }
    }

    /// The ONNX Runtime shared library; `DARKROOM_ORT_LIBRARY` overrides it.
    public func runtimeLibrary(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        environment["DARKROOM_ORT_LIBRARY"] ?? "\(path)/lib/\(Self.libraryName)"
    }

    /// Why nothing was found, naming every folder looked at and the command that installs the files.
    public var notFoundAdvice: String {
        "the ONNX Runtime library and models were not found in \(searched.joined(separator: ", ")); run `make setup` "
            + "(or scripts/setup) in the Darkroom checkout, `make install` for a system-wide copy, or set DARKROOM_HOME"
    }

    public func model(_ file: String) -> String { "\(path)/models/\(file)" }

    public var modelsFolder: String { "\(path)/models" }

    /// The registry's default segmentation model.
    public var defaultSegmentationModel: String { model(ModelRegistry.shipped.defaultSegmentation.file!) }
    public var textDetectionModel: String { model("ch_PP-OCRv4_det_infer.onnx") }
}
