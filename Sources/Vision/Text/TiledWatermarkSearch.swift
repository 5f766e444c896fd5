import Foundation
import Imaging

/// Finds a watermark stamped over the photo in a regular grid of tiles — what stock-photo sites do, and what
/// the detector misses where a faint tile lies over busy photo — from the repetition alone, with no template.
///
/// 1. The photo's luminance, shrunk to about `workingSide` and high-passed (minus a Gaussian blur, σ 2), is
///    autocorrelated; a tiling shows as peaks at the spacing of the tiles. Pairs of the strongest peaks are
///    candidate lattices.
/// 2. Each candidate folds the photo onto one tile: the per-cell median over the tiles of one half of a
///    checkerboard is compared with that of the other half. A stamped pattern gives the same template from
///    both, photo content two unrelated ones. The best lattice is refined to a quarter pixel (a tile spacing
///    off by half a pixel blurs the template across three tiles).
/// 3. The template (median over all tiles) is kept where it stands out of its noise (hysteresis at 4 and 5
///    robust σ), in tiles whose photo correlates with it, at pixels where the photo itself shows the pattern
///    (so structure that merely lines up with the lattice, a horizon along a row of tiles, is not taken), in
///    compact groups (text lines, not scattered specks) no larger than a tile, at places of the tile that at
///    least `minimumTiles` groups cover (a stamp recurs; structure that scores by chance lands elsewhere in
///    each tile).
///
/// What it finds is a pattern, not yet text: `TextRemover` only takes it when the detector found overlaid text
/// on it too. Tuned on the five tiled photos of `darkroom bench text` (in-sample).
public struct TiledWatermarkSearch: Sendable {
    /// The photo is searched shrunk by a whole factor until its longer side is at most this.
    public var workingSide = 560
    /// Tiles closer than this share of the photo's shorter side are a texture, not a watermark.
    public var minimumSpacing = 0.15
    /// Fewer tiles than this are not a tiling.
    public var minimumTiles = 3
    /// The lowest split-half agreement of the template for a lattice to count.
    public var minimumConsistency = 0.14
    /// A tile is taken where the photo correlates at least this well with the template.
    public var tileCorrelation = 0.35
    /// Hysteresis on the template, in robust standard deviations of its values: pixels above `weakLevel`
    /// are kept where they connect to one above `seedLevel`.
    public var weakLevel: Float = 4
    public var seedLevel: Float = 5
    /// The photo must show at least this share of the template's value at a pixel for it to be masked.
    public var agreement: Float = 0.3
    /// How many autocorrelation peaks are paired into candidate lattices.
    public var peaks = 10

    public init() {}

    /// One stamped tile found: its bounds and how many pixels of it are masked, in photo pixels.
    public struct Tile: Sendable, Equatable {
        public var bounds: PixelRect
        public var pixels: Int
    }

    public struct Found: Sendable {
        /// Every pixel of the pattern, over the whole photo.
        public var mask: [Bool]
        public var tiles: [Tile]
        /// The two tile spacings, in photo pixels (x, y).
        public var spacing: (SIMD2<Double>, SIMD2<Double>)
        /// The split-half agreement of the template, 0…1.
        public var consistency: Double
    }

    public func find(in luminance: RepeatSearch.Luminance) -> Found? {
        let factor = max(1, Int((Double(max(luminance.width, luminance.height)) / Double(workingSide)).rounded(.up)))
        let shrunk: (values: [Float], width: Int, height: Int) = factor > 1 ? luminance.shrunk(by: factor) : (luminance.values, luminance.width, luminance.height)
        let width = shrunk.width, height = shrunk.height
        guard width >= 32, height >= 32 else { return nil }
        let blurred = Self.gaussianBlurred(shrunk.values, width: width, height: height, sigma: 2)
        let highPass = zip(shrunk.values, blurred).map { $0 - $1 }
        guard var (lattice, consistency) = bestLattice(highPass, width: width, height: height),
              consistency >= minimumConsistency else { return nil }
        (lattice, consistency) = refined(lattice, consistency, highPass, width: width, height: height)
        guard let found = pattern(of: lattice, in: highPass, width: width, height: height, factor: factor,
                                  fullWidth: luminance.width, fullHeight: luminance.height) else { return nil }
        return Found(mask: found.mask, tiles: found.tiles,
                     spacing: (lattice.first * Double(factor), lattice.second * Double(factor)), consistency: consistency)
    }

