import Imaging

/// A point in photo pixels (x right, y down).
public struct Point: Sendable, Equatable {
    public var x: Double, y: Double
    public init(x: Double, y: Double) { self.x = x; self.y = y }
}

/// Whether a text is painted over the photo (watermark, price, caption) or belongs to the scene (sign, label).
public enum TextKind: String, Sendable, Equatable { case artificial, natural }

/// One text line found by the detector: a rotated rectangle in photo pixels and the detector's confidence.
public struct TextRegion: Sendable, Equatable {
    /// The rectangle's four corners, clockwise (in image coordinates) from the corner nearest the top-left.
    public var corners: [Point]
    /// Mean text probability inside the rectangle before unclipping, 0…1.
    public var score: Float
    /// Filled in by `TextClassifier`.
    public var kind: TextKind?
    /// What the classifier measured; nil when no strokes could be separated.
    public var features: TextFeatures?
    /// The semi-transparent overlay the text was found to be and restored from; nil when it was filled.
    public var overlay: OverlayUnblending.Overlay?
    /// How many pixels the stroke mask covers (0 when none could be separated).
    public var strokePixels = 0
    /// Found as one tile of a watermark tiled over the photo (`TiledWatermarkSearch`), not by the detector.
    public var tiled = false

    public init(corners: [Point], score: Float, kind: TextKind? = nil) {
        self.corners = corners
        self.score = score
        self.kind = kind
    }

    /// Length of the first edge (along the text) and of the second (across it).
    public var sides: (along: Double, across: Double) {
        let (first, second) = edges
        return first >= second ? (first, second) : (second, first)
    }

    /// Lengths of the first edge (corner 0 to 1) and the second (1 to 2).
    var edges: (Double, Double) {
        func distance(_ a: Point, _ b: Point) -> Double { ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot() }
        return (distance(corners[0], corners[1]), distance(corners[1], corners[2]))
    }

    /// The long side: the corner it starts from (0 or 1), its unit direction and its length (`sides.along`).
    var lineAxis: (origin: Point, ux: Double, uy: Double, length: Double) {
        let (first, second) = edges
        let (a, b, length) = first >= second ? (corners[0], corners[1], first) : (corners[1], corners[2], second)
        let safe = max(length, 1e-9)
        return (a, (b.x - a.x) / safe, (b.y - a.y) / safe, safe)
    }

    /// Angle of the long side from the horizontal, in degrees, folded into (-90, 90].
    public var angle: Double {
        // The same comparison as `sides` (comparing `sides.along` with a length computed another way differed
        // in the last bit now and then, and the short side's angle came back).
        let (a, b): (Point, Point)
        let (first, second) = edges
        if first >= second {
            (a, b) = (corners[0], corners[1])
        } else {
            (a, b) = (corners[1], corners[2])
        }
        var degrees = atan2(b.y - a.y, b.x - a.x) * 180 / .pi
        while degrees > 90 { degrees -= 180 }
        while degrees <= -90 { degrees += 180 }
        return degrees
    }

    /// The smallest pixel rectangle holding the region, clipped to a `width`×`height` photo.
    public func pixelBounds(width: Int, height: Int, margin: Int = 0) -> PixelRect {
        let left = max(0, Int((corners.map(\.x).min()! ).rounded(.down)) - margin)
        let top = max(0, Int((corners.map(\.y).min()!).rounded(.down)) - margin)
        let right = min(width, Int((corners.map(\.x).max()!).rounded(.up)) + margin + 1)
        let bottom = min(height, Int((corners.map(\.y).max()!).rounded(.up)) + margin + 1)
        return PixelRect(x: left, y: top, width: max(0, right - left), height: max(0, bottom - top))
    }

    /// Whether the pixel centre (x, y) lies inside the rectangle (edges included).
    public func contains(x: Double, y: Double) -> Bool {
        var sign = 0.0
        for index in 0..<4 {
            let a = corners[index], b = corners[(index + 1) % 4]
            let cross = (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x)
            if cross == 0 { continue }
            if sign == 0 { sign = cross } else if (cross > 0) != (sign > 0) { return false }
        }
        return true
    }
}

import Foundation
