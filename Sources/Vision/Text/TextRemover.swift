import Foundation
import Imaging

/// Detection → stroke masks → classification → inpainting, on one photo.
public struct TextRemover: Sendable {
    public let detector: TextDetector
    public var inpainter: any Inpainter
    public var classifier = TextClassifier()
    /// Finds further copies of artificial texts (tiled watermarks); nil turns that off.
    public var repeats: RepeatSearch? = RepeatSearch()
    /// Finds watermarks tiled over the photo from their repetition; nil turns that off.
    public var tiles: TiledWatermarkSearch? = TiledWatermarkSearch()
    /// Restores the photo under semi-transparent texts instead of filling it; nil fills every text.
    public var unblending: OverlayUnblending? = OverlayUnblending()
    /// Adds the pieces of a restored text's letters its stroke mask missed; nil keeps the mask as it was.
    public var growth: OverlayGrowth? = OverlayGrowth()
    /// Adds an outline's colour around the strokes to their mask (`StrokeMask.addingOutlineBand`).
    public var masksOutlines = true

    public init(detector: TextDetector, inpainter: any Inpainter = PatchMatchInpainter()) {
        self.detector = detector
        self.inpainter = inpainter
    }

    /// What one pass found and did.
    public struct Outcome: Sendable {
        /// The photo with the chosen texts removed (alpha kept as it was).
        public var image: Image
        /// Every text found, with its kind.
        public var regions: [TextRegion]
        /// How many of them were removed.
        public var removed: Int
        /// The pixels that were inpainted, row by row over the photo.
        public var mask: [Bool]
    }

