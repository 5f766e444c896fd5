import ArgumentParser
import Foundation
import ONNXRuntime
import Vision

/// Bare-inference throughput (no image work at all) for each ONNX Runtime layout: how many sessions, how many
/// threads each, spinning on or off. This is the bound an HTTP route can approach, and how the defaults were chosen.
struct InferenceBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inference",
        abstract: "Bare-inference throughput of the model for sessions × threads layouts, callers = sessions."
    )

    @Option(help: "Layouts to measure, SESSIONSxTHREADS, comma-separated.")
    var layouts: String = "1x1,1x2,2x1"

    @Option(help: "Seconds per layout.")
    var seconds: Double = 8

    @Flag(inversion: .prefixedNo, help: "Let idle intra-op threads spin.")
    var spinning = true

    @Flag(inversion: .prefixedNo, help: "ORT's CPU memory arena.")
    var arena = true

    @Option(help: "Graph optimisation level: 0, 1, 2 or 99.")
    var optimization: Int32 = 99

    @OptionGroup var modelOptions: ModelOptions

    func run() throws {
        let home = DarkroomHome(path: modelOptions.home)
        let runtime = try Runtime.shared(libraryPath: home.runtimeLibrary())
        let (path, model) = try modelOptions.modelChoice(home: home)
        print("model \(model?.name ?? path), \(ProcessInfo.processInfo.activeProcessorCount) cores, spinning \(spinning), arena \(arena), optimisation \(optimization)")
        print("layout\tinferences/s\tmedian ms\tresident MB (cumulative)")
        for layout in layouts.split(separator: ",") {
            let parts = layout.split(separator: "x").compactMap { Int($0) }
            guard parts.count == 2, parts[0] >= 1, parts[1] >= 0 else { throw ValidationError("layout '\(layout)' is not SESSIONSxTHREADS") }
            let options = Session.Options(intraOpThreads: parts[1], optimizationLevel: optimization, allowSpinning: spinning, memoryArena: arena)
            let segmenter = try Segmenter(modelPath: path, runtime: runtime, model: model, options: options, sessions: parts[0])
            let input = try segmenter.blankInput(value: 0.1)
            _ = try segmenter.predict(input)
            let (rate, latency) = Self.measure(callers: parts[0], seconds: seconds) { _ = try? segmenter.predict(input) }
            print("\(layout)\t\(String(format: "%.2f", rate))\t\(milliseconds(latency))\t\(Int(residentMegabytes()))")
        }
    }

    /// Runs `work` on `callers` threads for `seconds`; returns completions per second and the median duration.
    static func measure(callers: Int, seconds: Double, _ work: @escaping @Sendable () -> Void) -> (Double, Double) {
        let end = Date().addingTimeInterval(seconds)
        let lock = NSLock()
        nonisolated(unsafe) var durations: [Double] = []
        let group = DispatchGroup()
        let start = Date()
        for _ in 0..<callers {
            group.enter()
            Thread.detachNewThread {
                while Date() < end {
                    let begin = Date()
                    work()
                    let elapsed = Date().timeIntervalSince(begin)
                    lock.lock(); durations.append(elapsed); lock.unlock()
                }
                group.leave()
            }
        }
        group.wait()
        return (Double(durations.count) / Date().timeIntervalSince(start), median(durations))
    }
}
