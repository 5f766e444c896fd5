import Foundation

/// The minimum-area rectangle around a set of points (rotating calipers over the convex hull), as DB's
/// post-processing takes it from OpenCV's `minAreaRect`.
enum RotatedRectangle {
    /// Corners in clockwise order starting nearest the top-left, and the rectangle's two side lengths.
    static func enclosing(_ points: [Point]) -> (corners: [Point], width: Double, height: Double)? {
        let hull = convexHull(points)
        guard hull.count >= 1 else { return nil }
        if hull.count < 3 {
            // Degenerate: a point or a segment, as a rectangle of zero thickness.
            let a = hull[0], b = hull.last!
            let corners = [a, b, b, a]
            return (ordered(corners), hypot(b.x - a.x, b.y - a.y), 0)
        }
        var best: (area: Double, corners: [Point], width: Double, height: Double)?
        for index in hull.indices {
            let a = hull[index], b = hull[(index + 1) % hull.count]
            let length = hypot(b.x - a.x, b.y - a.y)
            guard length > 0 else { continue }
            let ux = (b.x - a.x) / length, uy = (b.y - a.y) / length
            var minU = Double.infinity, maxU = -Double.infinity, minV = Double.infinity, maxV = -Double.infinity
            for p in hull {
                let u = (p.x - a.x) * ux + (p.y - a.y) * uy
                let v = -(p.x - a.x) * uy + (p.y - a.y) * ux
                minU = min(minU, u); maxU = max(maxU, u); minV = min(minV, v); maxV = max(maxV, v)
            }
            let area = (maxU - minU) * (maxV - minV)
            if best == nil || area < best!.area {
                func at(_ u: Double, _ v: Double) -> Point { Point(x: a.x + u * ux - v * uy, y: a.y + u * uy + v * ux) }
                best = (area, [at(minU, minV), at(maxU, minV), at(maxU, maxV), at(minU, maxV)], maxU - minU, maxV - minV)
            }
        }
        guard let best else { return nil }
        return (ordered(best.corners), best.width, best.height)
    }

    /// The same rectangle grown by `distance` on every side (DB's "unclip": the polygon offset of a rectangle,
    /// whose minimum-area box is the rectangle grown by the offset distance).
    static func grown(_ corners: [Point], by distance: Double) -> [Point] {
        let cx = corners.map(\.x).reduce(0, +) / 4, cy = corners.map(\.y).reduce(0, +) / 4
        let e1 = (x: corners[1].x - corners[0].x, y: corners[1].y - corners[0].y)
        let e2 = (x: corners[3].x - corners[0].x, y: corners[3].y - corners[0].y)
        let l1 = max(hypot(e1.x, e1.y), 1e-9), l2 = max(hypot(e2.x, e2.y), 1e-9)
        let u = (x: e1.x / l1, y: e1.y / l1), v = (x: e2.x / l2, y: e2.y / l2)
        let h1 = l1 / 2 + distance, h2 = l2 / 2 + distance
        return [
            Point(x: cx - u.x * h1 - v.x * h2, y: cy - u.y * h1 - v.y * h2),
            Point(x: cx + u.x * h1 - v.x * h2, y: cy + u.y * h1 - v.y * h2),
            Point(x: cx + u.x * h1 + v.x * h2, y: cy + u.y * h1 + v.y * h2),
            Point(x: cx - u.x * h1 + v.x * h2, y: cy - u.y * h1 + v.y * h2),
        ]
    }

    /// Clockwise in image coordinates (y down), starting at the corner with the smallest x + y.
    static func ordered(_ corners: [Point]) -> [Point] {
        let cx = corners.map(\.x).reduce(0, +) / 4, cy = corners.map(\.y).reduce(0, +) / 4
        let sorted = corners.sorted { atan2($0.y - cy, $0.x - cx) < atan2($1.y - cy, $1.x - cx) }
        let start = sorted.indices.min { sorted[$0].x + sorted[$0].y < sorted[$1].x + sorted[$1].y }!
        return (0..<4).map { sorted[(start + $0) % 4] }
    }

    /// Andrew's monotone chain.
    static func convexHull(_ points: [Point]) -> [Point] {
        let sorted = points.sorted { $0.x != $1.x ? $0.x < $1.x : $0.y < $1.y }
        guard sorted.count > 2 else { return sorted }
        func cross(_ o: Point, _ a: Point, _ b: Point) -> Double { (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x) }
        var lower: [Point] = [], upper: [Point] = []
        for p in sorted {
            while lower.count >= 2 && cross(lower[lower.count - 2], lower[lower.count - 1], p) <= 0 { lower.removeLast() }
            lower.append(p)
        }
        for p in sorted.reversed() {
            while upper.count >= 2 && cross(upper[upper.count - 2], upper[upper.count - 1], p) <= 0 { upper.removeLast() }
            upper.append(p)
        }
        return Array(lower.dropLast() + upper.dropLast())
    }
}