    /// Detects every text, classifies it, and inpaints the strokes of those whose kind is in `kinds`.
    public func remove(from photo: Image, kinds: Set<TextKind>) throws -> Outcome {
        let colour = try photo.removingAlpha()
        let width = colour.width, height = colour.height
        var pixels = try colour.pixels()
        var regions = try detector.detect(colour)
        var mask = [Bool](repeating: false, count: width * height)
        var removed = 0
        var areas: [(rect: PixelRect, margin: Int)] = []
        var found: [(index: Int, strokes: RegionStrokes)] = []
        for index in regions.indices {
            let neighbours = regions.indices.filter { $0 != index }.map { regions[$0] }
            guard var strokes = StrokeMask.strokes(of: regions[index], pixels: pixels, width: width, height: height,
                                                   neighbours: neighbours, outlineBand: masksOutlines) else {
                regions[index].kind = .natural  // no separable strokes: nothing painted on, leave it
                continue
            }
            let judged = StrokeMask.strokesToJudge(strokes, of: regions[index], pixels: pixels, width: width, height: height,
                                                   neighbours: neighbours, outlineBand: masksOutlines)
            let features = TextClassifier.features(of: judged, pixels: pixels, width: width, angle: regions[index].angle)
            // After the judging: see `extendingCutEnds` for why the classifier sees the text as detected.
            (regions[index], strokes) = Self.extendingCutEnds(regions[index], strokes: strokes, pixels: pixels, width: width,
                                                              height: height, neighbours: neighbours, outlineBand: masksOutlines)
            regions[index].kind = classifier.classify(features)
            regions[index].features = features
            regions[index].strokePixels = strokes.strokeCount
            found.append((index, strokes))
        }
        // Copies of every artificial text, the larger texts (better templates) first; a copy is a text found.
        let templates = found.filter { regions[$0.index].kind == .artificial }.sorted { $0.strokes.strokeCount > $1.strokes.strokeCount }
        var taken = [Bool](repeating: false, count: width * height)
        for (_, strokes) in found { mark(strokes, dx: 0, dy: 0, in: &taken, width: width) }
        var artificial = [Bool](repeating: false, count: width * height)
        for (index, strokes) in found where regions[index].kind == .artificial { mark(strokes, dx: 0, dy: 0, in: &artificial, width: width) }
        // Made only when a search needs it: a float per pixel is 144 MB on a 36 MP photo.
        lazy var luminance = RepeatSearch.Luminance(pixels: pixels, width: width, height: height)
        var copies: [(strokes: RegionStrokes, dx: Int, dy: Int)] = []
        if let repeats {
            for (index, strokes) in templates {
                for copy in repeats.copies(of: strokes, in: luminance, taken: &taken) {
                    var region = regions[index]
                    region.corners = region.corners.map { Point(x: $0.x + Double(copy.dx), y: $0.y + Double(copy.dy)) }
                    region.score = Float(copy.correlation)
                    regions.append(region)
                    mark(strokes, dx: copy.dx, dy: copy.dy, in: &artificial, width: width)
                    copies.append((strokes, copy.dx, copy.dy))
                }
            }
        }
        var watermark: TiledWatermarkSearch.Found?
        var onTiles = Set<Int>()
        // Only overlaid text found can confirm a tiling, so without any the search is not run.
        if let tiles, artificial.contains(true), let tiling = tiles.find(in: luminance),
           Self.confirms(tiling, artificial: artificial, width: width) {
            watermark = tiling
            // A text found on the tiles is one of them, whatever its strokes looked like to the classifier (a
            // faint tile over busy photo looks soft and many-coloured, like scene text). The tiling's own mask
            // removes it: the stroke mask of such a text is the one the classifier could not make sense of.
            for (index, strokes) in found where regions[index].kind == .natural && Self.share(of: strokes, in: tiling.mask, width: width) >= 0.5 {
                regions[index].kind = .artificial
                onTiles.insert(index)
            }
            // A tile the detector or the repeat search already found is not a second text.
            let newTiles = tiling.tiles.filter { 2 * Self.pixels(of: $0, in: tiling.mask, outside: taken, width: width) >= $0.pixels }
            regions += newTiles.map { TextRegion(tile: $0, score: tiling.consistency) }
            if kinds.contains(.artificial) { removed += newTiles.count }
        }

        // The mask of every text of the kinds asked for, and the areas the fill may copy from.
        for (index, strokes) in found where kinds.contains(regions[index].kind ?? .natural) {
            removed += 1
            guard !onTiles.contains(index) else { continue }
            mark(strokes, dx: 0, dy: 0, in: &mask, width: width)
            areas.append((strokes.bounds, max(8, Int(strokes.textHeight * 0.75))))
        }
        if kinds.contains(.artificial) {
            for copy in copies {
                removed += 1
                mark(copy.strokes, dx: copy.dx, dy: copy.dy, in: &mask, width: width)
                let b = copy.strokes.bounds
                areas.append((PixelRect(x: b.x + copy.dx, y: b.y + copy.dy, width: b.width, height: b.height),
                              max(8, Int(copy.strokes.textHeight * 0.75))))
            }
            if let watermark {
                for p in mask.indices where watermark.mask[p] { mask[p] = true }
                areas += watermark.tiles.map { ($0.bounds, max(8, min(32, min($0.bounds.width, $0.bounds.height) / 2))) }
            }
        }
        var fillMask = mask
        if let unblending {
            // Restored pixels are known photo to the fill, which then only has the strokes' rims left to guess.
            func apply(_ restored: OverlayUnblending.Restored?) -> OverlayUnblending.Overlay? {
                guard let restored else { return nil }
                for (p, colour) in restored.pixels {
                    pixels[3 * p] = colour.x; pixels[3 * p + 1] = colour.y; pixels[3 * p + 2] = colour.z
                    fillMask[p] = false
                }
                return restored.overlay
            }
            let source = pixels
            // A tiled watermark is one overlay: fitted over all its tiles, then used for the texts found on them.
            var tileOverlay: OverlayUnblending.Overlay?
            if kinds.contains(.artificial), let watermark {
                tileOverlay = apply(unblending.restore(tiles: watermark.tiles.map(\.bounds), text: watermark.mask, hole: mask,
                                                       pixels: source, width: width))
                for index in regions.indices where regions[index].tiled { regions[index].overlay = tileOverlay }
            }
            func onWatermark(_ strokes: RegionStrokes) -> OverlayUnblending.Overlay? {
                guard let tileOverlay, let watermark, Self.share(of: strokes, in: watermark.mask, width: width) >= 0.5 else { return nil }
                return tileOverlay
            }
            let fitted = found.filter { kinds.contains(regions[$0.index].kind ?? .natural) && !onTiles.contains($0.index) }
            func restore(_ strokes: RegionStrokes, known: OverlayUnblending.Overlay?) -> OverlayUnblending.Restored? {
                unblending.restore(text: strokes.core, area: strokes.mask, rect: strokes.bounds, hole: mask, pixels: source,
                                   width: width, known: known)
            }
            // Every text is fitted first, so that one split in several can take the overlay of another part.
            let ownFits = fitted.map { restore($0.strokes, known: onWatermark($0.strokes)) }
            let lent = zip(fitted, ownFits).compactMap { text, fit in fit.map { (index: text.index, overlay: $0.overlay) } }
            for ((index, strokes), ownFit) in zip(fitted, ownFits) {
                let others = lent.filter { $0.index != index }.map { (regions[$0.index], $0.overlay) }
                var restored = Self.borrowingFromLine(ownFit, region: regions[index], others: others,
                                                      minimumShare: unblending.minimumOverlaidShare) { restore(strokes, known: $0) }
                var restoredStrokes = strokes
                // More strokes the fitted overlay explains: removed, and restored with that overlay.
                func take(_ more: RegionStrokes, overlay: OverlayUnblending.Overlay) {
                    mark(more, dx: 0, dy: 0, in: &mask, width: width)
                    mark(more, dx: 0, dy: 0, in: &fillMask, width: width)
                    restored = restore(more, known: overlay) ?? restored
                    restoredStrokes = more
                }
                if let growth, let overlay = restored?.overlay,
                   let grown = growth.grown(strokes, region: regions[index], overlay: overlay, hole: mask, pixels: source,
                                            width: width, outOfRange: unblending.outOfRange) {
                    take(grown, overlay: overlay)
                }
                if let growth, let overlay = restored?.overlay,
                   let longer = Self.extendingAlongOverlay(restoredStrokes, region: regions[index], overlay: overlay, growth: growth,
                                                           hole: mask, pixels: source, width: width, height: height,
                                                           outOfRange: unblending.outOfRange) {
                    take(longer, overlay: overlay)
                }
                regions[index].overlay = apply(restored)
            }
            if kinds.contains(.artificial) {
                for copy in copies {
                    _ = apply(unblending.restore(text: copy.strokes.core, area: copy.strokes.mask, rect: copy.strokes.bounds,
                                                 offset: (copy.dx, copy.dy), hole: mask, pixels: source, width: width))
                }
            }
        }
        try fill(&pixels, width: width, height: height, mask: fillMask, areas: areas)
        var result = try Image(pixels: pixels, width: width, height: height, bands: 3)
        if let alpha = try photo.alpha() { result = try result.withAlpha(alpha) }
        return Outcome(image: result, regions: regions, removed: removed, mask: mask)
    }