    // MARK: lattice

    private func bestLattice(_ values: [Float], width: Int, height: Int) -> (TileLattice, Double)? {
        // Peaks are found at half the working size (a quarter of the transform's cost); the refinement then
        // places the lattice at the working size.
        let coarse = RepeatSearch.Luminance(values: values, width: width, height: height).shrunk(by: 2)
        let energy = coarse.values.reduce(0) { $0 + $1 * $1 } / Float(coarse.values.count)
        guard energy > 0 else { return nil }
        let autocorrelation = Autocorrelation(coarse.values, width: coarse.width, height: coarse.height)
        let spacing = minimumSpacing * Double(min(coarse.width, coarse.height))
        let maxY = Int(0.7 * Double(coarse.height)), maxX = Int(0.7 * Double(coarse.width))
        let gridWidth = 2 * maxX + 1
        // Shifts in one half-plane (a shift and its opposite are the same peak).
        var grid = [Float](repeating: -1, count: (maxY + 1) * gridWidth)
        for dy in 0...maxY {
            for dx in -maxX...maxX where dy > 0 || dx > 0 {
                guard Double(dx * dx + dy * dy) > spacing * spacing else { continue }
                grid[dy * gridWidth + dx + maxX] = autocorrelation.mean(dx: dx, dy: dy) / energy
            }
        }
        var candidates: [(value: Float, shift: SIMD2<Double>)] = []
        for dy in 0...maxY {
            for dx in -maxX...maxX {
                let value = grid[dy * gridWidth + dx + maxX]
                guard value > 0 else { continue }
                var isPeak = true
                search: for ny in max(0, dy - 4)...min(maxY, dy + 4) {
                    for nx in max(-maxX, dx - 4)...min(maxX, dx + 4) where grid[ny * gridWidth + nx + maxX] > value {
                        isPeak = false; break search
                    }
                }
                guard isPeak else { continue }
                candidates.append((value, subpixel(dx, dy, autocorrelation)))
            }
        }
        candidates.sort { $0.value > $1.value }
        let shifts = candidates.prefix(peaks).map { $0.shift * 2 }
        var lattices: [TileLattice] = []
        for a in shifts.indices {
            for b in shifts.indices where b > a {
                let u = shifts[a], v = shifts[b]
                let cross = abs(u.x * v.y - u.y * v.x)
                guard cross >= 0.5 * (u * u).sum().squareRoot() * (v * v).sum().squareRoot() else { continue }
                let lattice = TileLattice(first: u, second: v).reduced()
                guard lattice.area <= Double(width * height) / 4, lattice.shortestSpacing >= 2 * spacing,
                      !lattices.contains(where: { Self.near($0.first, lattice.first) && Self.near($0.second, lattice.second) })
                else { continue }
                lattices.append(lattice)
            }
        }
        let scores = Self.consistencies(lattices, values, width: width, height: height)
        guard let best = scores.indices.max(by: { scores[$0] < scores[$1] }) else { return nil }
        return (lattices[best], scores[best])
    }

