import ArgumentParser
import Editing
import Foundation
import Imaging

/// `darkroom bench background`: the procedural background generator at output sizes, beside the existing
/// `background.blur` (a Gaussian blur of the photo at the same size) measured in the same run.
struct BackgroundBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "background",
        abstract: "Median time to generate a background from a prompt at output sizes, against background.blur at the same size."
    )

    @Option(help: "Photo used for the background.blur reference.")
    var photo: String = "../shared/samples/skimage_coffee.png"

    @Option(help: "Output sizes, WIDTHxHEIGHT, comma-separated.")
    var sizes: String = "1000x750,2000x1500,4000x3000"

    @Option(help: "Timed runs per size and prompt (after one warm-up).")
    var runs: Int = 5

    static let prompts = ["white marble kitchen, soft light", "dark walnut table in front of a sage wall", "sunset beach", "forest"]

    func run() throws {
        guard let data = FileManager.default.contents(atPath: photo) else { throw ValidationError("cannot read \(photo)") }
        let source = try Image.decode([UInt8](data))
        let clock = ContinuousClock()
        func time(_ body: () throws -> Void) rethrows -> Double {
            let start = clock.now
            try body()
            return (clock.now - start).inSeconds
        }
        print("size        MP     " + Self.prompts.map { String($0.prefix(14)).padding(toLength: 16, withPad: " ", startingAt: 0) }.joined()
              + "blur 0.01 ref   ratio (median prompt / blur)")
        for size in sizes.split(separator: ",") {
            let parts = size.split(separator: "x").compactMap { Int($0) }
            guard parts.count == 2 else { throw ValidationError("sizes look like 2000x1500, got \(size)") }
            let (width, height) = (parts[0], parts[1])
            // The reference: what `background.blur.mode=gaussian` does at this size (radius 0.01 of the diagonal).
            let sigma = 0.01 * Double(width * width + height * height).squareRoot() / 2
            func blur() throws { _ = try source.resized(width: width, height: height).blurred(sigma: sigma).materialized() }
            var generated: [Double] = [], reference: [Double] = []
            try blur()
            for prompt in Self.prompts {
                _ = try ProceduralBackground.render(prompt: prompt, seed: 1, width: width, height: height).materialized()
            }
            var perPrompt = [[Double]](repeating: [], count: Self.prompts.count)
            for run in 0..<runs {
                // Interleaved, so both see the same machine load.
                reference.append(try time(blur))
                for (index, prompt) in Self.prompts.enumerated() {
                    perPrompt[index].append(try time { _ = try ProceduralBackground.render(prompt: prompt, seed: UInt32(run + 1), width: width, height: height).materialized() })
                }
            }
            generated = perPrompt.map(median)
            let line = "\(size)".padding(toLength: 12, withPad: " ", startingAt: 0)
                + String(format: "%-7.1f", Double(width * height) / 1e6)
                + generated.map { (milliseconds($0) + " ms").padding(toLength: 16, withPad: " ", startingAt: 0) }.joined()
                + (milliseconds(median(reference)) + " ms").padding(toLength: 16, withPad: " ", startingAt: 0)
                + String(format: "%.2f", median(generated) / max(1e-9, median(reference)))
            print(line)
        }
    }
}
