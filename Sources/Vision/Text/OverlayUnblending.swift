import Foundation
import Imaging

/// Semi-transparent text (a watermark at 30–75 % opacity) hides nothing: under it every pixel is
/// (1 − α) · photo + α · colour, so once α and the colour are known the photo comes back, texture and all, where a
/// fill can only guess. A text has one α and one colour; they are fitted from its strokes' interior against the
/// photo just outside them (see `fit`).
/// The strokes' interior is restored first, as fully covered; then the rest of the text's mask (anti-aliased rims,
/// partly covered, and photo the mask's margin took in), each pixel with the coverage the overlay's colour explains.
/// What does not fit the overlay is left to the fill, which copies from the restored pixels as well as the photo.
public struct OverlayUnblending: Sendable {
    /// Below this the text barely shows and the fit is mostly noise; the fill does as well.
    public var minimumOpacity = 0.1
    /// Above this a text is as good as opaque: restoring divides by 1 − α and amplifies every error.
    public var maximumOpacity = 0.85
    /// Fewer interior pixels than this give no reliable fit.
    public var minimumPixels = 40
    /// The background must vary this much (RMS, levels) under the text, or α and the colour cannot be told apart;
    /// over a flat background the fill does as well anyway.
    public var minimumBackgroundSpread = 8.0
    /// A restored pixel further than this (RMS over channels, levels) from the background estimate is not trusted
    /// (a pixel of something else: a shadow, an outline, photo between the strokes) and is left to the fill.
    public var maximumDeviation = 50.0
    /// Restored values may overshoot 0…255 by this much (rounding, JPEG noise); further means a wrong fit.
    public var outOfRange = 15.0
    /// A rim pixel is restored only when what is left is this near the photo estimated under it (RMS, levels).
    public var rimDeviation = 40.0
    /// How far inside the strokes a pixel must be to count as fully covered. Two steps (with an earlier fit):
    /// 22.73, 20.85 and 21.88 dB on seeds 1–17, 1001–1017 and 2001–2017, against 22.77, 20.94 and 21.85 for one.
    public var interiorDepth = 1
    /// Share of the interior the fit must explain, as overlaid or as untouched photo, for the text to be restored.
    public var minimumExplainedShare = 0.6
    /// Share of the interior that must be overlaid: a mask that is mostly photo is not a text to fit.
    public var minimumOverlaidShare = 0.5

    public init() {}

    /// What was painted over the photo.
    public struct Overlay: Sendable, Equatable {
        public var opacity: Double
        public var colour: SIMD3<Double>
        /// Share of the interior pixels found overlaid (the rest is photo the mask took in, or does not fit).
        public var inliers: Double
    }

    /// One interior stroke pixel: what it looks like, and the photo estimated under it.
    struct Observation {
        var observed: SIMD3<Double>
        var background: SIMD3<Double>
        /// The nearest known pixel's colour: the same photo, not under the text.
        var outside: SIMD3<Double>
    }

    /// The photo under an overlay, for the pixels that fit it.
    public struct Restored: Sendable {
        public var overlay: Overlay
        public var pixels: [(index: Int, colour: SIMD3<UInt8>)]
    }

    /// Restores the strokes `text` (row by row over `rect`, the rectangle moved by `offset`) when they are a
    /// semi-transparent overlay: their interior, and then the pixels of `area` (the text's whole mask, rims and
    /// all) that the overlay explains. `hole` (photo-sized) is every pixel about to be removed: none of them is
    /// taken as background.
    /// `known`: the overlay, when it was already fitted elsewhere (one tile of a tiled watermark).
    public func restore(text: [Bool], area: [Bool], rect: PixelRect, offset: (dx: Int, dy: Int) = (0, 0), hole: [Bool],
                        pixels: [UInt8], width: Int, known: Overlay? = nil) -> Restored? {
        let moved = PixelRect(x: rect.x + offset.dx, y: rect.y + offset.dy, width: rect.width, height: rect.height)
        let patch = Patch(rect: moved, text: text, area: area, hole: hole, pixels: pixels, width: width)
        return restore([patch], known: known)
    }

