import ArgumentParser
import Foundation
import Imaging

/// Resident memory across many decode → alpha → blur → encode cycles: it must stay flat, which is what shows
/// that every libvips object is released.
struct MemoryBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "memory",
        abstract: "Print resident memory before and after repeated image cycles (a leak check)."
    )

    @Argument(help: "Photo to cycle.")
    var image: String

    @Option(help: "Cycles after the warm-up.")
    var cycles: Int = 60

    func run() throws {
        guard let data = FileManager.default.contents(atPath: image) else { throw ValidationError("cannot read \(image)") }
        let bytes = [UInt8](data)
        func cycle() throws {
            let photo = try Image.decode(bytes)
            let mask = try photo.grayscale()
            _ = try photo.withAlpha(mask).blurred(sigma: 2).encoded(as: .png(compression: 1))
        }
        for _ in 0..<10 { try cycle() }
        let before = residentMegabytes()
        for _ in 0..<cycles { try cycle() }
        let after = residentMegabytes()
        print(String(format: "rss_before_mb %.1f rss_after_mb %.1f cycles %d", before, after, cycles))
    }
}

/// This process's resident memory, from /proc/self/statm.
func residentMegabytes() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
          let pages = text.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return 0 }
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}
