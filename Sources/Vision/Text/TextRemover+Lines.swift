import Foundation

extension TextRemover {
    /// Whether `b` continues the line of `a`: about as tall (within a third), turned alike (within 5°), its centre
    /// within half a text height of `a`'s line, and at most two text heights of gap between the two along it.
    /// The detector splits one caption where the photo under it changes ("SALE -50%" over a cup and the table).
    static func continuesLine(_ a: TextRegion, _ b: TextRegion) -> Bool {
        let (lengthA, heightA) = a.sides, (lengthB, heightB) = b.sides
        guard heightA > 0, heightB > 0, max(heightA, heightB) <= 1.34 * min(heightA, heightB) else { return false }
        var turn = abs(a.angle - b.angle)
        if turn > 90 { turn = 180 - turn }
        guard turn <= 5 else { return false }
        func centre(_ r: TextRegion) -> Point {
            Point(x: r.corners.map(\.x).reduce(0, +) / 4, y: r.corners.map(\.y).reduce(0, +) / 4)
        }
        let ca = centre(a), cb = centre(b), radians = a.angle * .pi / 180
        let dx = cb.x - ca.x, dy = cb.y - ca.y
        let along = dx * cos(radians) + dy * sin(radians), across = -dx * sin(radians) + dy * cos(radians)
        let height = (heightA + heightB) / 2
        return abs(across) <= 0.5 * height && abs(along) - (lengthA + lengthB) / 2 <= 2 * height
    }

    /// A text takes the overlay of another part of its line when that overlay explains more of its strokes'
    /// interior than its own fit, and at least `minimumShare` of it. That happens where the own fit is missing or
    /// weak: the stroke mask caught only some letters, over the part of the photo the colours told apart. The own
    /// fit was made to suit this interior and the other on different photo, so the other explaining more is
    /// evidence enough. Every text with a neighbour on its line is tried (at most a few: the gap is bounded).
    static func borrowingFromLine(_ own: OverlayUnblending.Restored?, region: TextRegion, others: [(TextRegion, OverlayUnblending.Overlay)],
                                  minimumShare: Double,
                                  restoring: (OverlayUnblending.Overlay) -> OverlayUnblending.Restored?) -> OverlayUnblending.Restored? {
        var best = own
        for (other, overlay) in others where continuesLine(region, other) && overlay.inliers >= borrowedMinimumInliers {
            guard let candidate = restoring(overlay) else { continue }
            if candidate.overlay.inliers >= minimumShare, candidate.overlay.inliers > best?.overlay.inliers ?? 0 {
                best = candidate
            }
        }
        return best
    }

    /// Only an overlay that explains most of its own text is lent.
    static let borrowedMinimumInliers = 0.8
}