    /// The split-half agreement of each lattice, on every core.
    static func consistencies(_ lattices: [TileLattice], _ values: [Float], width: Int, height: Int) -> [Double] {
        guard !lattices.isEmpty else { return [] }
        var scores = [Double](repeating: 0, count: lattices.count)
        scores.withUnsafeMutableBufferPointer { out in
            nonisolated(unsafe) let out = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: lattices.count) { i in
                out[i] = lattices[i].consistency(of: values, width: width, height: height)
            }
        }
        return scores
    }

    /// The peak's position to a fraction of a pixel, by a parabola through it and its neighbours on each axis.
    private func subpixel(_ dx: Int, _ dy: Int, _ autocorrelation: Autocorrelation) -> SIMD2<Double> {
        func offset(_ low: Float, _ centre: Float, _ high: Float) -> Double {
            let curvature = low - 2 * centre + high
            return curvature < 0 ? Double(0.5 * (low - high) / curvature) : 0
        }
        let c = autocorrelation.mean(dx: dx, dy: dy)
        let ox = offset(autocorrelation.mean(dx: dx - 1, dy: dy), c, autocorrelation.mean(dx: dx + 1, dy: dy))
        let oy = offset(autocorrelation.mean(dx: dx, dy: dy - 1), c, autocorrelation.mean(dx: dx, dy: dy + 1))
        return SIMD2(Double(dx) + ox, Double(dy) + oy)
    }

    /// Hill-climbing on both spacing vectors, half and quarter pixel steps.
    private func refined(_ lattice: TileLattice, _ score: Double, _ values: [Float], width: Int, height: Int) -> (TileLattice, Double) {
        var best = (lattice, score)
        for step in [0.5, 0.25] {
            var improved = true, rounds = 0
            while improved && rounds < 12 {
                improved = false; rounds += 1
                var candidates: [TileLattice] = []
                for which in 0..<2 {
                    for move in [SIMD2(step, 0), SIMD2(-step, 0), SIMD2(0, step), SIMD2(0, -step)] {
                        var candidate = best.0
                        if which == 0 { candidate.first += move } else { candidate.second += move }
                        candidates.append(candidate)
                    }
                }
                let scores = Self.consistencies(candidates, values, width: width, height: height)
                if let i = scores.indices.max(by: { scores[$0] < scores[$1] }), scores[i] > best.1 + 1e-3 {
                    best = (candidates[i], scores[i]); improved = true
                }
            }
        }
        return best
    }

    // MARK: pattern

    private func pattern(of lattice: TileLattice, in values: [Float], width: Int, height: Int, factor: Int,
                         fullWidth: Int, fullHeight: Int) -> (mask: [Bool], tiles: [Tile])? {
        guard let fold = lattice.fold(width: width, height: height) else { return nil }
        var template = TileLattice.medians(values, fold: fold)
        let known = template.filter { !$0.isNaN }
        guard known.count > 10 else { return nil }
        // The pattern's strokes are its longer tail: light text raises the high-pass, dark text lowers it.
        let ordered = known.sorted()
        let sign: Float = ordered[Int(0.99 * Double(ordered.count - 1))] > -ordered[Int(0.01 * Double(ordered.count - 1))] ? 1 : -1
        template = template.map { $0.isNaN ? 0 : $0 * sign }
        let mean = known.reduce(0, +) / Float(known.count)
        let deviation = (known.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(known.count)).squareRoot()
        let median = ordered[ordered.count / 2]
        let robust = 1.4826 * known.map { abs($0 - median) }.sorted()[known.count / 2]
        guard robust > 0 else { return nil }
        let photo = values.map { $0 * sign }
        let expected = (0..<(width * height)).map { template[Int(fold.cell[$0])] }

        // Tiles whose photo shows the template.
        var members: [Int32: [Int]] = [:]
        for p in 0..<(width * height) { members[fold.tile[p], default: []].append(p) }
        let strongTotal = expected.filter { $0 > 2 * deviation }.count
        let strongPerTile = Double(strongTotal) / Double(members.count)
        var inTakenTile = [Bool](repeating: false, count: width * height)
        for (_, pixels) in members {
            let telling = pixels.filter { abs(expected[$0]) > deviation }
            let strong = pixels.filter { expected[$0] > 2 * deviation }.count
            guard telling.count >= 20, Double(strong) >= 0.25 * strongPerTile else { continue }
            if TileLattice.correlation(telling.map { expected[$0] }, telling.map { photo[$0] }) > tileCorrelation {
                for p in pixels { inTakenTile[p] = true }
            }
        }
        // Hysteresis, where the photo agrees with the template.
        var weak = [Bool](repeating: false, count: width * height), seed = weak
        for p in 0..<(width * height) where inTakenTile[p] && photo[p] > agreement * expected[p] {
            weak[p] = expected[p] > weakLevel * robust
            seed[p] = expected[p] > seedLevel * robust
        }
        // What one tile holds fits in one tile: anything wider or taller than a cell is photo structure that
        // runs along the lattice (a horizon along a row of tiles), not a stamp.
        let cellWidth = Int(abs(lattice.first.x) + abs(lattice.second.x)), cellHeight = Int(abs(lattice.first.y) + abs(lattice.second.y))
        let components = ConnectedComponents.label(weak, width: width, height: height)
        var size = [Int](repeating: 0, count: components.count), seeded = [Bool](repeating: false, count: components.count)
        for p in 0..<(width * height) where components.values[p] >= 0 {
            let c = Int(components.values[p])
            size[c] += 1
            if seed[p] { seeded[c] = true }
        }
        let componentFits = Self.fits(components, width: width, cellWidth: cellWidth, cellHeight: cellHeight)
        var strokes = [Bool](repeating: false, count: width * height)
        for p in 0..<(width * height) where components.values[p] >= 0 {
            let c = Int(components.values[p])
            strokes[p] = seeded[c] && size[c] >= 6 && componentFits[c]
        }
        // Compact groups: strokes within 4 pixels of each other, kept when they fit a cell and carry at least
        // 0.3 of the largest group's weight.
        let groups = ConnectedComponents.label(MaskMorphology.dilated(strokes, width: width, height: height, radius: 4),
                                               width: width, height: height)
        let groupFits = Self.fits(groups, width: width, cellWidth: cellWidth, cellHeight: cellHeight)
        var weight = [Float](repeating: 0, count: groups.count)
        for p in 0..<(width * height) where strokes[p] && groupFits[Int(groups.values[p])] { weight[Int(groups.values[p])] += expected[p] }
        guard let heaviest = weight.max(), heaviest > 0 else { return nil }
        // And a stamp recurs: most of a group's pixels lie at places of the tile (cells) that another kept
        // group covers too. Structure that merely scores on the lattice lands at different places in each tile.
        var coveringGroups = [Int32](repeating: 0, count: fold.cellCount)
        var lastGroup = [Int32](repeating: -1, count: fold.cellCount)
        for p in 0..<(width * height) where strokes[p] && weight[Int(groups.values[p])] >= 0.3 * heaviest {
            let c = Int(fold.cell[p]), g = groups.values[p]
            // A cell counts each group once, however many of its pixels fall there.
            if lastGroup[c] != g { lastGroup[c] = g; coveringGroups[c] += 1 }
        }
        var recurring = [Int](repeating: 0, count: groups.count), total = [Int](repeating: 0, count: groups.count)
        for p in 0..<(width * height) where strokes[p] {
            let g = Int(groups.values[p])
            total[g] += 1
            if coveringGroups[Int(fold.cell[p])] >= Int32(minimumTiles) { recurring[g] += 1 }
        }
        let keptGroup = (0..<groups.count).map { weight[$0] >= 0.3 * heaviest && 2 * recurring[$0] >= total[$0] }
        for p in 0..<(width * height) where strokes[p] && !keptGroup[Int(groups.values[p])] { strokes[p] = false }

        // One tile per kept group; fewer than `minimumTiles` is no tiling, and nothing is drawn at full size.
        var boxes: [Int: (x0: Int, y0: Int, x1: Int, y1: Int)] = [:]
        for p in 0..<(width * height) where strokes[p] {
            let g = Int(groups.values[p]), x = p % width, y = p / width
            let b = boxes[g] ?? (x, y, x, y)
            boxes[g] = (min(b.x0, x), min(b.y0, y), max(b.x1, x), max(b.y1, y))
        }
        guard boxes.count >= minimumTiles else { return nil }
        let mask = Self.fullSize(strokes, width: width, height: height, factor: factor, fullWidth: fullWidth, fullHeight: fullHeight)
        var tiles: [Tile] = []
        for (_, b) in boxes.sorted(by: { ($0.value.y0, $0.value.x0) < ($1.value.y0, $1.value.x0) }) {
            let x0 = max(0, b.x0 * factor - 1), y0 = max(0, b.y0 * factor - 1)
            let x1 = min(fullWidth, (b.x1 + 1) * factor + 1), y1 = min(fullHeight, (b.y1 + 1) * factor + 1)
            var count = 0
            for y in y0..<y1 { for x in x0..<x1 where mask[y * fullWidth + x] { count += 1 } }
            tiles.append(Tile(bounds: PixelRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0), pixels: count))
        }
        return (mask, tiles)
    }

    /// The shrunk mask back at full size: sampled bilinearly, taken above 0.3, then grown by a pixel.
    static func fullSize(_ strokes: [Bool], width: Int, height: Int, factor: Int, fullWidth: Int, fullHeight: Int) -> [Bool] {
        var mask = [Bool](repeating: false, count: fullWidth * fullHeight)
        let scale = 1 / Double(factor)
        for y in 0..<fullHeight {
            let sy = min(max((Double(y) + 0.5) * scale - 0.5, 0), Double(height - 1))
            let y0 = Int(sy), y1 = min(y0 + 1, height - 1), ty = Float(sy - Double(y0))
            for x in 0..<fullWidth {
                let sx = min(max((Double(x) + 0.5) * scale - 0.5, 0), Double(width - 1))
                let x0 = Int(sx), x1 = min(x0 + 1, width - 1), tx = Float(sx - Double(x0))
                func at(_ xx: Int, _ yy: Int) -> Float { strokes[yy * width + xx] ? 1 : 0 }
                let value = (at(x0, y0) * (1 - tx) + at(x1, y0) * tx) * (1 - ty) + (at(x0, y1) * (1 - tx) + at(x1, y1) * tx) * ty
                mask[y * fullWidth + x] = value > 0.3
            }
        }
        return MaskMorphology.dilated(mask, width: fullWidth, height: fullHeight, radius: 1)
    }

    /// Whether each component's bounds fit within `cellWidth` × `cellHeight`.
    static func fits(_ components: (values: [Int32], count: Int), width: Int, cellWidth: Int, cellHeight: Int) -> [Bool] {
        var low = [SIMD2<Int>](repeating: SIMD2(Int.max, Int.max), count: components.count)
        var high = [SIMD2<Int>](repeating: SIMD2(-1, -1), count: components.count)
        for p in components.values.indices where components.values[p] >= 0 {
            let c = Int(components.values[p]), point = SIMD2(p % width, p / width)
            low[c] = pointwiseMin(low[c], point); high[c] = pointwiseMax(high[c], point)
        }
        return (0..<components.count).map { high[$0].x - low[$0].x < cellWidth && high[$0].y - low[$0].y < cellHeight }
    }

    static func near(_ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Bool { abs(a.x - b.x) < 0.5 && abs(a.y - b.y) < 0.5 }

    /// A separable Gaussian blur (radius 3σ, borders clamped).
    static func gaussianBlurred(_ values: [Float], width: Int, height: Int, sigma: Double) -> [Float] {
        let radius = Int((3 * sigma).rounded(.up))
        var kernel = (-radius...radius).map { Float(exp(-Double($0 * $0) / (2 * sigma * sigma))) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        var rows = [Float](repeating: 0, count: values.count), out = rows
        for y in 0..<height {
            for x in 0..<width {
                var sum: Float = 0
                for k in -radius...radius { sum += kernel[k + radius] * values[y * width + min(max(x + k, 0), width - 1)] }
                rows[y * width + x] = sum
            }
        }
        for y in 0..<height {
            for x in 0..<width {
                var sum: Float = 0
                for k in -radius...radius { sum += kernel[k + radius] * rows[min(max(y + k, 0), height - 1) * width + x] }
                out[y * width + x] = sum
            }
        }
        return out
    }
}

extension TextRegion {
    /// A tile of a tiled watermark as a text found: its bounds, artificial by nature.
    init(tile: TiledWatermarkSearch.Tile, score: Double) {
        let b = tile.bounds
        let x0 = Double(b.x), y0 = Double(b.y), x1 = Double(b.x + b.width - 1), y1 = Double(b.y + b.height - 1)
        self.init(corners: [Point(x: x0, y: y0), Point(x: x1, y: y0), Point(x: x1, y: y1), Point(x: x0, y: y1)],
                  score: Float(score), kind: .artificial)
        strokePixels = tile.pixels
        tiled = true
    }
}
