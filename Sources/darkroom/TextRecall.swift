import Foundation
import Vision

/// Which painted texts the benchmark's detection found, grouped by how they were painted: a text counts as
/// found when at least half of the pixels it was last to paint are in Darkroom's mask.
struct TextRecall {
    struct Entry {
        var style: TextOverlayStyle
        var sizeShare: Double
        var coverage: Double
        /// Share of its pixels inside some detected box (any kind), and inside a box called artificial.
        var boxed: Double
        var boxedArtificial: Double
        /// Squared error left on its pixels by the result, summed over channels.
        var squaredError: Double
        var photo: String
    }

    var entries: [Entry] = []

    mutating func add(_ sample: TextOverlaySample, found mask: [Bool], regions: [TextRegion], result: [UInt8], original: [UInt8]) {
        let width = sample.original.width, height = sample.original.height
        // 1: inside some detected box, 2: inside a box called artificial.
        var boxes = [UInt8](repeating: 0, count: width * height)
        for region in regions {
            let b = region.pixelBounds(width: width, height: height)
            for y in b.y..<(b.y + b.height) { for x in b.x..<(b.x + b.width) where region.contains(x: Double(x) + 0.5, y: Double(y) + 0.5) {
                boxes[y * width + x] = max(boxes[y * width + x], region.kind == .artificial ? 2 : 1)
            } }
        }
        var painted = [Int](repeating: 0, count: sample.styles.count), covered = painted, boxed = painted, boxedArtificial = painted
        var squaredError = [Double](repeating: 0, count: sample.styles.count)
        for p in sample.painter.indices where sample.painter[p] >= 0 {
            let i = Int(sample.painter[p])
            painted[i] += 1
            if mask[p] { covered[i] += 1 }
            if boxes[p] >= 1 { boxed[i] += 1 }
            if boxes[p] == 2 { boxedArtificial[i] += 1 }
            for k in 0..<3 { let d = Double(result[3 * p + k]) - Double(original[3 * p + k]); squaredError[i] += d * d }
        }
        let short = Double(min(sample.original.width, sample.original.height))
        for (i, style) in sample.styles.enumerated() where painted[i] > 0 {
            let size = Double(style.font.split(separator: " ").last.flatMap { Int($0) } ?? 0)
            let n = Double(painted[i])
            entries.append(Entry(style: style, sizeShare: size / short, coverage: Double(covered[i]) / n,
                                 boxed: Double(boxed[i]) / n, boxedArtificial: Double(boxedArtificial[i]) / n,
                                 squaredError: squaredError[i], photo: sample.name))
        }
    }

    /// `listingWorst`: also list the missed texts, and the found ones, that hold the most error.
    func report(listingWorst: Bool = false) {
        let total = entries.map(\.squaredError).reduce(0, +)
        print("painted texts found (at least half of their pixels masked), by how they were painted, and their share")
        print("of the squared error left on all painted pixels:")
        func line(_ label: String, _ filter: (Entry) -> Bool) {
            let group = entries.filter(filter)
            guard !group.isEmpty else { return }
            let found = group.filter { $0.coverage >= 0.5 }.count
            let mean = group.map(\.coverage).reduce(0, +) / Double(group.count)
            let error = group.map(\.squaredError).reduce(0, +) / max(1, total)
            print("  " + label.padding(toLength: 34, withPad: " ", startingAt: 0)
                  + String(format: "%3d of %3d  (%3.0f %%), mean share masked %.2f, %4.1f %% of the error", found, group.count,
                           100 * Double(found) / Double(group.count), mean, 100 * error))
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
        // Why the others were missed, and how much of the error left on painted pixels each reason holds.
        print("texts missed, by why (share of the squared error left on all painted pixels):")
        func why(_ label: String, _ filter: (Entry) -> Bool) {
            let group = entries.filter { $0.coverage < 0.5 && filter($0) }
            print("  " + label.padding(toLength: 44, withPad: " ", startingAt: 0)
                  + String(format: "%3d  (%4.1f %% of the error)", group.count, 100 * group.map(\.squaredError).reduce(0, +) / max(1, total)))
        }
        why("outside every detected box", { $0.boxed < 0.5 })
        why("in boxes, but not ones called artificial", { $0.boxed >= 0.5 && $0.boxedArtificial < 0.5 })
        why("in boxes called artificial, strokes missed", { $0.boxedArtificial >= 0.5 })
        func worst(_ found: Bool, _ count: Int, _ detail: (Entry) -> String) {
            for e in entries.filter({ ($0.coverage >= 0.5) == found }).sorted(by: { $0.squaredError > $1.squaredError }).prefix(count) {
                print(String(format: "    %4.1f %%  %@ \"%@\" %@ opacity %.2f angle %.0f%@%@",
                             100 * e.squaredError / max(1, total), e.photo, e.style.text, e.style.font, e.style.opacity, e.style.angle,
                             e.style.outline != nil ? " outlined" : "", e.style.shadow != nil ? " shadow" : "") + detail(e))
            }
        }
        if listingWorst {
            worst(false, 25) { String(format: " boxed %.2f artificial %.2f masked %.2f", $0.boxed, $0.boxedArtificial, $0.coverage) }
        }
        let foundError = entries.filter { $0.coverage >= 0.5 }.map(\.squaredError).reduce(0, +)
        print(String(format: "  (texts found hold %.1f %% of the error)", 100 * foundError / max(1, total)))
        if listingWorst {
            print("texts found that hold the most error:")
            worst(true, 15) { String(format: " masked %.2f", $0.coverage) }
        }
    }
}
