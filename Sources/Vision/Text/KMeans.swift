import Foundation

/// Lloyd's k-means on colours, seeded at luminance quantiles so that it is deterministic.
enum KMeans {
    static func cluster(_ colours: [SIMD3<Float>], k: Int, iterations: Int = 8) -> (labels: [Int], centres: [SIMD3<Float>]) {
        let weights = SIMD3<Float>(0.299, 0.587, 0.114)
        let luminance = colours.map { ($0 * weights).sum() }
        let byLuminance = colours.indices.sorted { luminance[$0] < luminance[$1] }
        var centres = (0..<k).map { colours[byLuminance[min(colours.count - 1, (2 * $0 + 1) * colours.count / (2 * k))]] }
        var labels = [Int](repeating: 0, count: colours.count)
        for _ in 0..<iterations {
            for (index, colour) in colours.enumerated() {
                var best = 0, bestDistance = Float.infinity
                for (c, centre) in centres.enumerated() {
                    let d = colour - centre
                    let distance = (d * d).sum()
                    if distance < bestDistance { bestDistance = distance; best = c }
                }
                labels[index] = best
            }
            var sums = [SIMD3<Float>](repeating: .zero, count: k), counts = [Float](repeating: 0, count: k)
            for (index, colour) in colours.enumerated() { sums[labels[index]] += colour; counts[labels[index]] += 1 }
            for c in 0..<k where counts[c] > 0 { centres[c] = sums[c] / counts[c] }
        }
        return (labels, centres)
    }
}
