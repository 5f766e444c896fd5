import Foundation
import Imaging

/// A photo with text painted over it, the untouched original, and the exact mask of every pixel the text
/// touched: the ground truth for text removal, rebuilt from a recipe (photo + seed) at any time.
public struct TextOverlaySample: Sendable {
    public var name: String
    public var original: Image
    public var overlaid: Image
    /// true where any overlay (fill, outline, shadow) has non-zero coverage, row by row.
    public var mask: [Bool]
    /// What was painted, in order, and for every pixel the index of the last of them that touched it (−1: none).
    public var styles: [TextOverlayStyle]
    public var painter: [Int16]
    /// How many separate texts were painted (a tiled watermark counts once per tile).
    public var textCount: Int { styles.count }
}

/// One painted text: what, how and where.
public struct TextOverlayStyle: Sendable {
    public var text: String
    public var font: String
    public var colour: RGBA
    public var opacity: Double
    /// Degrees, counter-clockwise positive as seen on screen.
    public var angle: Double
    public var outline: (width: Int, colour: RGBA)?
    public var shadow: (dx: Int, dy: Int)?
    /// Centre of the text in the photo.
    public var centre: Point
    /// One tile of a tiled watermark.
    public var tile = false

    public init(text: String, font: String, colour: RGBA, opacity: Double, angle: Double,
                outline: (width: Int, colour: RGBA)?, shadow: (dx: Int, dy: Int)?, centre: Point) {
        self.text = text; self.font = font; self.colour = colour; self.opacity = opacity; self.angle = angle
        self.outline = outline; self.shadow = shadow; self.centre = centre
    }
}

/// Overlays text on real photos with Debian's DejaVu fonts rendered by Pango (through libvips): sizes from tiny
/// to large, several colours, opacity 0.3–1, rotations, outlines, drop shadows and tiled watermarks.
public enum TextOverlaySet {
    static let phrases = ["SALE -50%", "© Studio Lumen 2026", "Only 19,99 €", "NEW COLLECTION", "sample", "Free shipping",
                          "PROOF", "www.example-shop.com", "Limited edition", "Hot deal!", "Summer vibes", "ORIGINAL",
                          "Best price", "@darkroom", "Made in France", "watermark"]
    static let fonts = ["DejaVu Sans Bold", "DejaVu Serif", "DejaVu Sans Mono Bold", "DejaVu Sans Condensed", "DejaVu Serif Bold"]
    static let colours = [RGBA.white, RGBA.black, RGBA(230, 30, 40), RGBA(250, 210, 20), RGBA(20, 90, 220), RGBA(255, 255, 255)]

    /// `photo` scaled so its longer side is at most `maxSide`, with 3–5 texts (and on every third photo a tiled
    /// watermark), all drawn from `seed`.
    public static func sample(name: String, photo: Image, seed: UInt64, maxSide: Int = 1024) throws -> TextOverlaySample {
        var photo = try photo.removingAlpha()
        if max(photo.width, photo.height) > maxSide { photo = try photo.fitted(maxWidth: maxSide, maxHeight: maxSide) }
        var random = SplitMix(seed: seed)
        func uniform(_ range: ClosedRange<Double>) -> Double {
            range.lowerBound + Double(random.next() % 1_000_001) / 1_000_000 * (range.upperBound - range.lowerBound)
        }
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        let short = Double(min(photo.width, photo.height))
        var styles: [TextOverlayStyle] = []
        for index in 0..<(3 + Int(random.next() % 3)) {
            // Sizes from tiny (≈ 1.5 % of the short side) to large (≈ 12 %).
            let size = Int(short * [0.02, 0.035, 0.05, 0.08, 0.12][index % 5])
            let opacity = uniform(0.3...1)
            let angle = random.next() % 3 == 0 ? uniform(-35...35) : 0
            let decoration = random.next() % 4
            styles.append(TextOverlayStyle(
                text: pick(phrases), font: "\(pick(fonts)) \(max(size, 9))", colour: pick(colours), opacity: opacity,
                angle: angle, outline: decoration == 1 ? (max(1, size / 12), pick(colours)) : nil,
                shadow: decoration == 2 ? (max(1, size / 14), max(1, size / 14)) : nil,
                centre: Point(x: uniform(0.2...0.8) * Double(photo.width), y: uniform(0.1...0.9) * Double(photo.height))))
        }
        if seed % 3 == 0 {
            let text = pick(["PROOF", "© Darkroom", "SAMPLE"])
            let size = Int(short * 0.05)
            let opacity = uniform(0.3...0.45)
            for row in stride(from: 0.15, through: 0.85, by: 0.35) {
                for column in stride(from: 0.2, through: 0.8, by: 0.3) {
                    var tile = TextOverlayStyle(text: text, font: "DejaVu Sans Bold \(size)", colour: .white, opacity: opacity,
                                                angle: 30, outline: nil, shadow: nil,
                                                centre: Point(x: column * Double(photo.width), y: row * Double(photo.height)))
                    tile.tile = true
                    styles.append(tile)
                }
            }
        }
        return try paint(styles, on: photo, name: name)
    }