    /// A repeated pattern counts as a watermark only where the detector also saw overlaid text on it: some
    /// tile has at least a quarter of its pixels in the strokes of texts called artificial. A brick wall or a
    /// tiled floor repeats too but is not read as text; a shelf of identical packets repeats its labels, but
    /// they are scene text.
    static func confirms(_ watermark: TiledWatermarkSearch.Found, artificial: [Bool], width: Int) -> Bool {
        watermark.tiles.contains { tile in
            4 * (tile.pixels - pixels(of: tile, in: watermark.mask, outside: artificial, width: width)) >= tile.pixels
        }
    }

    /// The share of a text's stroke mask that lies in a photo-sized `mask`.
    static func share(of strokes: RegionStrokes, in mask: [Bool], width: Int) -> Double {
        let b = strokes.bounds
        var inside = 0, total = 0
        for y in 0..<b.height { for x in 0..<b.width where strokes.mask[y * b.width + x] {
            total += 1
            if mask[(b.y + y) * width + b.x + x] { inside += 1 }
        } }
        return total == 0 ? 0 : Double(inside) / Double(total)
    }

    /// How many pixels of `tile`'s bounds are set in `mask` but not in `outside`.
    static func pixels(of tile: TiledWatermarkSearch.Tile, in mask: [Bool], outside: [Bool], width: Int) -> Int {
        let b = tile.bounds
        var count = 0
        for y in b.y..<(b.y + b.height) { for x in b.x..<(b.x + b.width) where mask[y * width + x] && !outside[y * width + x] { count += 1 } }
        return count
    }

