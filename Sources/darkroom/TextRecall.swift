import Foundation
import Vision

/// Which painted texts the benchmark's detection found, grouped by how they were painted: a text counts as
/// found when at least half of the pixels it was last to paint are in Darkroom's mask.
struct TextRecall {
    struct Entry {
        var style: TextOverlayStyle
        var sizeShare: Double
        var coverage: Double
    }

    var entries: [Entry] = []

    mutating func add(_ sample: TextOverlaySample, found mask: [Bool]) {
        var painted = [Int](repeating: 0, count: sample.styles.count), covered = painted
        for p in sample.painter.indices where sample.painter[p] >= 0 {
            let i = Int(sample.painter[p])
            painted[i] += 1
            if mask[p] { covered[i] += 1 }
        }
        let short = Double(min(sample.original.width, sample.original.height))
        for (i, style) in sample.styles.enumerated() where painted[i] > 0 {
            let size = Double(style.font.split(separator: " ").last.flatMap { Int($0) } ?? 0)
            entries.append(Entry(style: style, sizeShare: size / short, coverage: Double(covered[i]) / Double(painted[i])))
        }
    }

    func report() {
        print("painted texts found (at least half of their pixels masked), by how they were painted:")
        func line(_ label: String, _ filter: (Entry) -> Bool) {
            let group = entries.filter(filter)
            guard !group.isEmpty else { return }
            let found = group.filter { $0.coverage >= 0.5 }.count
            let mean = group.map(\.coverage).reduce(0, +) / Double(group.count)
            print("  " + label.padding(toLength: 34, withPad: " ", startingAt: 0)
                  + String(format: "%3d of %3d  (%3.0f %%), mean share masked %.2f", found, group.count, 100 * Double(found) / Double(group.count), mean))
        }
        line("all", { _ in true })
        line("tiles of tiled watermarks", { $0.style.tile })
        let single: (Entry) -> Bool = { !$0.style.tile }
        line("single texts", single)
        line("  opacity 0.3–0.5", { single($0) && $0.style.opacity < 0.5 })
        line("  opacity 0.5–0.75", { single($0) && $0.style.opacity >= 0.5 && $0.style.opacity < 0.75 })
        line("  opacity 0.75–1", { single($0) && $0.style.opacity >= 0.75 })
        line("  size < 3 % of the short side", { single($0) && $0.sizeShare < 0.03 })
        line("  size 3–6 %", { single($0) && $0.sizeShare >= 0.03 && $0.sizeShare < 0.06 })
        line("  size ≥ 6 %", { single($0) && $0.sizeShare >= 0.06 })
        line("  level", { single($0) && $0.style.angle == 0 })
        line("  turned", { single($0) && $0.style.angle != 0 })
        line("  plain", { single($0) && $0.style.outline == nil && $0.style.shadow == nil })
        line("  outlined", { single($0) && $0.style.outline != nil })
        line("  drop shadow", { single($0) && $0.style.shadow != nil })
        let neutral: (Entry) -> Bool = { $0.style.colour.red == $0.style.colour.green && $0.style.colour.green == $0.style.colour.blue }
        line("  white or black", { single($0) && neutral($0) })
        line("  coloured", { single($0) && !neutral($0) })
    }
}
