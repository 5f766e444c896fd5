/// Agreement between two 8-bit masks of the same size.
public enum MaskMetrics {
    /// Intersection over union of the pixels at or above `threshold` (default: half opacity).
    public static func iou(_ a: [UInt8], _ b: [UInt8], threshold: UInt8 = 128) -> Double {
        precondition(a.count == b.count, "masks differ in size")
        var intersection = 0, union = 0
        for i in 0..<a.count {
            let inA = a[i] >= threshold, inB = b[i] >= threshold
            if inA && inB { intersection += 1 }
            if inA || inB { union += 1 }
        }
        return union == 0 ? 1 : Double(intersection) / Double(union)
    }

    /// Mean absolute difference, as a fraction of full opacity (0 = identical, 1 = opposite everywhere).
    public static func meanAbsoluteError(_ a: [UInt8], _ b: [UInt8]) -> Double {
        precondition(a.count == b.count, "masks differ in size")
        guard !a.isEmpty else { return 0 }
        var total = 0
        for i in 0..<a.count { total += abs(Int(a[i]) - Int(b[i])) }
        return Double(total) / Double(a.count * 255)
    }
}

extension MaskMetrics {
    /// Boundary F-measure (as DAVIS scores contours): the harmonic mean of the share of predicted boundary pixels
    /// within `tolerance` pixels of a true boundary pixel (precision) and the share of true boundary pixels
    /// within `tolerance` of a predicted one (recall). Masks are binarised at half opacity. The default tolerance
    /// is DAVIS's: 0.8 % of the image diagonal, at least one pixel.
    public static func boundaryF(_ predicted: [UInt8], _ truth: [UInt8], width: Int, height: Int, tolerance: Int? = nil) -> Double {
        precondition(predicted.count == truth.count && predicted.count == width * height, "masks differ in size")
        let radius = tolerance ?? max(1, Int((0.008 * Double(width * width + height * height).squareRoot()).rounded()))
        let predictedEdge = boundary(predicted, width: width, height: height)
        let trueEdge = boundary(truth, width: width, height: height)
        let predictedCount = predictedEdge.reduce(0) { $0 + Int($1) }, trueCount = trueEdge.reduce(0) { $0 + Int($1) }
        if predictedCount == 0 && trueCount == 0 { return 1 }
        if predictedCount == 0 || trueCount == 0 { return 0 }
        let nearTrue = dilate(trueEdge, width: width, height: height, radius: radius)
        let nearPredicted = dilate(predictedEdge, width: width, height: height, radius: radius)
        var matchedPredicted = 0, matchedTrue = 0
        for i in 0..<predictedEdge.count {
            if predictedEdge[i] == 1 && nearTrue[i] == 1 { matchedPredicted += 1 }
            if trueEdge[i] == 1 && nearPredicted[i] == 1 { matchedTrue += 1 }
        }
        let precision = Double(matchedPredicted) / Double(predictedCount), recall = Double(matchedTrue) / Double(trueCount)
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
    }

    /// Foreground pixels with a background 4-neighbour (the image border does not count as background).
    static func boundary(_ mask: [UInt8], width: Int, height: Int) -> [UInt8] {
        var edge = [UInt8](repeating: 0, count: mask.count)
        for y in 0..<height {
            for x in 0..<width where mask[y * width + x] >= 128 {
                let i = y * width + x
                if (x > 0 && mask[i - 1] < 128) || (x < width - 1 && mask[i + 1] < 128)
                    || (y > 0 && mask[i - width] < 128) || (y < height - 1 && mask[i + width] < 128) {
                    edge[i] = 1
                }
            }
        }
        return edge
    }

    /// Square dilation of a 0/1 map by `radius`, separable: rows, then columns.
    static func dilate(_ map: [UInt8], width: Int, height: Int, radius: Int) -> [UInt8] {
        var rows = [UInt8](repeating: 0, count: map.count)
        for y in 0..<height { dilateLine(map, into: &rows, start: y * width, count: width, stride: 1, radius: radius) }
        var out = [UInt8](repeating: 0, count: map.count)
        for x in 0..<width { dilateLine(rows, into: &out, start: x, count: height, stride: width, radius: radius) }
        return out
    }

    /// One line of `map` (`count` cells `stride` apart from `start`): a cell is set in `out` when a set cell of
    /// `map` lies within `radius` of it, found by two sweeps that carry the distance to the last set cell.
    static func dilateLine(_ map: [UInt8], into out: inout [UInt8], start: Int, count: Int, stride: Int, radius: Int) {
        var last = -radius - 1
        for i in 0..<count {
            if map[start + i * stride] == 1 { last = i }
            if i - last <= radius { out[start + i * stride] = 1 }
        }
        last = count + radius + 1
        for i in Swift.stride(from: count - 1, through: 0, by: -1) {
            if map[start + i * stride] == 1 { last = i }
            if last - i <= radius { out[start + i * stride] = 1 }
        }
    }
}
