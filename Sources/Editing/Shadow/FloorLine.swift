/// The line on which a subject stands, read from its silhouette. The lowest points of an upright subject —
/// wheels, feet, the rim of a base — touch the floor; in a three-quarter view the far ones sit higher in the
/// picture, so the floor is a tilted line through them: the edge of the silhouette's lower convex hull under
/// the subject's middle. Everything of the subject lies on or above it. Past the two contact points that
/// end that edge the floor stays level: what overhangs them (a bumper, a nose) stands over the nearest
/// contact's depth, not over an ever-lower extension of the line.
struct FloorLine: Equatable {
    /// y = intercept + slope·x, in canvas pixels (y down), between `left` and `right`.
    var intercept: Double
    var slope: Double
    var left: Double = -.infinity
    var right: Double = .infinity

    func y(atX x: Double) -> Double { intercept + slope * min(right, max(left, x)) }

    /// The floor as up to three straight pieces: level, tilted between the contacts, level.
    var pieces: [(from: Double, to: Double, intercept: Double, slope: Double)] {
        guard slope != 0, left.isFinite, right.isFinite else { return [(-.infinity, .infinity, intercept, 0)] }
        return [(-.infinity, left, y(atX: left), 0), (left, right, intercept, slope), (right, .infinity, y(atX: right), 0)]
    }

    /// The steepest floor accepted: beyond it the silhouette is not standing on anything recognisable and a
    /// level floor under its lowest point is the safer guess.
    static let maximumSlope = 0.35

    /// `alpha`: the subject's one-band alpha, `width` × `height`, row-major.
    static func find(alpha: [UInt8], width: Int, height: Int, threshold: UInt8 = 127) -> FloorLine? {
        // The lowest subject pixel of each column.
        var points: [(x: Double, y: Double)] = []
        for x in 0..<width {
            var y = height - 1
            while y >= 0 && alpha[y * width + x] <= threshold { y -= 1 }
            if y >= 0 { points.append((Double(x), Double(y + 1))) }
        }
        guard let first = points.first, let last = points.last else { return nil }
        if points.count == 1 { return FloorLine(intercept: first.y, slope: 0) }
        // Lower hull (largest y) by the monotone chain: keep only right turns, seen with y pointing down.
        var hull: [(x: Double, y: Double)] = []
        for p in points {
            while hull.count >= 2 {
                let a = hull[hull.count - 2], b = hull[hull.count - 1]
                let cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)
                if cross >= 0 { hull.removeLast() } else { break }
            }
            hull.append(p)
        }
        let middle = (first.x + last.x) / 2
        var line = FloorLine(intercept: points.map(\.y).max()!, slope: 0)
        for i in 1..<hull.count where hull[i - 1].x <= middle && hull[i].x >= middle {
            let a = hull[i - 1], b = hull[i]
            guard b.x > a.x else { break }
            let slope = (b.y - a.y) / (b.x - a.x)
            if abs(slope) <= maximumSlope { line = FloorLine(intercept: a.y - slope * a.x, slope: slope, left: a.x, right: b.x) }
            break
        }
        return line
    }
}