    /// One overlay painted several times (the tiles of a tiled watermark): fitted once over all of them. `text`
    /// is photo-sized.
    public func restore(tiles: [PixelRect], text: [Bool], hole: [Bool], pixels: [UInt8], width: Int) -> Restored? {
        var patches: [Patch] = []
        for rect in tiles {
            var local = [Bool](repeating: false, count: rect.width * rect.height)
            for y in 0..<rect.height { for x in 0..<rect.width { local[y * rect.width + x] = text[(rect.y + y) * width + rect.x + x] } }
            patches.append(Patch(rect: rect, text: local, area: local, hole: hole, pixels: pixels, width: width))
        }
        return restore(patches)
    }

    /// One rectangle of the photo around (part of) a text, with the photo diffused into its hole.
    struct Patch {
        var rect: PixelRect
        var photoWidth: Int
        var text: [Bool], area: [Bool], unknown: [Bool]
        var colour: [Float]
        var estimate: [Float]
        /// Interior pixels restored, now known photo.
        var restored: [Bool]

        init(rect: PixelRect, text: [Bool], area: [Bool], hole: [Bool], pixels: [UInt8], width: Int) {
            self.rect = rect; self.text = text; self.area = area; photoWidth = width
            restored = [Bool](repeating: false, count: rect.width * rect.height)
            let w = rect.width, h = rect.height
            unknown = [Bool](repeating: false, count: w * h)
            colour = [Float](repeating: 0, count: w * h * 3)
            for y in 0..<h {
                for x in 0..<w {
                    let p = (rect.y + y) * width + rect.x + x, i = y * w + x
                    unknown[i] = hole[p]
                    for k in 0..<3 { colour[3 * i + k] = Float(pixels[3 * p + k]) }
                }
            }
            estimate = Self.diffused(colour, unknown: unknown, width: w, height: h)
        }

        static func diffused(_ colour: [Float], unknown: [Bool], width: Int, height: Int) -> [Float] {
            var image = InpaintingImage(width: width, height: height, colour: colour, hole: unknown)
            DiffusionInpainter().inpaint(&image)
            return image.colour
        }

        func observed(_ i: Int) -> SIMD3<Double> { SIMD3(Double(colour[3 * i]), Double(colour[3 * i + 1]), Double(colour[3 * i + 2])) }
        func background(_ i: Int) -> SIMD3<Double> { SIMD3(Double(estimate[3 * i]), Double(estimate[3 * i + 1]), Double(estimate[3 * i + 2])) }
        func photoIndex(_ i: Int) -> Int { (rect.y + i / rect.width) * photoWidth + rect.x + i % rect.width }

        /// The colour of the known pixel nearest to `i` (searched in square rings), or the estimate when none is near.
        func nearestKnown(_ i: Int) -> SIMD3<Double> {
            let w = rect.width, h = rect.height, x = i % w, y = i / w
            for r in 1...16 {
                var best: Int?, bestDistance = Int.max
                for dy in -r...r {
                    for dx in -r...r where max(abs(dx), abs(dy)) == r {
                        let nx = x + dx, ny = y + dy
                        guard nx >= 0, ny >= 0, nx < w, ny < h, !unknown[ny * w + nx] else { continue }
                        if dx * dx + dy * dy < bestDistance { bestDistance = dx * dx + dy * dy; best = ny * w + nx }
                    }
                }
                if let best { return observed(best) }
            }
            return background(i)
        }

        mutating func set(_ i: Int, to value: SIMD3<Double>) {
            colour[3 * i] = Float(value.x); colour[3 * i + 1] = Float(value.y); colour[3 * i + 2] = Float(value.z)
            unknown[i] = false; restored[i] = true
        }

        /// The stroke pixels at least `depth` pixels inside the strokes (every pixel within that distance, in
        /// the square around, is a stroke too): fully covered, away from the anti-aliased rim.
        func interior(depth: Int) -> [Int] {
            let w = rect.width, h = rect.height
            guard w > 2 * depth, h > 2 * depth else { return [] }
            var found: [Int] = []
            for y in depth..<(h - depth) {
                for x in depth..<(w - depth) where text[y * w + x] && unknown[y * w + x] {
                    var inside = true
                    for dy in -depth...depth { for dx in -depth...depth where !text[(y + dy) * w + x + dx] { inside = false } }
                    if inside { found.append(y * w + x) }
                }
            }
            return found
        }
    }

