import Foundation
import Imaging

/// The glyph strokes inside one detected text rectangle, separated from what lies behind them by colour.
///
/// DB's unclipped rectangle fits the glyphs closely, so a ring just outside it (0.3 × its height wide) is
/// background. The pixels of the rectangle and the ring are clustered (k-means, k = 6, in RGB with chroma counted
/// three times, `chromaStretch`): a cluster common
/// inside but rare on the ring is text (glyph fill, outline or shadow). Those pixels inside the rectangle,
/// dilated by 1 pixel plus a fortieth of the text height to take the anti-aliased edges, are the stroke mask.
/// (Tight: every pixel masked without need is filled with a guess where it would have stayed exact.)
public struct RegionStrokes: Sendable {
    /// The pixel bounds of the rectangle and its ring in the photo; `mask` covers exactly these.
    public var bounds: PixelRect
    /// true where a stroke is, row by row over `bounds`.
    public var mask: [Bool]
    /// Stroke pixels before dilation, row by row over `bounds`.
    public var core: [Bool]
    /// Mean colour of the stroke core and of the background (pixels of the rectangle that are not text).
    public var textColour: [Double]
    public var backgroundColour: [Double]
    /// Estimated height of the glyphs in pixels.
    public var textHeight: Double
    /// For each pixel of `core` that was clustered as text, 1 + its colour cluster in plain RGB (a fill and its
    /// outline are two); 0 elsewhere, and for stroke pixels added as blended. Row by row over `bounds`; empty when unknown.
    public var colourGroups: [UInt8] = []
    /// Whether a colour cluster was split in two to find these strokes (`splitMixedClusters`).
    public var splitsACluster = false

    public var strokeCount: Int { mask.lazy.filter { $0 }.count }
}

public enum StrokeMask {
    /// The clustered strokes are grown by this to take their anti-aliased edges.
    static func dilation(forTextHeight textHeight: Double) -> Int { 1 + Int(textHeight / 40) }
    /// A cluster is text when its share of the border ring is below this fraction of its share inside.
    static let borderRatio = 0.35
    /// Enough colour clusters to keep light text apart from a light background. Six rather than five: on the text
    /// benchmark 11 of 14 held-out seed sets scored higher (mean +0.21 dB, the nine standard ones 20.86 → 20.98)
    /// and the tuning set +0.07 (four scored lower on the three sets tried, seven was mixed).
    static let clusters = 6
    /// Colours are clustered with their distance from grey (each channel's distance from the pixel's luma)
    /// counted this many times: a coloured text over a photo of about its lightness (red letters over brown
    /// wood, yellow over a pale wall) is otherwise one cluster with it. On the text benchmark's 14 held-out seed
    /// sets, against 1 (plain RGB): 2 and 3 both +0.4 dB on average (2 higher on 12 sets, 3 on 11, and 3 ahead
    /// on the nine standard ones, 21.52 against 21.45 dB); 4 was below 3 on three of five sets (README, "Colour
    /// counted three times"). The classifier's colour groups stay in plain RGB (`colourGroups`).
    static let chromaStretch: Float = 3

    /// A colour as clustered: its luma kept, its chroma multiplied by `chromaStretch`.
    static func chromaStretched(_ colour: SIMD3<Float>) -> SIMD3<Float> { ChromaStretch.stretched(colour, by: chromaStretch) }
    /// The most text-like cluster is still taken up to this ratio (light text over a partly light background).
    static let fallbackRatio = 0.8
    /// Share of the box the clustered strokes may cover before only the most text-like colours count. On the
    /// text benchmark strokes cover 7–55 % of their box; the few boxes above (58–67 %) were letters whose
    /// outline colour matched the photo behind them. Chosen there: 0.55–0.65 score alike, 0.5 cuts real strokes.
    static let maximumCoverage = 0.6

