import Foundation
import Imaging

/// A semi-transparent text takes a different colour over every part of the photo, so its stroke mask, clustered
/// by colour, misses whole pieces of letters: a white 50 % caption reads as pale yellow over grass and as grey over
/// dark trees, and only one of the two looks like text against the ring around the box. Once the overlay is fitted
/// (`OverlayUnblending`), each pixel has two explanations: it is photo as it is, or it is the overlay over the
/// photo `(observed − α · colour) / (1 − α)`. The right one makes the photo continuous: un-blending a missed letter
/// top lands on the trees around it, un-blending the grass beside it lands on nothing like grass.
///
/// The unmasked pixels of the text's rectangle are cut into pieces of even colour (neighbours within
/// `pieceColourStep`), and each piece takes the explanation under which its photo matches the photo `reach` pixels
/// away (past the anti-aliased rim, which neither explanation fits), until no piece changes. Pieces are decided
/// whole: a pixel alone inside a missed letter top agrees with its unmasked neighbours either way.
public struct OverlayGrowth: Sendable {
    /// Neighbouring pixels further apart than this (largest channel difference, levels) are in different pieces.
    public var pieceColourStep: Float = 25
    /// How far away the photo a piece is compared with lies: beyond the 1–2 pixel rim of partial coverage.
    /// (2, 3 and 5 score within 0.03 dB of each other on the text benchmark; on its worst missed letter tops 1
    /// compares with the rim and grows a third as much.)
    public var reach = 3
    /// A difference counts at most this much (levels, per channel): one edge in the photo does not decide a piece.
    public var differenceCap: Float = 60
    /// The pieces may reach this share of the text's height past its rectangle (an ascender DB's box cut).
    public var beyondRectangle = 0.1
    /// Sweeps over the pieces at most; each piece sees its neighbours' latest explanation.
    public var sweeps = 6

    public init() {}

    /// `strokes` with the pieces the overlay explains added to its core, and to its mask dilated as the stroke
    /// mask's own clustered pixels are; nil when there are none. `region` is the text's rectangle; `hole`
    /// (photo-sized) the pixels of every text to be removed, which are not grown into; `outOfRange` how far past
    /// 0…255 an un-blended colour may land (`OverlayUnblending.outOfRange`).
    public func grown(_ strokes: RegionStrokes, region: TextRegion, overlay: OverlayUnblending.Overlay, hole: [Bool],
                      pixels: [UInt8], width: Int, outOfRange: Double) -> RegionStrokes? {
        let added = added(to: strokes, region: region, overlay: overlay, hole: hole, pixels: pixels, width: width, outOfRange: outOfRange)
        guard added.contains(true) else { return nil }
        var grown = strokes
        let b = strokes.bounds
        let rims = MaskMorphology.dilated(added, width: b.width, height: b.height, radius: StrokeMask.dilation(forTextHeight: strokes.textHeight))
        for i in added.indices {
            if added[i] { grown.core[i] = true }
            if rims[i] { grown.mask[i] = true }
        }
        return grown
    }

    /// The pixels of `strokes.bounds` the overlay explains, beside the mask (row by row over the bounds; none of
    /// the mask's own).
    func added(to strokes: RegionStrokes, region: TextRegion, overlay: OverlayUnblending.Overlay, hole: [Bool],
               pixels: [UInt8], width: Int, outOfRange: Double) -> [Bool] {
        let b = strokes.bounds, w = b.width, h = b.height, count = w * h
        let alpha = Float(overlay.opacity)
        guard alpha < 1, count > 0 else { return [] }
        let tint = SIMD3<Float>(Float(overlay.colour.x), Float(overlay.colour.y), Float(overlay.colour.z)) * alpha
        let area = TextRegion(corners: RotatedRectangle.grown(region.corners, by: 1 + beyondRectangle * strokes.textHeight), score: 0)
        var observed = [SIMD3<Float>](repeating: .zero, count: count), unblended = observed
        var candidate = [Bool](repeating: false, count: count)
        let low = Float(-outOfRange), high = Float(255 + outOfRange)
        for y in 0..<h {
            for x in 0..<w {
                let i = y * w + x, p = (b.y + y) * width + b.x + x
                let o = SIMD3<Float>(Float(pixels[3 * p]), Float(pixels[3 * p + 1]), Float(pixels[3 * p + 2]))
                let u = (o - tint) / (1 - alpha)
                observed[i] = o
                unblended[i] = u.clamped(lowerBound: .zero, upperBound: SIMD3(repeating: 255))
                candidate[i] = !strokes.mask[i] && !hole[p] && u.min() >= low && u.max() <= high
                    && area.contains(x: Double(b.x + x), y: Double(b.y + y))
            }
        }
        let pieces = self.pieces(of: candidate, colours: observed, width: w, height: h)
        guard !pieces.isEmpty else { return [] }
        // What each pixel is taken to be now: the mask's pixels are text, the rest photo.
        var isText = strokes.mask
        var members = [[Int]](repeating: [], count: pieces.count)
        var piece = [Int32](repeating: -1, count: count)
        for (n, indices) in pieces.enumerated() { members[n] = indices; for i in indices { piece[i] = Int32(n) } }
        let cap = differenceCap * differenceCap * 3
        let offsets = [(reach, 0), (-reach, 0), (0, reach), (0, -reach)]
        for _ in 0..<sweeps {
            var changed = false
            for (n, indices) in members.enumerated() {
                var cost: [Float] = [0, 0]  // as photo, as overlaid
                for (option, overlaid) in [false, true].enumerated() {
                    for i in indices {
                        let x = i % w, y = i / w
                        let mine = overlaid ? unblended[i] : observed[i]
                        for (dx, dy) in offsets {
                            let nx = x + dx, ny = y + dy
                            guard nx >= 0, ny >= 0, nx < w, ny < h else { continue }
                            let j = ny * w + nx
                            let theirs = (piece[j] == Int32(n) ? overlaid : isText[j]) ? unblended[j] : observed[j]
                            let d = mine - theirs
                            cost[option] += min((d * d).sum(), cap)
                        }
                    }
                }
                let overlaid = cost[1] < cost[0]
                if overlaid != isText[indices[0]] {
                    for i in indices { isText[i] = overlaid }
                    changed = true
                }
            }
            if !changed { break }
        }
        return (0..<count).map { isText[$0] && !strokes.mask[$0] }
    }

    /// The candidate pixels cut into 4-connected pieces whose neighbouring pixels differ by less than
    /// `pieceColourStep` in every channel.
    func pieces(of candidate: [Bool], colours: [SIMD3<Float>], width w: Int, height h: Int) -> [[Int]] {
        var seen = [Bool](repeating: false, count: candidate.count)
        var pieces: [[Int]] = []
        for start in candidate.indices where candidate[start] && !seen[start] {
            var members = [start], stack = [start]
            seen[start] = true
            while let i = stack.popLast() {
                let x = i % w, y = i / w
                for (nx, ny) in [(x - 1, y), (x + 1, y), (x, y - 1), (x, y + 1)] where nx >= 0 && ny >= 0 && nx < w && ny < h {
                    let j = ny * w + nx
                    let step = colours[j] - colours[i]
                    guard candidate[j], !seen[j], max(step.max(), -step.min()) < pieceColourStep else { continue }
                    seen[j] = true
                    members.append(j); stack.append(j)
                }
            }
            pieces.append(members)
        }
        return pieces
    }
}
