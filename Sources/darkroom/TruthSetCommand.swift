import ArgumentParser
import Foundation
import Imaging
import Vision

struct TruthSetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "truthset",
        abstract: "Write the peer-mask composites: a regression fixture for refinement (circular: its alpha is rembg's u2netp mask, hardened; real quality is `darkroom eval`)."
    )

    @Option(help: "Folder of sample photos with a rembg-u2netp-masks/ subfolder.")
    var samples: String = "../shared/samples"

    @Option(help: "Where to write NAME.jpg (the composite) and NAME.alpha.png (its exact alpha).")
    var output: String = "data/truthset"

    func run() throws {
        let set = try TruthSet.make(try TruthSet.sources(inFolder: samples))
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        for sample in set {
            let base = URL(fileURLWithPath: output).appendingPathComponent(sample.name)
            try Data(try sample.photo.encoded(as: .png(compression: 1))).write(to: base.appendingPathExtension("png"))
            let alpha = try Image(pixels: sample.alpha, width: sample.photo.width, height: sample.photo.height, bands: 1)
            try Data(try alpha.encoded(as: .png())).write(to: base.appendingPathExtension("alpha.png"))
        }
        print("wrote \(set.count) samples to \(output)")
    }
}
