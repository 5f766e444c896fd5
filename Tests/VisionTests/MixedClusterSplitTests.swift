import Imaging
import Testing
@testable import Vision

/// Dark grey letters beside dark blue jeans (`sam_dog`'s "Best price"): k-means put both in one cluster, common on
/// the ring where the jeans cross it, so the letters were not text. The split under test separates the cluster's
/// two colours and gives the letters a cluster of their own.
@Suite struct MixedClusterSplitTests {
    static let width = 100, height = 30
    static let letters = SIMD3<Float>(45, 45, 45), jeans = SIMD3<Float>(25, 60, 140)
    static let floor = SIMD3<Float>(229, 228, 234), grout = SIMD3<Float>(165, 156, 152)

    enum Place { case floor, letter, jeans, grout }

    /// The box is x 6–93, y 6–23; the jeans run in through the right of the ring, the grout is a line below.
    static func place(_ x: Int, _ y: Int) -> Place {
        if x >= 80 { return .jeans }
        if (8...21).contains(y), x >= 10, x < 70, (x - 10) % 8 < 3 { return .letter }
        if y == 26 { return .grout }
        return .floor
    }

    static let inside = (0..<(width * height)).map { i in (6..<(width - 6)).contains(i % width) && (6..<(height - 6)).contains(i / width) }
    static func isPlace(_ p: Place) -> (Int) -> Bool { { place($0 % width, $0 / width) == p } }

    /// Labels as k-means left them: 0 letters and jeans together, 1 floor, 2 grout.
    static let labels = (0..<(width * height)).map { i -> Int in
        switch place(i % width, i / width) { case .letter, .jeans: 0; case .floor: 1; case .grout: 2 }
    }

    static func ratiosAndShares(_ labels: [Int], count: Int) -> (ratios: [Double], inside: [Double]) {
        var inner = [Double](repeating: 0, count: count), ring = inner
        for i in labels.indices { if inside[i] { inner[labels[i]] += 1 } else { ring[labels[i]] += 1 } }
        let innerTotal = inner.reduce(0, +), ringTotal = ring.reduce(0, +)
        let ratios = (0..<count).map { inner[$0] == 0 ? Double.infinity : (ring[$0] / ringTotal) / (inner[$0] / innerTotal) }
        return (ratios, inner.map { $0 / innerTotal })
    }

    static func split(_ colourOf: (Place) -> SIMD3<Float>) -> (labels: [Int], count: Int) {
        var labels = Self.labels
        let (ratios, shares) = ratiosAndShares(labels, count: 3)
        let stretched = (0..<(width * height)).map { StrokeMask.chromaStretched(colourOf(place($0 % width, $0 / width))) }
        let count = StrokeMask.splitMixedClusters(&labels, count: 3, stretched: stretched, positions: Array(0..<(width * height)),
                                                  ring: inside.map { !$0 }, ratios: ratios, insideShare: shares)
        return (labels, count)
    }

    @Test func lettersMergedWithJeansBecomeAClusterOfTheirOwnThatIsRareOnTheRing() {
        let (ratios, _) = Self.ratiosAndShares(Self.labels, count: 3)
        #expect(ratios[0] > StrokeMask.borderRatio, "merged with the jeans, the letters' cluster is not text")
        let (labels, count) = Self.split { p in
            switch p { case .letter: Self.letters; case .jeans: Self.jeans; case .floor: Self.floor; case .grout: Self.grout }
        }
        #expect(count == 4)
        let letterPixels = labels.indices.filter(Self.isPlace(.letter))
        #expect(letterPixels.allSatisfy { labels[$0] == 3 }, "every letter pixel in the new cluster")
        #expect(labels.indices.filter { labels[$0] == 3 }.count == letterPixels.count, "and nothing else")
        let (after, _) = Self.ratiosAndShares(labels, count: count)
        #expect(after[3] < StrokeMask.borderRatio, "the letters' cluster is now text")
        #expect(after[0] > 1, "the jeans' is background")
    }

    @Test func aClusterOfTwoShadesBothAsCommonOnTheRingIsNotSplit() {
        // No letters: the cluster is jeans of two shades, column by column, inside the box and on its ring alike.
        var labels = Self.labels
        let (ratios, shares) = Self.ratiosAndShares(labels, count: 3)
        let stretched = (0..<(Self.width * Self.height)).map { i -> SIMD3<Float> in
            switch Self.place(i % Self.width, i / Self.width) {
            case .letter, .jeans: StrokeMask.chromaStretched(i % 2 == 0 ? Self.jeans : SIMD3(60, 100, 200))
            case .floor: StrokeMask.chromaStretched(Self.floor)
            case .grout: StrokeMask.chromaStretched(Self.grout)
            }
        }
        let count = StrokeMask.splitMixedClusters(&labels, count: 3, stretched: stretched, positions: Array(0..<(Self.width * Self.height)),
                                                  ring: Self.inside.map { !$0 }, ratios: ratios, insideShare: shares)
        #expect(count == 3)
        #expect(zip(labels, Self.labels).allSatisfy { $0 == $1 }, "no pixel moved to a new cluster")
    }
}
