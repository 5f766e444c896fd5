/// The bounding box of a one-band mask's pixels above a threshold, after a 3×3 median with the edges
/// replicated — what libvips' `find_trim` finds against a black background, so lone specks do not stretch
/// the box. Computed on bytes the caller usually has anyway: `find_trim` runs a median, a float conversion
/// and six more full-image passes, which cost more than the rest of a cut-out's layout put together.
/// Masks narrower or lower than 3 pixels (which `find_trim` refuses) are taken pixel by pixel.
public enum MaskBounds {
    public static func box(of pixels: [UInt8], width: Int, height: Int, above threshold: UInt8) -> PixelRect? {
        precondition(pixels.count == width * height)
        guard width >= 3, height >= 3 else { return unsmoothedBox(of: pixels, width: width, height: height, above: threshold) }
        // A median of nine values is above the threshold exactly when at least five of them are.
        let above = pixels.map { $0 > threshold ? UInt8(1) : 0 }
        var column = [UInt8](repeating: 0, count: width), votes = column
        return above.withUnsafeBufferPointer { above in column.withUnsafeMutableBufferPointer { column in
            votes.withUnsafeMutableBufferPointer { votes in
                /// `votes[x]`: how many of the 3×3 neighbours of (x, y) are above.
                func count(row y: Int) {
                    let up = above.baseAddress! + max(y - 1, 0) * width, middle = above.baseAddress! + y * width
                    let down = above.baseAddress! + min(y + 1, height - 1) * width
                    for x in 0..<width { column[x] = up[x] &+ middle[x] &+ down[x] }
                    for x in 1..<(width - 1) { votes[x] = column[x - 1] &+ column[x] &+ column[x + 1] }
                    votes[0] = column[0] &+ column[0] &+ column[1]
                    votes[width - 1] = column[width - 2] &+ column[width - 1] &+ column[width - 1]
                }
                func rowHasSubject(_ y: Int) -> Bool {
                    count(row: y)
                    for x in 0..<width where votes[x] >= 5 { return true }
                    return false
                }
                guard let top = (0..<height).first(where: rowHasSubject),
                      let bottom = (top..<height).reversed().first(where: rowHasSubject) else { return nil }
                // Rows between only need looking at outside the columns already known to be in the box.
                var left = width, right = -1
                for y in top...bottom {
                    count(row: y)
                    var x = 0
                    while x < left { if votes[x] >= 5 { left = x; break }; x += 1 }
                    x = width - 1
                    while x > right { if votes[x] >= 5 { right = x; break }; x -= 1 }
                }
                return PixelRect(x: left, y: top, width: right - left + 1, height: bottom - top + 1)
            }
        }}
    }

    private static func unsmoothedBox(of pixels: [UInt8], width: Int, height: Int, above threshold: UInt8) -> PixelRect? {
        var box: (minX: Int, minY: Int, maxX: Int, maxY: Int)?
        for y in 0..<height { for x in 0..<width where pixels[y * width + x] > threshold {
            box = (min(box?.minX ?? x, x), min(box?.minY ?? y, y), max(box?.maxX ?? x, x), max(box?.maxY ?? y, y))
        } }
        return box.map { PixelRect(x: $0.minX, y: $0.minY, width: $0.maxX - $0.minX + 1, height: $0.maxY - $0.minY + 1) }
    }
}
