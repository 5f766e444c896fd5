/// Means over a (2r+1)² window of several single-channel float planes at once, streamed a row at a time.
/// At the borders the mean is over the part of the window that lies inside the plane.
///
/// The planes are never stored whole: `fill` writes one source row of every quantity, the window's
/// horizontal means are kept for the last 2r+1 rows only, and `consume` gets each output row's means. The
/// refiner's products of its planes therefore cost a few kilobytes instead of megabytes of fresh memory per
/// cut-out (whose page faults cost more than the arithmetic). The window is small, so each pass adds the
/// shifted rows directly: loops the compiler vectorises, where a running sum is a chain of dependent adds.
struct BoxFilter {
    let width: Int
    let height: Int
    let radius: Int
    /// How many planes (quantities) are filtered together; a row holds `quantities` × `width` floats,
    /// quantity after quantity.
    let quantities: Int

    /// Runs the filter for output rows `rows`. `fill(y, row)` writes source row y of every quantity;
    /// `consume(y, means)` reads output row y's window means, laid out the same way.
    func run(rows: Range<Int>, fill: (Int, UnsafeMutablePointer<Float>) -> Void,
             consume: (Int, UnsafePointer<Float>) -> Void) {
        guard !rows.isEmpty else { return }
        let r = radius, slots = 2 * r + 1, rowLength = quantities * width
        let raw = UnsafeMutablePointer<Float>.allocate(capacity: rowLength)
        let ring = UnsafeMutablePointer<Float>.allocate(capacity: slots * rowLength)
        let means = UnsafeMutablePointer<Float>.allocate(capacity: rowLength)
        defer { raw.deallocate(); ring.deallocate(); means.deallocate() }
        let columnScale = Self.reciprocalCounts(width, radius: r), rowScale = Self.reciprocalCounts(height, radius: r)

        // Horizontal means of source row y into its ring slot.
        func load(_ y: Int) {
            fill(y, raw)
            let slot = ring + (y % slots) * rowLength
            columnScale.withUnsafeBufferPointer { scale in
                for k in 0..<quantities {
                    let source = raw + k * width, target = slot + k * width
                    for x in 0..<width { target[x] = 0 }
                    for offset in -r...r {
                        // Output columns whose shifted source column x + offset lies inside the row.
                        let low = max(0, -offset), high = min(width, width - offset)
                        guard low < high else { continue }
                        let shifted = source + offset
                        for x in low..<high { target[x] += shifted[x] }
                    }
                    for x in 0..<width { target[x] *= scale[x] }
                }
            }
        }

        var loaded = max(0, rows.lowerBound - r)  // the next source row to load
        for y in rows {
            let last = min(height - 1, y + r)
            while loaded <= last { load(loaded); loaded += 1 }
            for i in 0..<rowLength { means[i] = 0 }
            for source in max(0, y - r)...last {
                let slot = ring + (source % slots) * rowLength
                for i in 0..<rowLength { means[i] += slot[i] }
            }
            let scale = rowScale[y]
            for i in 0..<rowLength { means[i] *= scale }
            consume(y, means)
        }
    }

    /// 1 / (how many of the 2r+1 window positions around each index fall inside 0..<count).
    private static func reciprocalCounts(_ count: Int, radius r: Int) -> [Float] {
        (0..<count).map { 1 / Float(min($0 + r, count - 1) - max($0 - r, 0) + 1) }
    }
}
