import Imaging

/// Tiled watermarks stamp one text many times over a photo, and the detector finds the copies over calm
/// backgrounds while missing many over busy ones. So a text about to be removed as artificial is also looked
/// for elsewhere as an exact repeat: the same glyph shape, size and angle, standing out from its surroundings
/// the same way. The measure is the normalised cross-correlation of its stroke shape (with the ring of
/// background around it) with the photo's luminance; a copy gets the original's stroke mask, shifted.
///
/// The search runs on the photo shrunk until the text is about `searchTextHeight` pixels high, then each
/// candidate is placed to the pixel at full size.
public struct RepeatSearch: Sendable {
    /// The lowest correlation, at full size, that counts as a copy.
    public var minimumCorrelation: Double
    /// Text height in pixels of the shrunk photo the first pass searches.
    public var searchTextHeight: Double
    /// The shrunk pass keeps candidates down to this share of `minimumCorrelation` (shrinking blurs the glyphs).
    public var coarseShare: Double = 0.8
    /// Texts with fewer core stroke pixels are not searched for: a few strokes match photo texture by chance.
    public var minimumStrokePixels = 150
    /// Multiply-adds the shrunk search may take per text.
    public var searchBudget = 2e8
    /// At most this many candidates are placed at full size per text.
    public var maximumCandidates = 16

    public init(minimumCorrelation: Double = 0.6, searchTextHeight: Double = 8) {
        self.minimumCorrelation = minimumCorrelation
        self.searchTextHeight = searchTextHeight
    }

    /// One copy: where the original's bounds would have to move to lie on it.
    public struct Copy: Sendable, Equatable {
        public var dx: Int, dy: Int
        public var correlation: Double
    }

    /// Luminance of the photo, row by row.
    public struct Luminance: Sendable {
        public let values: [Float]
        public let width: Int, height: Int

        public init(pixels: [UInt8], width: Int, height: Int) {
            self.width = width; self.height = height
            // Centred on mid-grey: the window variance is a difference of sums of squares, which in Float
            // cancels badly when the values are all large.
            values = (0..<(width * height)).map { i in
                0.299 * Float(pixels[3 * i]) + 0.587 * Float(pixels[3 * i + 1]) + 0.114 * Float(pixels[3 * i + 2]) - 128
            }
        }

        /// A plane of values already computed (a filtered luminance, say).
        init(values: [Float], width: Int, height: Int) {
            self.values = values; self.width = width; self.height = height
        }

        /// Block means over `factor` × `factor` squares (the last partial row and column dropped).
        func shrunk(by factor: Int) -> (values: [Float], width: Int, height: Int) {
            let w = width / factor, h = height / factor
            var out = [Float](repeating: 0, count: w * h)
            let scale = 1 / Float(factor * factor), width = self.width
            values.withUnsafeBufferPointer { values in out.withUnsafeMutableBufferPointer { out in
                for y in 0..<h {
                    let target = out.baseAddress! + y * w
                    for dy in 0..<factor {
                        let row = values.baseAddress! + (y * factor + dy) * width
                        for x in 0..<w { for dx in 0..<factor { target[x] += row[x * factor + dx] } }
                    }
                    for x in 0..<w { target[x] *= scale }
                }
            }}
            return (out, w, h)
        }
    }