    func restore(_ patches: [Patch], known: Overlay? = nil) -> Restored? {
        var observations: [Observation] = []
        var seen = Set<Int>()  // tiles' rectangles may overlap; a pixel counts once
        var interiors: [[Int]] = []
        for patch in patches {
            let interior = patch.interior(depth: interiorDepth).filter { seen.insert(patch.photoIndex($0)).inserted }
            interiors.append(interior)
            observations += interior.map { Observation(observed: patch.observed($0), background: patch.background($0),
                                                       outside: patch.nearestKnown($0)) }
        }
        let fit: Fit
        if let known {
            fit = Self.fit(observations, to: known)
        } else {
            guard observations.count >= minimumPixels, let found = Self.fit(observations),
                  found.backgroundSpread >= minimumBackgroundSpread else { return nil }
            fit = found
        }
        let alpha = 1 - fit.slope
        guard alpha >= minimumOpacity, alpha <= maximumOpacity else { return nil }
        let colour = fit.intercept / alpha
        guard colour.min() >= -25, colour.max() <= 280 else { return nil }
        // The interior, where the text covers the photo fully.
        var residuals = fit.residuals[...], overlaid = fit.overlaid[...]
        var fitted = 0, unpainted = 0
        var restoredPatches = patches
        for (n, patch) in patches.enumerated() {
            for i in interiors[n] {
                let residual = residuals.removeFirst()
                guard overlaid.removeFirst() else {
                    let off = patch.observed(i) - patch.background(i)
                    if Self.rms(off) <= maximumDeviation { unpainted += 1 }
                    continue
                }
                // The restored pixel minus the background estimate is the residual / (1 − α).
                let deviation = Self.rms(residual) / (1 - alpha)
                let value = (patch.observed(i) - alpha * colour) / (1 - alpha)
                guard deviation <= maximumDeviation, value.min() >= -outOfRange, value.max() <= 255 + outOfRange else { continue }
                fitted += 1
                restoredPatches[n].set(i, to: value)
            }
        }
        // Every pixel should be explained, as overlaid or as photo the mask took in, and most by the overlay.
        let total = Double(max(1, observations.count))
        let share = Double(fitted) / total
        guard known != nil || (Double(fitted + unpainted) / total >= minimumExplainedShare && share >= minimumOverlaidShare) else { return nil }
        let overlay = Overlay(opacity: alpha, colour: colour, inliers: share)
        // Then the rest of the text's mask: rims partly covered, and photo the mask's margin took in, against the
        // photo diffused in again, now from the restored interior too.
        var restored: [(index: Int, colour: SIMD3<UInt8>)] = []
        for var patch in restoredPatches {
            patch.estimate = Patch.diffused(patch.colour, unknown: patch.unknown, width: patch.rect.width, height: patch.rect.height)
            for i in patch.area.indices where patch.area[i] {
                let value: SIMD3<Double>
                if !patch.unknown[i] {
                    guard patch.restored[i] else { continue }
                    value = patch.observed(i)
                } else {
                    guard let rim = rimValue(observed: patch.observed(i), background: patch.background(i), overlay: overlay) else { continue }
                    value = rim
                }
                let byte = value.clamped(lowerBound: .zero, upperBound: SIMD3(repeating: 255))
                restored.append((patch.photoIndex(i), SIMD3<UInt8>(byte, rounding: .toNearestOrAwayFromZero)))
            }
        }
        return Restored(overlay: overlay, pixels: restored)
    }

    /// A pixel near the strokes is covered by anything from none of the text to all of it. How much is read off
    /// the overlay's colour against the photo estimated under the pixel; the pixel is restored when what that
    /// leaves is near the estimate (a shadow or an outline of another colour is not, and is left to the fill).
    func rimValue(observed: SIMD3<Double>, background: SIMD3<Double>, overlay: Overlay) -> SIMD3<Double>? {
        let towardsText = overlay.colour - background
        let length = (towardsText * towardsText).sum()
        let coverage = length > 1 ? min(max(((observed - background) * towardsText).sum() / length, 0), overlay.opacity) : 0
        let value = (observed - coverage * overlay.colour) / (1 - coverage)
        guard Self.rms(value - background) <= rimDeviation else { return nil }
        return value
    }

    /// Root mean square over the three channels.
    static func rms(_ v: SIMD3<Double>) -> Double { ((v * v).sum() / 3).squareRoot() }