    /// `neighbours` are the other texts found in the photo: where one lies in this rectangle's ring, that part of
    /// the ring is not background (a line split in two boxes, "Limited" beside "edition", would otherwise make
    /// the grey of both letters look common around the box and not text). `outlineBand`: whether an outline's
    /// colour found in a band around the strokes joins the mask (`addingOutlineBand`).
    public static func strokes(of region: TextRegion, pixels: [UInt8], width: Int, height: Int,
                               neighbours: [TextRegion] = [], outlineBand: Bool = true, splitsClusters: Bool = true) -> RegionStrokes? {
        let across = region.sides.across
        // DB's unclipped box fits the glyphs closely, so its height is about the text height.
        let textHeight = max(2, across)
        let dilation = dilation(forTextHeight: textHeight)
        let ringWidth = max(3, across * 0.3)
        let outer = TextRegion(corners: RotatedRectangle.grown(region.corners, by: ringWidth), score: 0)
        let glyphArea = TextRegion(corners: RotatedRectangle.grown(region.corners, by: 1), score: 0)
        let bounds = outer.pixelBounds(width: width, height: height)
        guard bounds.width > 2, bounds.height > 2 else { return nil }
        let nearby = neighbours.filter { $0.pixelBounds(width: width, height: height).intersects(bounds) }
        let count = bounds.width * bounds.height
        var inside = [Bool](repeating: false, count: count), ring = [Bool](repeating: false, count: count)
        var colours: [SIMD3<Float>] = [], positions: [Int] = []
        for y in 0..<bounds.height {
            for x in 0..<bounds.width {
                let px = Double(bounds.x + x), py = Double(bounds.y + y)
                guard outer.contains(x: px, y: py) else { continue }
                let local = y * bounds.width + x
                inside[local] = glyphArea.contains(x: px, y: py)
                if !inside[local], nearby.contains(where: { $0.contains(x: px, y: py) }) { continue }
                ring[local] = !inside[local]
                let p = ((bounds.y + y) * width + bounds.x + x) * 3
                colours.append(SIMD3(Float(pixels[p]), Float(pixels[p + 1]), Float(pixels[p + 2])))
                positions.append(local)
            }
        }
        guard colours.count >= 16 else { return nil }
        let stretched = colours.map(chromaStretched)
        var assignment = KMeans.cluster(stretched, k: clusters)
        var clusterCount = clusters
        func shares() -> (inside: [Double], ring: [Double], insideTotal: Double, ringTotal: Double) {
            var insideCount = [Double](repeating: 0, count: clusterCount), ringCount = insideCount
            var interiorTotal = 0.0, ringTotal = 0.0
            for (index, local) in positions.enumerated() {
                let cluster = assignment.labels[index]
                if ring[local] { ringCount[cluster] += 1; ringTotal += 1 } else { insideCount[cluster] += 1; interiorTotal += 1 }
            }
            return (insideCount, ringCount, interiorTotal, ringTotal)
        }
        var (insideCount, ringCount, interiorTotal, ringTotal) = shares()
        guard interiorTotal > 0, ringTotal > 0 else { return nil }
        func ratiosNow() -> [Double] {
            (0..<clusterCount).map { cluster -> Double in
                let inner = insideCount[cluster] / interiorTotal
                return inner < 0.02 ? .infinity : (ringCount[cluster] / ringTotal) / inner
            }
        }
        var ratios = ratiosNow()
        if splitsClusters {
            clusterCount = splitMixedClusters(&assignment.labels, count: clusterCount, stretched: stretched, positions: positions,
                                              ring: ring, ratios: ratios, insideShare: insideCount.map { $0 / interiorTotal })
            if clusterCount > clusters { (insideCount, ringCount, interiorTotal, ringTotal) = shares(); ratios = ratiosNow() }
        }
        var textClusters = Set((0..<clusterCount).filter { ratios[$0] < borderRatio })
        let best = ratios.indices.min(by: { ratios[$0] < ratios[$1] })
        if let best, ratios[best] < fallbackRatio {
            textClusters.insert(best)
        }
        guard !textClusters.isEmpty, textClusters.count < clusterCount else { return nil }
        // Glyph strokes rarely fill most of their box: when the text colours together do, one of them is the
        // photo's (dark windows behind dark-outlined letters). The most text-like colours are kept while they
        // stay under the limit; the others may only come back next to them (below).
        var dropped = Set<Int>()
        let covered = textClusters.reduce(0) { $0 + insideCount[$1] } / interiorTotal
        if textClusters.count > 1, let best, covered > maximumCoverage {
            var kept: Set<Int> = [best], share = insideCount[best] / interiorTotal
            for cluster in textClusters.sorted(by: { ratios[$0] < ratios[$1] }) where cluster != best {
                let next = share + insideCount[cluster] / interiorTotal
                if next <= maximumCoverage { kept.insert(cluster); share = next } else { dropped.insert(cluster) }
            }
            textClusters = kept
        }

        var core = [Bool](repeating: false, count: count)
        var groups = [UInt8](repeating: 0, count: count)
        var text = SIMD3<Double>(repeating: 0), background = SIMD3<Double>(repeating: 0)
        var textPixels = 0.0, backgroundPixels = 0.0
        for (index, local) in positions.enumerated() {
            let colour = SIMD3<Double>(Double(colours[index].x), Double(colours[index].y), Double(colours[index].z))
            let x = local % bounds.width, y = local / bounds.width
            if textClusters.contains(assignment.labels[index]),
               glyphArea.contains(x: Double(bounds.x + x), y: Double(bounds.y + y)) {
                core[local] = true; text += colour; textPixels += 1
                groups[local] = UInt8(1 + assignment.labels[index])
            } else {
                background += colour; backgroundPixels += 1
            }
        }
        guard textPixels > 0, backgroundPixels > 0 else { return nil }
        text /= textPixels; background /= backgroundPixels
        let anyTextColour = textClusters.union(dropped)
        addPieceStrokes(&core, groups: &groups, region: region, glyphArea: glyphArea, bounds: bounds, inside: inside, ring: ring,
                        positions: positions, labels: assignment.labels, textClusters: anyTextColour, ratios: ratios)
        addDetachedParts(&core, groups: &groups, bounds: bounds, inside: inside, ring: ring, positions: positions,
                         labels: assignment.labels, colours: colours, textClusters: anyTextColour, ratios: ratios,
                         textColour: text, backgroundColour: background, textHeight: textHeight)
        // The classifier measures how flat each of the text's colours is; the stretched clusters that found the
        // strokes can put a colour's anti-aliased blends with another colour, so the groups it measures are the
        // stroke pixels' clusters in plain RGB.
        let plainLabels = KMeans.cluster(colours, k: clusters).labels
        for (index, local) in positions.enumerated() where groups[local] > 0 { groups[local] = UInt8(1 + plainLabels[index]) }
        var filled = extendToBlendedPixels(&core, inside: inside, textColour: text, bounds: bounds, pixels: pixels,
                                           width: width, steps: max(2, Int(textHeight / 8)))
        if !dropped.isEmpty {
            var candidate = [Bool](repeating: false, count: count)
            for (index, local) in positions.enumerated() where dropped.contains(assignment.labels[index]) && inside[local] {
                candidate[local] = !filled[local]
            }
            filled = addingOutlineParts(candidate, to: filled, core: core, bounds: bounds, textHeight: textHeight)
        }
        if outlineBand {
            filled = addingOutlineBand(filled, core: core, positions: positions, labels: assignment.labels, clusterCount: clusterCount,
                                       textClusters: anyTextColour, bounds: bounds, textHeight: textHeight)
        }
        filled = addingDropShadow(filled, core: core, bounds: bounds, pixels: pixels, width: width, textHeight: textHeight)
        let mask = MaskMorphology.dilated(filled, width: bounds.width, height: bounds.height, radius: dilation)
        return RegionStrokes(bounds: bounds, mask: mask, core: core, textColour: [text.x, text.y, text.z],
                             backgroundColour: [background.x, background.y, background.z], textHeight: textHeight,
                             colourGroups: groups, splitsACluster: clusterCount > clusters)
    }
}

