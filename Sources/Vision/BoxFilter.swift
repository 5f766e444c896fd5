/// Mean over a (2r+1)² window of a single-channel float plane, in O(1) per pixel (running sums along rows,
/// then columns). At the borders the mean is over the part of the window that lies inside the plane.
enum BoxFilter {
    static func mean(_ plane: [Float], width: Int, height: Int, radius r: Int) -> [Float] {
        precondition(plane.count == width * height)
        var horizontal = [Float](repeating: 0, count: plane.count)
        var out = [Float](repeating: 0, count: plane.count)
        plane.withUnsafeBufferPointer { src in
            horizontal.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    let row = y * width
                    var sum: Float = 0
                    for x in 0..<min(r, width) { sum += src[row + x] }
                    for x in 0..<width {
                        if x + r < width { sum += src[row + x + r] }
                        if x - r - 1 >= 0 { sum -= src[row + x - r - 1] }
                        let count = min(x + r, width - 1) - max(x - r, 0) + 1
                        dst[row + x] = sum / Float(count)
                    }
                }
            }
        }
        horizontal.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var sums = [Float](repeating: 0, count: width)
                for y in 0..<min(r, height) { for x in 0..<width { sums[x] += src[y * width + x] } }
                for y in 0..<height {
                    if y + r < height { let row = (y + r) * width; for x in 0..<width { sums[x] += src[row + x] } }
                    if y - r - 1 >= 0 { let row = (y - r - 1) * width; for x in 0..<width { sums[x] -= src[row + x] } }
                    let count = Float(min(y + r, height - 1) - max(y - r, 0) + 1)
                    let row = y * width
                    for x in 0..<width { dst[row + x] = sums[x] / count }
                }
            }
        }
        return out
    }
}
