import Foundation

/// Binary dilation and distances on row-major masks.
public enum MaskMorphology {
    /// Dilation by a disc of `radius` pixels.
    ///
    /// The disc is a stack of horizontal spans, one per row offset, so each output pixel asks, for every row
    /// within `radius`, whether that row has a set pixel within the span's half-width: O(pixels × radius)
    /// instead of O(set pixels × radius²), which mattered for the outline band's wide rings around large text.
    public static func dilated(_ mask: [Bool], width: Int, height: Int, radius: Int) -> [Bool] {
        guard radius > 0, width > 0, height > 0 else { return mask }
        let halfWidths = (0...radius).map { dy in Int(Double(radius * radius - dy * dy).squareRoot()) }
        // For every pixel, how far along its row the nearest set pixel lies (beyond any radius when the row has none).
        var rowDistance = [Int](repeating: Int.max, count: width * height)
        for y in 0..<height {
            let row = y * width
            var last = Int.min / 2
            for x in 0..<width {
                if mask[row + x] { last = x }
                rowDistance[row + x] = x - last
            }
            last = Int.max / 2
            for x in stride(from: width - 1, through: 0, by: -1) {
                if mask[row + x] { last = x }
                rowDistance[row + x] = min(rowDistance[row + x], last - x)
            }
        }
        var out = [Bool](repeating: false, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                for dy in max(-radius, -y)...min(radius, height - 1 - y)
                where rowDistance[(y + dy) * width + x] <= halfWidths[abs(dy)] {
                    out[y * width + x] = true
                    break
                }
            }
        }
        return out
    }

    /// Chamfer (3-4) distance of every masked pixel to the nearest unmasked one, in pixels; 0 outside the mask.
    public static func distanceInside(_ mask: [Bool], width: Int, height: Int) -> [Float] {
        let big: Float = 1e9
        var d = mask.map { $0 ? big : 0 }
        for y in 0..<height {
            for x in 0..<width where mask[y * width + x] {
                var v = d[y * width + x]
                if x > 0 { v = min(v, d[y * width + x - 1] + 3) } else { v = min(v, 3) }
                if y > 0 { v = min(v, d[(y - 1) * width + x] + 3) } else { v = min(v, 3) }
                if x > 0, y > 0 { v = min(v, d[(y - 1) * width + x - 1] + 4) }
                if x < width - 1, y > 0 { v = min(v, d[(y - 1) * width + x + 1] + 4) }
                d[y * width + x] = v
            }
        }
        for y in stride(from: height - 1, through: 0, by: -1) {
            for x in stride(from: width - 1, through: 0, by: -1) where mask[y * width + x] {
                var v = d[y * width + x]
                if x < width - 1 { v = min(v, d[y * width + x + 1] + 3) } else { v = min(v, 3) }
                if y < height - 1 { v = min(v, d[(y + 1) * width + x] + 3) } else { v = min(v, 3) }
                if x < width - 1, y < height - 1 { v = min(v, d[(y + 1) * width + x + 1] + 4) }
                if x > 0, y < height - 1 { v = min(v, d[(y + 1) * width + x - 1] + 4) }
                d[y * width + x] = v
            }
        }
        return d.map { $0 / 3 }
    }
}
