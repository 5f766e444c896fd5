import Foundation

/// Binary dilation and distances on row-major masks.
public enum MaskMorphology {
    /// Dilation by a disc of `radius` pixels.
    public static func dilated(_ mask: [Bool], width: Int, height: Int, radius: Int) -> [Bool] {
        guard radius > 0 else { return mask }
        var out = mask
        var offsets: [(Int, Int)] = []
        for dy in -radius...radius {
            for dx in -radius...radius where dx * dx + dy * dy <= radius * radius { offsets.append((dx, dy)) }
        }
        for y in 0..<height {
            for x in 0..<width where mask[y * width + x] {
                for (dx, dy) in offsets {
                    let nx = x + dx, ny = y + dy
                    if nx >= 0, ny >= 0, nx < width, ny < height { out[ny * width + nx] = true }
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