extension StrokeMask {
    /// Semi-transparent text takes a different colour over every background, so clustering alone misses the
    /// parts over dark or busy areas. The background under the strokes is estimated by diffusing the pixels
    /// around them inwards (those between the glyphs included: the ring around the whole rectangle alone gave a
    /// cruder estimate, 20.94 against 21.18 dB on `darkroom bench text`); a pixel near a stroke is also text when
    /// its colour is nearer the text colour than that estimate, and clearly off the estimate.
    static func extendToBlendedPixels(_ core: inout [Bool], inside: [Bool], textColour: SIMD3<Double>, bounds: PixelRect,
                                      pixels: [UInt8], width: Int, steps: Int) -> [Bool] {
        var crop = [UInt8](repeating: 0, count: bounds.width * bounds.height * 3)
        for y in 0..<bounds.height {
            for x in 0..<bounds.width {
                let p = ((bounds.y + y) * width + bounds.x + x) * 3, o = (y * bounds.width + x) * 3
                crop[o] = pixels[p]; crop[o + 1] = pixels[p + 1]; crop[o + 2] = pixels[p + 2]
            }
        }
        // Only the strokes (and a guard band, which holds their anti-aliased rims) are unknown: the background
        // between glyphs is the nearest evidence of what lies under each stroke.
        let hole = MaskMorphology.dilated(core, width: bounds.width, height: bounds.height, radius: backgroundGuard)
        var estimate = InpaintingImage(pixels: crop, width: bounds.width, height: bounds.height, hole: hole)
        DiffusionInpainter().inpaint(&estimate)
        let text = SIMD3<Float>(Float(textColour.x), Float(textColour.y), Float(textColour.z))
        var candidate = [Bool](repeating: false, count: inside.count)
        for i in inside.indices where inside[i] && !core[i] {
            let colour = SIMD3<Float>(Float(crop[3 * i]), Float(crop[3 * i + 1]), Float(crop[3 * i + 2]))
            let background = SIMD3<Float>(estimate.colour[3 * i], estimate.colour[3 * i + 1], estimate.colour[3 * i + 2])
            let toText = colour - text, toBackground = colour - background
            let dText = (toText * toText).sum(), dBackground = (toBackground * toBackground).sum()
            candidate[i] = dText < 0.8 * dBackground && dBackground > blendedMinimumDistance * blendedMinimumDistance
        }
        // Grow from the clustered strokes only, one pixel per step: blended parts continue a glyph, while light
        // background between glyphs (a white bowl behind white letters) is not attached to one. Beyond the guard
        // band the estimate is the pixel itself, so growth stops there.
        let w = bounds.width, h = bounds.height
        for _ in 0..<steps {
            var added = false
            var next = core
            for y in 0..<h {
                for x in 0..<w where candidate[y * w + x] && !core[y * w + x] {
                    let i = y * w + x
                    if (x > 0 && core[i - 1]) || (x < w - 1 && core[i + 1]) || (y > 0 && core[i - w]) || (y < h - 1 && core[i + w]) {
                        next[i] = true; added = true
                    }
                }
            }
            core = next
            if !added { break }
        }
        return enclosed(by: core, inside: inside, crop: crop, width: w, height: h)
    }

