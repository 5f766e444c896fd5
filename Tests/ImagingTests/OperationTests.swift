import Testing
@testable import Imaging

@Suite struct OperationTests {
    @Test func resizeToExactSize() throws {
        let image = try TestImages.halves(width: 40, height: 20)
        let small = try image.resized(width: 13, height: 7)
        #expect(small.width == 13 && small.height == 7)
        #expect(try small.pixel(x: 1, y: 3)[0] > 200)
        #expect(try small.pixel(x: 11, y: 3)[2] > 200)
        let fitted = try image.fitted(maxWidth: 10, maxHeight: 10)
        #expect(fitted.width == 10 && fitted.height == 5)
        #expect(throws: ImagingError.self) { try image.resized(width: 0, height: 5) }
    }

    @Test func cropKeepsPixels() throws {
        let image = try TestImages.halves(width: 40, height: 20)
        let right = try image.cropped(left: 25, top: 5, width: 10, height: 10)
        #expect(right.width == 10 && right.height == 10)
        #expect(try right.pixel(x: 0, y: 0) == [0, 0, 255])
        #expect(throws: ImagingError.self) { try image.cropped(left: 35, top: 0, width: 10, height: 10) }
    }

    @Test func embedFillsWithBackground() throws {
        let image = try TestImages.halves(width: 10, height: 10)
        let canvas = try image.embedded(in: PixelRect(x: 5, y: 5, width: 20, height: 20), extend: .background(RGBA(0, 255, 0)))
        #expect(canvas.width == 20 && canvas.height == 20)
        #expect(try canvas.pixel(x: 0, y: 0) == [0, 255, 0])
        #expect(try canvas.pixel(x: 6, y: 6) == [255, 0, 0])
    }

    @Test func alphaCanBeAddedReadAndFlattened() throws {
        let image = try TestImages.halves(width: 4, height: 2)
        let mask = try Image(pixels: [0, 128, 255, 255, 0, 128, 255, 255], width: 4, height: 2, bands: 1)
        let cut = try image.withAlpha(mask)
        #expect(cut.bands == 4 && cut.hasAlpha)
        #expect(try cut.alpha()?.pixels() == [0, 128, 255, 255, 0, 128, 255, 255])
        let flat = try cut.flattened(onto: .white)
        #expect(flat.bands == 3)
        #expect(try flat.pixel(x: 0, y: 0) == [255, 255, 255])  // fully transparent → background
        let half = try flat.pixel(x: 1, y: 0)                     // half-transparent red over white → pink
        #expect(half[0] == 255 && (125...129).contains(Int(half[1])))
        #expect(try flat.pixel(x: 3, y: 0) == [0, 0, 255])        // opaque → unchanged
        #expect(try cut.removingAlpha().bands == 3)
        #expect(throws: ImagingError.self) { try image.withAlpha(try Image(pixels: [0], width: 1, height: 1, bands: 1)) }
    }

    @Test func compositeBlendsByAlpha() throws {
        let blue = try Image.solid(RGBA(0, 0, 255), width: 10, height: 10)
        let halfRed = try Image.solid(RGBA(255, 0, 0, 128), width: 4, height: 4)
        let result = try blue.compositing(halfRed, x: 2, y: 2)
        #expect(result.width == 10 && result.bands == 4)
        #expect(try result.pixel(x: 0, y: 0) == [0, 0, 255, 255])
        let mixed = try result.pixel(x: 3, y: 3)
        #expect((125...130).contains(Int(mixed[0])) && (125...130).contains(Int(mixed[2])) && mixed[3] == 255)
    }

    @Test func blurSpreadsAPoint() throws {
        var pixels = [UInt8](repeating: 0, count: 21 * 21)
        pixels[10 * 21 + 10] = 255
        let dot = try Image(pixels: pixels, width: 21, height: 21, bands: 1)
        let blurred = try dot.blurred(sigma: 2)
        let centre = try blurred.pixel(x: 10, y: 10)[0], near = try blurred.pixel(x: 12, y: 10)[0]
        #expect(centre < 255 && centre > near && near > 0)
        #expect(try blurred.pixel(x: 0, y: 0)[0] == 0)
        #expect(throws: ImagingError.self) { try dot.blurred(sigma: -1) }
    }

    @Test func affineScalesAndShears() throws {
        let image = try TestImages.halves(width: 10, height: 10)
        let doubled = try image.affine(a: 2, b: 0, c: 0, d: 2, output: PixelRect(x: 0, y: 0, width: 20, height: 20))
        #expect(doubled.width == 20 && doubled.height == 20)
        #expect(try doubled.pixel(x: 4, y: 10)[0] > 200)
        #expect(try doubled.pixel(x: 16, y: 10)[2] > 200)
        let flipped = try image.flippedHorizontally()
        #expect(try flipped.pixel(x: 0, y: 0) == [0, 0, 255])
    }

    @Test func textIsRendered() throws {
        let text = try Image.text("Darkroom sandbox", font: "sans bold 24", colour: RGBA(255, 255, 255, 128))
        #expect(text.width > 100 && text.height > 15 && text.bands == 4)
        let alpha = try #require(try text.alpha()).pixels()
        #expect(alpha.max() == 128)                    // the colour's alpha is honoured
        #expect(alpha.filter { $0 > 0 }.count > 200)   // glyphs cover real area
        #expect(alpha.filter { $0 == 0 }.count > 200)  // and leave gaps
        #expect(Image.escapeMarkup("<b>&") == "&lt;b&gt;&amp;")
    }