    /// Where else the strokes of `strokes` appear, best first. At least half of a copy's mask must be new: not
    /// in `taken` (pixels of the texts already found, the original included) nor in a better copy. So a copy
    /// over a fragment the detector found (one letter of a faint tile) still counts, and a text already
    /// found whole is not found twice. Each copy's mask is added to `taken`, for the next text's search.
    public func copies(of strokes: RegionStrokes, in luminance: Luminance, taken: inout [Bool]) -> [Copy] {
        let b = strokes.bounds, width = luminance.width, height = luminance.height
        let corePixels = strokes.core.lazy.filter { $0 }.count
        guard corePixels >= minimumStrokePixels, b.width < width, b.height < height else { return [] }
        let around = window(of: strokes)
        // The shrunk search costs about photo pixels × window pixels / factor⁴: a small text on a large photo is
        // searched coarser, down to 3 pixels of text height, and not at all below that.
        let cost = Double(width * height) * Double(around.lazy.filter { $0 }.count)
        let factor = max(Int(strokes.textHeight / searchTextHeight), Int((cost / searchBudget).squareRoot().squareRoot().rounded(.up)), 1)
        guard strokes.textHeight / Double(factor) >= 3 else { return [] }
        // Dark text correlates negatively with its stroke shape; copies must stand out the same way.
        func luma(_ c: [Double]) -> Double { 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2] }
        let sign: Float = luma(strokes.textColour) >= luma(strokes.backgroundColour) ? 1 : -1
        let candidates = coarseCandidates(strokes, around, luminance, factor: factor, sign: sign).sorted { $0.correlation > $1.correlation }
        let template = FullSizeTemplate(strokes, around, photoWidth: width)
        let accepted = candidates.prefix(maximumCandidates)
            .compactMap { place(strokes, template, near: $0, radius: factor, luminance, sign: Double(sign)) }
            .filter { $0.correlation >= minimumCorrelation }
            .sorted { $0.correlation > $1.correlation }