    /// Paints `styles` over `photo` in order (premultiplied "over" compositing in floating point).
    public static func paint(_ styles: [TextOverlayStyle], on photo: Image, name: String) throws -> TextOverlaySample {
        let width = photo.width, height = photo.height
        let original = try photo.pixels()
        var canvas = original.map(Double.init)
        var mask = [Bool](repeating: false, count: width * height)
        var painter = [Int16](repeating: -1, count: width * height)
        for (index, style) in styles.enumerated() {
            let layer = try renderLayer(style)
            let radians = -style.angle * .pi / 180
            let cosA = cos(radians), sinA = sin(radians)
            // Bounding box of the rotated layer around the centre.
            let hw = Double(layer.width) / 2, hh = Double(layer.height) / 2
            let extentX = abs(hw * cosA) + abs(hh * sinA), extentY = abs(hw * sinA) + abs(hh * cosA)
            let x0 = max(0, Int(style.centre.x - extentX) - 1), x1 = min(width - 1, Int(style.centre.x + extentX) + 1)
            let y0 = max(0, Int(style.centre.y - extentY) - 1), y1 = min(height - 1, Int(style.centre.y + extentY) + 1)
            guard x0 <= x1, y0 <= y1 else { continue }
            for y in y0...y1 {
                for x in x0...x1 {
                    // Inverse rotation into the layer, bilinear on premultiplied values.
                    let dx = Double(x) - style.centre.x, dy = Double(y) - style.centre.y
                    let lx = dx * cosA + dy * sinA + hw - 0.5, ly = -dx * sinA + dy * cosA + hh - 0.5
                    let sample = layer.sample(lx, ly)
                    let alpha = sample.w * style.opacity
                    guard alpha > 0.5 / 255 else { continue }
                    mask[y * width + x] = true
                    painter[y * width + x] = Int16(index)
                    for k in 0..<3 {
                        let i = 3 * (y * width + x) + k
                        canvas[i] = sample[k] * style.opacity + canvas[i] * (1 - alpha)
                    }
                }
            }
        }
        let overlaid = try Image(pixels: canvas.map { UInt8(min(max($0.rounded(), 0), 255)) }, width: width, height: height, bands: 3)
        return TextOverlaySample(name: name, original: photo, overlaid: overlaid, mask: mask, styles: styles, painter: painter)
    }

    /// A premultiplied RGBA layer: shadow, then outline, then the fill.
    struct Layer {
        var width: Int, height: Int
        var values: [SIMD4<Double>]
        func sample(_ x: Double, _ y: Double) -> SIMD4<Double> {
            let fx = x.rounded(.down), fy = y.rounded(.down)
            let ix = Int(fx), iy = Int(fy), tx = x - fx, ty = y - fy
            func at(_ px: Int, _ py: Int) -> SIMD4<Double> {
                px < 0 || py < 0 || px >= width || py >= height ? .zero : values[py * width + px]
            }
            let top = at(ix, iy) * (1 - tx) + at(ix + 1, iy) * tx
            let bottom = at(ix, iy + 1) * (1 - tx) + at(ix + 1, iy + 1) * tx
            return top * (1 - ty) + bottom * ty
        }
    }

    static func renderLayer(_ style: TextOverlayStyle) throws -> Layer {
        let glyphs = try Image.text(style.text, font: style.font, colour: .white)
        let pad = (style.outline?.width ?? 0) + max(abs(style.shadow?.dx ?? 0), abs(style.shadow?.dy ?? 0)) + 2
        let w = glyphs.width + 2 * pad, h = glyphs.height + 2 * pad
        let rgba = try glyphs.pixels()
        var coverage = [Double](repeating: 0, count: w * h)
        for y in 0..<glyphs.height {
            for x in 0..<glyphs.width { coverage[(y + pad) * w + x + pad] = Double(rgba[4 * (y * glyphs.width + x) + 3]) / 255 }
        }
        var values = [SIMD4<Double>](repeating: .zero, count: w * h)
        func over(_ cover: [Double], _ colour: RGBA, _ strength: Double) {
            let c = SIMD4(Double(colour.red), Double(colour.green), Double(colour.blue), 255) / 255
            for i in values.indices where cover[i] > 0 {
                let a = cover[i] * strength
                values[i] = SIMD4(c.x * 255 * a, c.y * 255 * a, c.z * 255 * a, a) + values[i] * (1 - a)
            }
        }
        if let shadow = style.shadow {
            var shifted = [Double](repeating: 0, count: w * h)
            for y in 0..<h {
                for x in 0..<w {
                    let sx = x - shadow.dx, sy = y - shadow.dy
                    if sx >= 0, sy >= 0, sx < w, sy < h { shifted[y * w + x] = coverage[sy * w + sx] }
                }
            }
            over(shifted, .black, 0.6)
        }
        if let outline = style.outline {
            var grown = coverage
            let r = outline.width
            for y in 0..<h {
                for x in 0..<w {
                    var best = 0.0
                    for dy in -r...r where y + dy >= 0 && y + dy < h {
                        for dx in -r...r where x + dx >= 0 && x + dx < w && dx * dx + dy * dy <= r * r {
                            best = max(best, coverage[(y + dy) * w + x + dx])
                        }
                    }
                    grown[y * w + x] = best
                }
            }
            over(grown, outline.colour, 1)
        }
        over(coverage, style.colour, 1)
        return Layer(width: w, height: h, values: values)
    }
}