    /// Bold glyphs whose fill colour also lies around the text (black letters with a blue outline, beside dark
    /// windows) keep only their outline as strokes, and the fill the outline encloses would stay behind. Parts
    /// of the rectangle enclosed by strokes are added to the mask where they are clearly off the estimated
    /// background and flat in colour (`enclosedMaximumSpread`); a glyph's counter, which shows the background,
    /// is not. The core itself is unchanged.
    static func enclosed(by core: [Bool], inside: [Bool], crop: [UInt8], width w: Int, height h: Int) -> [Bool] {
        var filled = core
        let free = inside.indices.map { inside[$0] && !core[$0] }
        let components = ConnectedComponents.label(free, width: w, height: h)
        guard components.count > 0 else { return filled }
        var open = [Bool](repeating: false, count: components.count)
        for y in 0..<h {
            for x in 0..<w where free[y * w + x] {
                func offRectangle(_ nx: Int, _ ny: Int) -> Bool { nx < 0 || ny < 0 || nx >= w || ny >= h || !inside[ny * w + nx] }
                if offRectangle(x - 1, y) || offRectangle(x + 1, y) || offRectangle(x, y - 1) || offRectangle(x, y + 1) {
                    open[Int(components.values[y * w + x])] = true
                }
            }
        }
        guard open.contains(false) else { return filled }
        // What lies around the whole rectangle, diffused inwards: the background a glyph's fill would hide.
        var around = InpaintingImage(pixels: crop, width: w, height: h, hole: inside)
        DiffusionInpainter().inpaint(&around)
        let estimate = around.colour
        var far = [Int](repeating: 0, count: components.count), total = [Int](repeating: 0, count: components.count)
        var isFar = [Bool](repeating: false, count: free.count)
        // A glyph's fill is one flat colour (at an opacity below 1, the photo's variation damped by it); photo
        // that strokes happen to surround (a dark wing mirror between two letters, a car's sill under merged
        // texts) varies more, and is left to the stroke rules.
        var sum = [SIMD3<Double>](repeating: .zero, count: components.count), squares = sum
        let minimum = blendedMinimumDistance * blendedMinimumDistance
        for y in 0..<h {
            for x in 0..<w where free[y * w + x] {
                let i = y * w + x, label = Int(components.values[i])
                guard !open[label] else { continue }
                total[label] += 1
                var d: Float = 0
                for k in 0..<3 { let e = Float(crop[3 * i + k]) - estimate[3 * i + k]; d += e * e }
                if d > minimum { far[label] += 1; isFar[i] = true }
                let colour = SIMD3<Double>(Double(crop[3 * i]), Double(crop[3 * i + 1]), Double(crop[3 * i + 2]))
                sum[label] += colour; squares[label] += colour * colour
            }
        }
        let flat = (0..<components.count).map { label -> Bool in
            guard total[label] > 0 else { return false }
            let mean = sum[label] / Double(total[label])
            let variance = squares[label] / Double(total[label]) - mean * mean
            return (variance.sum() / 3).squareRoot() <= enclosedMaximumSpread
        }
        for i in free.indices where free[i] {
            let label = Int(components.values[i])
            if !open[label], flat[label], 2 * far[label] > total[label], isFar[i] { filled[i] = true }
        }
        return filled
    }

    /// An enclosed part whose colour varies more than this (RMS over its pixels and channels, levels) is photo, not
    /// a glyph's fill. On the text benchmark's nine held-out seed sets: 20 scored 21.93 dB, 25 and 30 21.90, none
    /// 21.86 (the enclosed parts taken whatever their spread), and leaving enclosed parts out altogether also 21.86
    /// (it loses the white fills of blue-outlined letters over a white sky, 6 dB on one photo).
    static let enclosedMaximumSpread = 20.0

    /// Pixels within this distance of the clustered strokes are estimated, not taken as background (1 and 3
    /// scored 21.13 and 21.14 dB against 2's 21.18 on the text benchmark).
    static let backgroundGuard = 2

    /// Below this RGB distance from the estimated background a pixel is left alone (texture and noise).
    static let blendedMinimumDistance: Float = 30
}