        var found: [Copy] = []
        let maskPixels = strokes.mask.lazy.filter { $0 }.count
        for copy in accepted {
            var overlap = 0
            for y in 0..<b.height { for x in 0..<b.width where strokes.mask[y * b.width + x] {
                if taken[(b.y + copy.dy + y) * width + b.x + copy.dx + x] { overlap += 1 }
            } }
            guard overlap * 2 <= maskPixels else { continue }
            for y in 0..<b.height { for x in 0..<b.width where strokes.mask[y * b.width + x] {
                taken[(b.y + copy.dy + y) * width + b.x + copy.dx + x] = true
            } }
            found.append(copy)
        }
        return found
    }

    /// The pixels the correlation looks at: the core strokes and a band of background around them (a box's
    /// far corners, especially around rotated text, are photo that says nothing about the text).
    func window(of strokes: RegionStrokes) -> [Bool] {
        MaskMorphology.dilated(strokes.core, width: strokes.bounds.width, height: strokes.bounds.height,
                               radius: max(2, Int(strokes.textHeight / 6)))
    }

    /// Local maxima of the correlation on the shrunk photo, as copies at full-size offsets.
    private func coarseCandidates(_ strokes: RegionStrokes, _ around: [Bool], _ luminance: Luminance, factor: Int, sign: Float) -> [Copy] {
        let b = strokes.bounds
        let (small, w, h) = luminance.shrunk(by: factor)
        // The template: the share of core stroke pixels in each block of the bounds, over the blocks the window touches.
        let tw = (b.width + factor - 1) / factor, th = (b.height + factor - 1) / factor
        guard tw < w, th < h else { return [] }
        var share = [Float](repeating: 0, count: tw * th), inWindow = [Bool](repeating: false, count: tw * th)
        for y in 0..<b.height { for x in 0..<b.width {
            let cell = (y / factor) * tw + x / factor
            if strokes.core[y * b.width + x] { share[cell] += 1 / Float(factor * factor) }
            if around[y * b.width + x] { inWindow[cell] = true }
        } }
        let cells = share.indices.filter { inWindow[$0] }
        let n = Float(cells.count)
        let meanT = cells.reduce(0) { $0 + share[$1] } / n
        let normT = cells.reduce(0) { $0 + (share[$1] - meanT) * (share[$1] - meanT) }.squareRoot()
        guard normT > 0 else { return [] }

        let px = w - tw + 1, py = h - th + 1
        var products = [Float](repeating: 0, count: px * py), sums = products, squares = products
        small.withUnsafeBufferPointer { source in products.withUnsafeMutableBufferPointer { p in
        sums.withUnsafeMutableBufferPointer { s in squares.withUnsafeMutableBufferPointer { q in
            for cell in cells {
                let t = share[cell], ux = cell % tw, uy = cell / tw
                for y in 0..<py {
                    let from = source.baseAddress! + (y + uy) * w + ux, row = y * px
                    let p = p.baseAddress! + row, s = s.baseAddress! + row, q = q.baseAddress! + row
                    for x in 0..<px { let v = from[x]; p[x] += t * v; s[x] += v; q[x] += v * v }
                }
            }
        }}}}
        var correlation = [Float](repeating: -1, count: px * py)
        for i in correlation.indices {
            let variance = squares[i] - sums[i] * sums[i] / n
            guard variance > 1e-3 else { continue }
            correlation[i] = sign * (products[i] - meanT * sums[i]) / (normT * variance.squareRoot())
        }
        var out: [Copy] = []
        let floor = Float(minimumCorrelation * coarseShare)
        for y in 0..<py {
            for x in 0..<px where correlation[y * px + x] >= floor {
                let value = correlation[y * px + x]
                var peak = true
                for v in max(0, y - 1)...min(py - 1, y + 1) { for u in max(0, x - 1)...min(px - 1, x + 1) where correlation[v * px + u] > value {
                    peak = false
                } }
                if peak { out.append(Copy(dx: x * factor - b.x, dy: y * factor - b.y, correlation: Double(value))) }
            }
        }
        return out
    }

    /// The strokes as the full-size correlation reads them: offsets (in photo pixels from the bounds' origin)
    /// of the window's pixels, which of them are strokes, and the zero-mean template's norm. A large text is
    /// sampled down to `maximumSamples` window pixels, so a big photo's search costs what a small one's does.
    struct FullSizeTemplate {
        var window: [Int] = [], core: [Int] = []
        var normT = 0.0

        init(_ strokes: RegionStrokes, _ around: [Bool], photoWidth: Int, maximumSamples: Int = 4096) {
            let b = strokes.bounds
            let count = around.lazy.filter { $0 }.count
            let stride = max(1, (count + maximumSamples - 1) / maximumSamples)
            var seen = 0
            for y in 0..<b.height { for x in 0..<b.width where around[y * b.width + x] {
                defer { seen += 1 }
                guard seen % stride == 0 else { continue }
                window.append(y * photoWidth + x)
                if strokes.core[y * b.width + x] { core.append(y * photoWidth + x) }
            } }
            let n = Double(window.count), k = Double(core.count)
            // Zero-mean binary template: (1 - k/n) on strokes, -k/n elsewhere.
            normT = (k * (1 - k / n) * (1 - k / n) + (n - k) * (k / n) * (k / n)).squareRoot()
        }
    }

    /// The best full-size placement within `radius` pixels of `candidate`, with its correlation: a grid of
    /// about a third of the radius first, then every pixel around the best point of it.
    private func place(_ strokes: RegionStrokes, _ template: FullSizeTemplate, near candidate: Copy, radius: Int,
                       _ luminance: Luminance, sign: Double) -> Copy? {
        let b = strokes.bounds, width = luminance.width, height = luminance.height
        let n = Double(template.window.count), k = Double(template.core.count)
        guard template.normT > 0 else { return nil }
        return luminance.values.withUnsafeBufferPointer { values -> Copy? in
            func correlation(_ dx: Int, _ dy: Int) -> Double? {
                let ox = b.x + dx, oy = b.y + dy
                guard ox >= 0, oy >= 0, ox + b.width <= width, oy + b.height <= height else { return nil }
                let origin = values.baseAddress! + oy * width + ox
                var sum = 0.0, squares = 0.0, strokeSum = 0.0
                for i in template.window { let v = Double(origin[i]); sum += v; squares += v * v }
                for i in template.core { strokeSum += Double(origin[i]) }
                let variance = squares - sum * sum / n
                guard variance > 1e-6 else { return nil }
                return sign * (strokeSum - k / n * sum) / (template.normT * variance.squareRoot())
            }
            func best(around centre: (dx: Int, dy: Int), reach: Int, step: Int) -> Copy? {
                var found: Copy?
                for dy in Swift.stride(from: centre.dy - reach, through: centre.dy + reach, by: step) {
                    for dx in Swift.stride(from: centre.dx - reach, through: centre.dx + reach, by: step) {
                        if let value = correlation(dx, dy), value > found?.correlation ?? -.infinity {
                            found = Copy(dx: dx, dy: dy, correlation: value)
                        }
                    }
                }
                return found
            }
            let step = max(1, radius / 3)
            guard let coarse = best(around: (candidate.dx, candidate.dy), reach: radius, step: step) else { return nil }
            return step == 1 ? coarse : best(around: (coarse.dx, coarse.dy), reach: step, step: 1)
        }
    }
}
