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
