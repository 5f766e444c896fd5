import Foundation

/// Turns the DB detector's probability map into text rectangles, the way PaddleOCR's `DBPostProcess` does:
/// binarise at `threshold`, dilate by 2×2, take each connected component's minimum-area rectangle, keep it when
/// the mean probability inside reaches `boxThreshold`, then "unclip" it by area × `unclipRatio` / perimeter.
public struct DBPostProcessing: Sendable {
    public var threshold: Float = 0.3
    public var boxThreshold: Float = 0.5
    public var unclipRatio = 1.6
    public var maxCandidates = 1000
    /// Rectangles thinner than this (in map pixels) are noise.
    public var minimumSide = 3.0
    /// Two lines that touch (a turned caption crossing a level one, or ending on one) are one component of the
    /// map, whose rectangle is mostly empty and fails `boxThreshold`. Such a component, at least
    /// `minimumSplitArea` map pixels² large, is split into its lines by direction (`CrossingLines`), and each line
    /// is kept when it is twice as long as high, its own rectangle's mean probability reaches
    /// `splitLineThreshold`, and it is turned by at least `splitLineMinimumAngle` degrees. A line cut out of a
    /// rejected component must meet a stricter bar than a whole one: at the box threshold alone, pieces of the
    /// letters of tiled watermarks came out as lines (−2.6 dB on one photo of seeds 13001–13017), and they were
    /// level or nearly (the level pass finds level lines well on its own; a turned line is what it loses).
    public var splitsCrossingLines = true
    public var minimumSplitArea = 400.0
    public var splitLineThreshold: Float = 0.6
    public var splitLineMinimumAngle = 10.0
    /// A line is a row of glyphs, so its rectangle is longer than high. One about as long as high (under this
    /// ratio) holds a glyph or two at most, and when it is also high (at least `maximumBlobHeight` of the photo's
    /// shorter side) it was, on the text benchmark's untouched photos, a face, an eye or a reflection — a lion's
    /// whole face once — and never a painted text but one cut short by the photo's edge (two glyphs of "NEW
    /// COLLECTION" were left inside), so a rectangle that reaches the edge is kept. Others are not taken as text.
    /// 1.7 rather than 1.5 since 2026-11-27: the dark base of a machine behind `sam_dog`'s dog was a 1.6 "line",
    /// called artificial and filled with the floor. On `darkroom bench text` 1.7 and 2.0 both left every painted
    /// text's score as it was (nine held-out sets, the tuning seeds and six more), and took the untouched photos
    /// repainted from 0.393 to 0.141 %; 1.7 keeps more short, large words (a bold "OK" or "-5%").
    public var minimumLineAspect = 1.7
    public var maximumBlobHeight = 0.08

    public init() {}

    /// Whether `region` can be a line of text on a `width`×`height` photo.
    public func isLine(_ region: TextRegion, width: Int, height: Int) -> Bool {
        let (along, across) = region.sides
        guard along < minimumLineAspect * across, across >= maximumBlobHeight * Double(min(width, height)) else { return true }
        let xs = region.corners.map(\.x), ys = region.corners.map(\.y)
        return xs.min()! < 1 || ys.min()! < 1 || xs.max()! > Double(width) - 1 || ys.max()! > Double(height) - 1
    }