    /// Sets the stroke mask of `strokes`, moved by (dx, dy), in a photo-sized mask.
    private func mark(_ strokes: RegionStrokes, dx: Int, dy: Int, in mask: inout [Bool], width: Int) {
        let b = strokes.bounds
        for y in 0..<b.height { for x in 0..<b.width where strokes.mask[y * b.width + x] {
            mask[(b.y + dy + y) * width + b.x + dx + x] = true
        } }
    }

    /// Inpaints the masked pixels, one merged area at a time (each area: the strokes' bounds grown by a margin
    /// of known pixels to copy from). Pixels outside the mask are never written.
    func fill(_ pixels: inout [UInt8], width: Int, height: Int, mask: [Bool], areas: [(rect: PixelRect, margin: Int)]) throws {
        for rect in Self.mergedAreas(areas, width: width, height: height) {
            var hole = [Bool](repeating: false, count: rect.width * rect.height)
            var crop = [UInt8](repeating: 0, count: rect.width * rect.height * 3)
            for y in 0..<rect.height {
                for x in 0..<rect.width {
                    let p = (rect.y + y) * width + rect.x + x
                    hole[y * rect.width + x] = mask[p]
                    for k in 0..<3 { crop[3 * (y * rect.width + x) + k] = pixels[3 * p + k] }
                }
            }
            var work = InpaintingImage(pixels: crop, width: rect.width, height: rect.height, hole: hole)
            try inpainter.inpaint(&work)
            let filled = work.pixels
            for y in 0..<rect.height {
                for x in 0..<rect.width where hole[y * rect.width + x] {
                    let p = (rect.y + y) * width + rect.x + x
                    for k in 0..<3 { pixels[3 * p + k] = filled[3 * (y * rect.width + x) + k] }
                }
            }
        }
    }

    /// Inpaints a given mask (e.g. the exact one of a benchmark), with areas from its connected components.
    public func inpaint(_ photo: Image, mask: [Bool], margin: Int = 16) throws -> Image {
        let colour = try photo.removingAlpha()
        let width = colour.width, height = colour.height
        var pixels = try colour.pixels()
        let labels = ConnectedComponents.label(mask, width: width, height: height)
        var boxes = [(x0: Int, y0: Int, x1: Int, y1: Int)](repeating: (Int.max, Int.max, -1, -1), count: labels.count)
        for y in 0..<height {
            for x in 0..<width where labels.values[y * width + x] >= 0 {
                let l = Int(labels.values[y * width + x])
                boxes[l] = (min(boxes[l].x0, x), min(boxes[l].y0, y), max(boxes[l].x1, x), max(boxes[l].y1, y))
            }
        }
        let areas = boxes.map { (PixelRect(x: $0.x0, y: $0.y0, width: $0.x1 - $0.x0 + 1, height: $0.y1 - $0.y0 + 1), margin) }
        try fill(&pixels, width: width, height: height, mask: mask, areas: areas)
        var result = try Image(pixels: pixels, width: width, height: height, bands: 3)
        if let alpha = try photo.alpha() { result = try result.withAlpha(alpha) }
        return result
    }

    /// The stroke areas grown by their margins (the known pixels PatchMatch copies from), with overlapping
    /// areas merged so that every hole is filled once, seeing all its neighbours.
    static func mergedAreas(_ areas: [(rect: PixelRect, margin: Int)], width: Int, height: Int) -> [PixelRect] {
        var rects = areas.map { area -> PixelRect in
            let x0 = max(0, area.rect.x - area.margin), y0 = max(0, area.rect.y - area.margin)
            let x1 = min(width, area.rect.x + area.rect.width + area.margin), y1 = min(height, area.rect.y + area.rect.height + area.margin)
            return PixelRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
        }
        var merged = true
        while merged {
            merged = false
            outer: for i in rects.indices {
                for j in rects.indices where j > i {
                    let a = rects[i], b = rects[j]
                    if a.intersects(b) {
                        let x0 = min(a.x, b.x), y0 = min(a.y, b.y)
                        let x1 = max(a.x + a.width, b.x + b.width), y1 = max(a.y + a.height, b.y + b.height)
                        rects[i] = PixelRect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
                        rects.remove(at: j)
                        merged = true
                        break outer
                    }
                }
            }
        }
        return rects
    }
}