    struct Fit {
        /// observed ≈ slope · background + intercept, per channel with one slope (1 − α) and intercept α · colour.
        var slope: Double
        var intercept: SIMD3<Double>
        var residuals: [SIMD3<Double>]
        /// Whether each pixel fits the overlay better than no overlay at all.
        var overlaid: [Bool]
        /// RMS spread of the photo just outside the pixels that fit.
        var backgroundSpread: Double
    }

    /// Under the overlay the photo's variation is scaled by 1 − α, so α comes from the spread of the interior
    /// pixels against the spread of the photo just outside them, pixel by pixel its nearest known neighbour (the
    /// geometric-mean, or reduced major axis, line between the two). Regressing on the photo diffused inwards
    /// instead came out biased by the smoothing (α 0.34 for a text painted at 0.40; 0.40 this way).
    /// A stroke mask also takes in photo the text does not cover (the mask of a faint text over busy photo
    /// swallows the photo between its letters), and those pixels would pull α towards none. Each pixel is
    /// therefore weighed by which it fits better, the overlay (restoring it lands near the estimate) or nothing
    /// (it already is near the estimate), and the line refitted to the pixels the overlay fits, starting from those
    /// clearly off the estimate; pixels far off the line are weighed down.
    static func fit(_ observations: [Observation]) -> Fit? {
        func distance(_ v: SIMD3<Double>) -> Double { (v * v).sum().squareRoot() }
        var weights = observations.map { distance($0.observed - $0.background) > overlaidDistance ? 1.0 : 0 }
        var result: Fit?
        for _ in 0..<8 {
            var total = 0.0, meanInside = SIMD3<Double>(repeating: 0), meanOutside = SIMD3<Double>(repeating: 0)
            for (o, weight) in zip(observations, weights) { total += weight; meanInside += weight * o.observed; meanOutside += weight * o.outside }
            guard total > 0 else { return nil }
            meanInside /= total; meanOutside /= total
            var inside = 0.0, outside = 0.0, covariance = 0.0
            for (o, weight) in zip(observations, weights) {
                let a = o.observed - meanInside, b = o.outside - meanOutside
                inside += weight * (a * a).sum(); outside += weight * (b * b).sum(); covariance += weight * (a * b).sum()
            }
            guard outside > 0, covariance > 0 else { return nil }
            let slope = (inside / outside).squareRoot()
            let intercept = meanInside - slope * meanOutside
            let residuals = observations.map { $0.observed - slope * $0.background - intercept }
            let overlaid = overlaidPixels(observations, residuals: residuals, slope: slope)
            let norms = residuals.map(distance)
            let fitting = zip(norms, overlaid).filter(\.1).map(\.0).sorted()
            let cut = max(3, 2 * (fitting.isEmpty ? 0 : fitting[fitting.count / 2]))
            weights = zip(norms, overlaid).map { norm, isOverlaid in isOverlaid ? (norm <= cut ? 1 : cut / norm) : 0 }
            result = Fit(slope: slope, intercept: intercept, residuals: residuals, overlaid: overlaid,
                         backgroundSpread: (outside / total / 3).squareRoot())
        }
        return result
    }

    /// The residuals of a given overlay, and the pixels it fits better than no overlay.
    static func fit(_ observations: [Observation], to overlay: Overlay) -> Fit {
        let slope = 1 - overlay.opacity, intercept = overlay.opacity * overlay.colour
        let residuals = observations.map { $0.observed - slope * $0.background - intercept }
        let overlaid = overlaidPixels(observations, residuals: residuals, slope: slope)
        return Fit(slope: slope, intercept: intercept, residuals: residuals, overlaid: overlaid, backgroundSpread: 0)
    }

    /// Which pixels the overlay explains better than nothing: restored, a pixel lands `residual / slope` from the
    /// estimate; left as it is, it stays where it was observed.
    static func overlaidPixels(_ observations: [Observation], residuals: [SIMD3<Double>], slope: Double) -> [Bool] {
        zip(observations, residuals).map { o, r in
            slope > 0 && (r * r).sum().squareRoot() / slope < ((o.observed - o.background) * (o.observed - o.background)).sum().squareRoot()
        }
    }

    /// Pixels at least this far (RGB distance) from the estimate start the fit.
    static let overlaidDistance = 20.0
}