    /// Rectangles in map coordinates, scaled by (`scaleX`, `scaleY`) into photo coordinates.
    public func regions(probabilities map: [Float], width: Int, height: Int, scaleX: Double, scaleY: Double) -> [TextRegion] {
        precondition(map.count == width * height)
        var bitmap = [Bool](repeating: false, count: map.count)
        // 2×2 dilation: a pixel is set when it or its left, upper or upper-left neighbour is above threshold.
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x
                var on = map[i] > threshold
                if !on, x > 0 { on = map[i - 1] > threshold }
                if !on, y > 0 { on = map[i - width] > threshold || (x > 0 && map[i - width - 1] > threshold) }
                bitmap[i] = on
            }
        }
        var regions: [TextRegion] = []
        let labels = ConnectedComponents.label(bitmap, width: width, height: height)
        let components = ConnectedComponents.outlines(labels: labels, width: width, height: height)
        for (label, component) in components.prefix(maxCandidates).enumerated() {
            guard let box = RotatedRectangle.enclosing(component), min(box.width, box.height) >= minimumSide else { continue }
            let score = meanProbability(map, width: width, height: height, inside: box.corners)
            if score >= boxThreshold {
                if let region = unclipped(box, score: score, width: width, height: height, scaleX: scaleX, scaleY: scaleY) {
                    regions.append(region)
                }
            } else if splitsCrossingLines, box.width * box.height >= minimumSplitArea {
                for line in CrossingLines.split(label: Int32(label), labels: labels.values, outline: component, width: width, height: height) {
                    guard let part = RotatedRectangle.enclosing(line), min(part.width, part.height) >= minimumSide,
                          max(part.width, part.height) >= 2 * min(part.width, part.height) else { continue }
                    let partScore = meanProbability(map, width: width, height: height, inside: part.corners)
                    guard partScore >= max(boxThreshold, splitLineThreshold),
                          let region = unclipped(part, score: partScore, width: width, height: height, scaleX: scaleX, scaleY: scaleY),
                          abs(region.angle) >= splitLineMinimumAngle
                    else { continue }
                    regions.append(region)
                }
            }
        }
        return regions
    }

    /// A rectangle grown by area × `unclipRatio` / perimeter, in photo coordinates; nil when still too thin.
    func unclipped(_ box: (corners: [Point], width: Double, height: Double), score: Float, width: Int, height: Int,
                   scaleX: Double, scaleY: Double) -> TextRegion? {
        let area = box.width * box.height, perimeter = 2 * (box.width + box.height)
        let grown = RotatedRectangle.grown(box.corners, by: area * unclipRatio / perimeter)
        let grownBox = RotatedRectangle.enclosing(grown)!
        guard min(grownBox.width, grownBox.height) >= minimumSide + 2 else { return nil }
        let corners = grownBox.corners.map {
            Point(x: min(max($0.x * scaleX, 0), Double(width) * scaleX), y: min(max($0.y * scaleY, 0), Double(height) * scaleY))
        }
        return TextRegion(corners: corners, score: score)
    }

    /// Mean of the map over the pixels whose centres fall inside the rectangle ("fast" box score).
    func meanProbability(_ map: [Float], width: Int, height: Int, inside corners: [Point]) -> Float {
        let region = TextRegion(corners: corners, score: 0)
        let bounds = region.pixelBounds(width: width, height: height)
        var sum: Float = 0, count = 0
        for y in bounds.y..<(bounds.y + bounds.height) {
            for x in bounds.x..<(bounds.x + bounds.width) where region.contains(x: Double(x), y: Double(y)) {
                sum += map[y * width + x]; count += 1
            }
        }
        return count == 0 ? 0 : sum / Float(count)
    }
}

/// 8-connected components of a bitmap.
enum ConnectedComponents {
    /// For each component, the outer pixel corners of its leftmost and rightmost pixel on every row: enough for
    /// its convex hull. Components are listed in scan order of their first pixel.
    static func outlines(_ bitmap: [Bool], width: Int, height: Int) -> [[Point]] {
        outlines(labels: label(bitmap, width: width, height: height), width: width, height: height)
    }

    /// The same, from labels already computed; component k is label k.
    static func outlines(labels: (values: [Int32], count: Int), width: Int, height: Int) -> [[Point]] {
        var extremes: [Int: [Int: (Int, Int)]] = [:]
        var order: [Int] = []
        for y in 0..<height {
            for x in 0..<width {
                let label = Int(labels.values[y * width + x])
                guard label >= 0 else { continue }
                if extremes[label] == nil { extremes[label] = [:]; order.append(label) }
                if let (low, high) = extremes[label]![y] {
                    extremes[label]![y] = (min(low, x), max(high, x))
                } else {
                    extremes[label]![y] = (x, x)
                }
            }
        }
        return order.map { label in
            var points: [Point] = []
            for (y, (low, high)) in extremes[label]! {
                // Pixel centres, as OpenCV's contours use.
                points.append(Point(x: Double(low), y: Double(y)))
                points.append(Point(x: Double(high), y: Double(y)))
            }
            return points
        }
    }

    /// Component label per pixel (-1 for background), by union-find over one scan.
    static func label(_ bitmap: [Bool], width: Int, height: Int) -> (values: [Int32], count: Int) {
        var parent: [Int32] = []
        func find(_ a: Int32) -> Int32 {
            var a = a
            while parent[Int(a)] != a { parent[Int(a)] = parent[Int(parent[Int(a)])]; a = parent[Int(a)] }
            return a
        }
        func union(_ a: Int32, _ b: Int32) {
            let ra = find(a), rb = find(b)
            if ra != rb { parent[Int(max(ra, rb))] = min(ra, rb) }
        }
        var labels = [Int32](repeating: -1, count: bitmap.count)
        for y in 0..<height {
            for x in 0..<width where bitmap[y * width + x] {
                var current: Int32 = -1
                for (dx, dy) in [(-1, 0), (-1, -1), (0, -1), (1, -1)] {
                    let nx = x + dx, ny = y + dy
                    guard nx >= 0, ny >= 0, nx < width else { continue }
                    let neighbour = labels[ny * width + nx]
                    guard neighbour >= 0 else { continue }
                    if current < 0 { current = neighbour } else { union(current, neighbour) }
                }
                if current < 0 { current = Int32(parent.count); parent.append(current) }
                labels[y * width + x] = current
            }
        }
        var compact: [Int32: Int32] = [:]
        for i in labels.indices where labels[i] >= 0 {
            let root = find(labels[i])
            if let id = compact[root] { labels[i] = id } else {
                let id = Int32(compact.count); compact[root] = id; labels[i] = id
            }
        }
        return (labels, compact.count)
    }
}