    @Test func greyscaleAndLinear() throws {
        let image = try TestImages.halves(width: 4, height: 1)
        let grey = try image.grayscale()
        #expect(grey.bands == 1)
        let values = try grey.pixels()
        #expect(values[0] != values[3])  // red and blue differ in luminance
        let darker = try image.linear(0.5, 0)
        let red = try darker.pixel(x: 0, y: 0)
        #expect((127...128).contains(Int(red[0])) && red[1] == 0 && red[2] == 0)
    }

    @Test func boundingBoxOfAMask() throws {
        var pixels = [UInt8](repeating: 0, count: 20 * 10)
        for y in 3..<6 { for x in 4..<9 { pixels[y * 20 + x] = 255 } }
        let mask = try Image(pixels: pixels, width: 20, height: 10, bands: 1)
        #expect(try mask.boundingBox(above: 128) == PixelRect(x: 4, y: 3, width: 5, height: 3))
        let empty = try Image(pixels: [UInt8](repeating: 0, count: 100), width: 10, height: 10, bands: 1)
        #expect(try empty.boundingBox(above: 128) == nil)
    }

    /// Masks of specks, thin lines and blobs, some touching the edges: the Swift scan must give exactly libvips'
    /// find_trim box (3×3 median, edges replicated), lone specks and one-pixel lines ignored.
    @Test func maskBoundsEqualLibvipsFindTrimOnSpeckledMasks() throws {
        var state: UInt64 = 12345
        func random(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        var emptyBoxes = 0
        for trial in 0..<60 {
            let width = 3 + random(60), height = 3 + random(45)
            var pixels = [UInt8](repeating: 0, count: width * height)
            for _ in 0..<random(12) { pixels[random(width * height)] = UInt8(100 + random(156)) }  // specks
            if trial % 3 == 0 {  // a one-pixel line
                let y = random(height)
                for x in 0..<width { pixels[y * width + x] = 255 }
            }
            if trial % 2 == 0 {  // a blob, possibly cut by an edge
                let x0 = random(width), y0 = random(height), w = 1 + random(8), h = 1 + random(8)
                for y in y0..<min(height, y0 + h) { for x in x0..<min(width, x0 + w) { pixels[y * width + x] = UInt8(120 + random(136)) } }
            }
            let mask = try Image(pixels: pixels, width: width, height: height, bands: 1)
            let expected = try mask.libvipsBoundingBox(above: 127)
            if expected == nil { emptyBoxes += 1 }
            #expect(MaskBounds.box(of: pixels, width: width, height: height, above: 127) == expected, "trial \(trial): \(width)×\(height)")
        }
        // Both outcomes were exercised.
        #expect(emptyBoxes > 5 && emptyBoxes < 55)
    }

    /// Found by schemathesis (a 1×1 PNG cut out on /v1/segment answered 422): masks under 3 pixels wide or
    /// high, which libvips' find_trim refuses, still have a bounding box.
    @Test func boundingBoxOfMasksNarrowerThanThreePixels() throws {
        #expect(try Image(pixels: [255], width: 1, height: 1, bands: 1).boundingBox(above: 128) == PixelRect(x: 0, y: 0, width: 1, height: 1))
        #expect(try Image(pixels: [0], width: 1, height: 1, bands: 1).boundingBox(above: 128) == nil)
        let column = try Image(pixels: [0, 0, 200, 0, 255, 0, 0, 0, 0, 0], width: 2, height: 5, bands: 1)
        #expect(try column.boundingBox(above: 128) == PixelRect(x: 0, y: 1, width: 1, height: 2))
    }

    @Test func hexColours() {
        #expect(RGBA(hex: "FF8000") == RGBA(255, 128, 0))
        #expect(RGBA(hex: "#ff800080") == RGBA(255, 128, 0, 128))
        #expect(RGBA(hex: "f00") == RGBA(255, 0, 0))
        #expect(RGBA(hex: "red") == nil)
        #expect(RGBA(hex: "12345") == nil)
    }
}

@Suite struct AlphaResizeTests {
    /// An opaque red square on fully transparent green: shrunk, the square's soft edge must stay red.
    @Test func hiddenColoursDoNotBleedIntoEdges() throws {
        var pixels = [UInt8]()
        for y in 0..<40 { for x in 0..<40 {
            let inside = (10..<30).contains(x) && (10..<30).contains(y)
            pixels += inside ? [255, 0, 0, 255] : [0, 255, 0, 0]
        } }
        let image = try Image(pixels: pixels, width: 40, height: 40, bands: 4)
        let small = try image.resized(width: 13, height: 13)
        let out = try small.pixels()
        var edgePixels = 0
        for i in stride(from: 0, to: out.count, by: 4) where out[i + 3] > 20 {
            edgePixels += out[i + 3] < 235 ? 1 : 0
            #expect(out[i + 1] < 30, "pixel \(i / 4) has green \(out[i + 1]) at alpha \(out[i + 3])")
        }
        #expect(edgePixels > 0)  // there really is a soft edge to check
    }
}
