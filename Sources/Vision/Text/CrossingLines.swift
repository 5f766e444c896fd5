import Foundation

/// Splits one component of the detector's binarised map into the lines it is made of, by direction. Each pixel
/// takes the direction in which the component runs furthest through it (a pixel of a bar turned by 28° runs
/// furthest along 28°, one of a level bar along 0°); the directions most pixels take are the lines' directions,
/// and the pixels of each direction, connected, are its lines. Where two lines cross, the crossing goes to one
/// of them and the other is cut in two, each part still a line.
enum CrossingLines {
    /// Directions tried, this many degrees apart over 0…180.
    static let step = 5
    /// How far (map pixels) a run is followed each way: enough to tell a bar's direction from across it.
    static let maximumRun = 48
    /// A direction is a line's when at least this share of the pixels take it or a direction beside it.
    static let minimumShare = 0.15
    /// Lines' directions are at least this many degrees apart.
    static let peakSeparation = 20
    /// A pixel belongs to a line whose direction is within this many degrees of its own.
    static let tolerance = 15
    /// Parts smaller than this (map pixels) are dropped.
    static let minimumPixels = 30

    /// `outline`: the component's row extremes (`ConnectedComponents.outlines`), for its bounds. Returns each line's
    /// row extremes, as `RotatedRectangle.enclosing` takes them.
    static func split(label: Int32, labels: [Int32], outline: [Point], width: Int, height: Int) -> [[Point]] {
        guard let minX = outline.map(\.x).min(), let maxX = outline.map(\.x).max(),
              let minY = outline.map(\.y).min(), let maxY = outline.map(\.y).max() else { return [] }
        let x0 = Int(minX), y0 = Int(minY), w = Int(maxX) - x0 + 1, h = Int(maxY) - y0 + 1
        func member(_ x: Int, _ y: Int) -> Bool {
            x >= x0 && y >= y0 && x < x0 + w && y < y0 + h && labels[y * width + x] == label
        }
        let angles = stride(from: 0, to: 180, by: step).map { Double($0) * .pi / 180 }
        let directions = angles.map { (cos($0), sin($0)) }
        var pixels: [(x: Int, y: Int, direction: Int)] = []
        var histogram = [Double](repeating: 0, count: angles.count)
        for y in y0..<(y0 + h) {
            for x in x0..<(x0 + w) where member(x, y) {
                var best = 0, bestRun = -1
                for (d, (dx, dy)) in directions.enumerated() {
                    var run = 0
                    for sign in [1.0, -1.0] {
                        var k = 1
                        while k <= maximumRun,
                              member(x + Int((sign * Double(k) * dx).rounded()), y + Int((sign * Double(k) * dy).rounded())) { k += 1 }
                        run += k - 1
                    }
                    if run > bestRun { bestRun = run; best = d }
                }
                pixels.append((x, y, best))
                histogram[best] += 1
            }
        }
        let n = angles.count
        func separation(_ a: Int, _ b: Int) -> Int { let d = abs(a - b) % n; return min(d, n - d) * step }
        // A line's pixels spread over the directions beside its own; they are counted with it.
        let held = (0..<n).map { d in (0..<n).filter { separation($0, d) <= step }.reduce(0) { $0 + histogram[$1] } }
        var peaks: [Int] = [], taken = [Bool](repeating: false, count: n)
        for _ in 0..<3 {
            guard let peak = (0..<n).filter({ !taken[$0] }).max(by: { held[$0] < held[$1] }),
                  held[peak] >= minimumShare * Double(pixels.count) else { break }
            peaks.append(peak)
            for d in 0..<n where separation(d, peak) <= peakSeparation { taken[d] = true }
        }
        guard !peaks.isEmpty else { return [] }
        // Each pixel goes to the nearest line's direction, when within `tolerance` of it.
        var bitmaps = [[Bool]](repeating: [Bool](repeating: false, count: w * h), count: peaks.count)
        for p in pixels {
            let line = peaks.indices.min(by: { separation(p.direction, peaks[$0]) < separation(p.direction, peaks[$1]) })!
            if separation(p.direction, peaks[line]) <= tolerance { bitmaps[line][(p.y - y0) * w + p.x - x0] = true }
        }
        var lines: [[Point]] = []
        for bitmap in bitmaps {
            let parts = ConnectedComponents.label(bitmap, width: w, height: h)
            var sizes = [Int](repeating: 0, count: parts.count)
            for value in parts.values where value >= 0 { sizes[Int(value)] += 1 }
            for (part, outline) in ConnectedComponents.outlines(labels: parts, width: w, height: h).enumerated()
            where sizes[part] >= minimumPixels {
                lines.append(outline.map { Point(x: $0.x + Double(x0), y: $0.y + Double(y0)) })
            }
        }
        return lines
    }
}
