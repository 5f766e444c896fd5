import Foundation
import Testing
@testable import Vision

@Suite struct CrossingLinesTests {
    static let width = 320, height = 240

    /// A probability map of 0.05 with bars of 0.9: each bar a centre, a direction in degrees, a length and a
    /// thickness, in map pixels.
    static func map(bars: [(x: Double, y: Double, degrees: Double, length: Double, thickness: Double)]) -> [Float] {
        var map = [Float](repeating: 0.05, count: width * height)
        for bar in bars {
            let ux = cos(bar.degrees * .pi / 180), uy = sin(bar.degrees * .pi / 180)
            for y in 0..<height {
                for x in 0..<width {
                    let dx = Double(x) - bar.x, dy = Double(y) - bar.y
                    if abs(dx * ux + dy * uy) <= bar.length / 2, abs(-dx * uy + dy * ux) <= bar.thickness / 2 { map[y * width + x] = 0.9 }
                }
            }
        }
        return map
    }

    /// A bar turned 28° that a level bar crosses near one end: one component, whose rectangle is mostly empty.
    static let crossed = map(bars: [(160, 120, 28, 220, 12), (230, 150, 0, 90, 12)])

    @Test func aTurnedLineCrossedByALevelOneIsLostWithoutSplittingAndFoundWithIt() {
        var unsplit = DBPostProcessing()
        unsplit.splitsCrossingLines = false
        let before = unsplit.regions(probabilities: Self.crossed, width: Self.width, height: Self.height, scaleX: 1, scaleY: 1)
        #expect(before.isEmpty, "the joined component fails the box threshold: \(before.map { ($0.angle, $0.score) })")

        let after = DBPostProcessing().regions(probabilities: Self.crossed, width: Self.width, height: Self.height, scaleX: 1, scaleY: 1)
        let turned = after.filter { abs(abs($0.angle) - 28) < 4 }
        #expect(turned.count == 1, "\(after.map { ($0.angle, $0.sides) })")
        if let line = turned.first {
            // Part of the crossing may go to the level bar, so the turned line can come out a little short of its
            // 220 pixels; unclipping grows it by about its thickness.
            #expect(line.sides.along > 180 && line.sides.along < 260, "\(line.sides)")
            #expect(line.sides.across > 10 && line.sides.across < 48, "\(line.sides)")
            #expect(line.score >= 0.6)
        }
        // The level bar is cut out too, but a level line cut out of a rejected component is not taken.
        #expect(!after.contains { abs($0.angle) < 10 }, "\(after.map { ($0.angle, $0.sides) })")
    }

    @Test func splittingTwoCrossingBarsGivesOnePartAlongEachDirection() {
        let map = Self.map(bars: [(160, 120, 30, 200, 10), (160, 120, -30, 200, 10)])
        let bitmap = map.map { $0 > 0.3 }
        let labels = ConnectedComponents.label(bitmap, width: Self.width, height: Self.height)
        #expect(labels.count == 1)
        let outline = ConnectedComponents.outlines(labels: labels, width: Self.width, height: Self.height)[0]
        let lines = CrossingLines.split(label: 0, labels: labels.values, outline: outline, width: Self.width, height: Self.height)
        let rectangles = lines.compactMap { RotatedRectangle.enclosing($0) }.filter { max($0.width, $0.height) > 60 }
        let angles = rectangles.map { TextRegion(corners: $0.corners, score: 1).angle }
        // Each bar loses the crossing to the other at most, so each direction gives one or two long parts.
        #expect(angles.contains { abs($0 - 30) < 5 } && angles.contains { abs($0 + 30) < 5 }, "\(angles)")
        #expect(angles.allSatisfy { abs(abs($0) - 30) < 5 }, "\(angles)")
    }

    @Test func aSingleBarIsOneLineAlongItsDirection() {
        let map = Self.map(bars: [(160, 120, 28, 200, 12)])
        let labels = ConnectedComponents.label(map.map { $0 > 0.3 }, width: Self.width, height: Self.height)
        let outline = ConnectedComponents.outlines(labels: labels, width: Self.width, height: Self.height)[0]
        let lines = CrossingLines.split(label: 0, labels: labels.values, outline: outline, width: Self.width, height: Self.height)
        #expect(lines.count == 1)
        let rectangle = try? #require(lines.first.flatMap { RotatedRectangle.enclosing($0) })
        if let rectangle {
            #expect(abs(abs(TextRegion(corners: rectangle.corners, score: 1).angle) - 28) < 3)
            #expect(max(rectangle.width, rectangle.height) > 190)
        }
    }
}
