import Testing
@testable import Imaging

/// The PNG writer that compresses stripes on several cores, checked against libvips' own PNG saver and its
/// loader (which verifies every chunk's CRC and the zlib stream's Adler-32).
@Suite struct StripedPNGTests {
    /// A real photo with an alpha band holding 0, 1–254 and 255, so clearing and every alpha value are exercised.
    func realCutout() throws -> Image {
        let photo = try Image.decode(TestImages.sampleJPEG())
        let width = photo.width, height = photo.height
        let alpha = (0..<(width * height)).map { i -> UInt8 in
            let x = i % width
            return x < width / 3 ? 0 : x < 2 * width / 3 ? UInt8(i % 256) : 255
        }
        return try photo.withAlpha(try Image(pixels: alpha, width: width, height: height, bands: 1))
    }

    /// (type, data length) of every chunk after the signature.
    func chunks(_ png: [UInt8]) -> [(String, Int)] {
        var list: [(String, Int)] = []
        var at = 8
        while at + 8 <= png.count {
            let length = png[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) }
            list.append((String(decoding: png[(at + 4)..<(at + 8)], as: UTF8.self), length))
            at += 12 + length
        }
        return list
    }

    @Test(arguments: [1, 2, 5, 360])
    func stripesOfARealCutoutDecodeToTheLibvipsSaversPixels(stripes: Int) throws {
        let cutout = try realCutout()
        // The "sub" filter is not striped, so this is libvips' saver, clearing included.
        let reference = try Image.decode(try cutout.encoded(as: .png(compression: 1, filter: .sub))).pixels()
        let striped = try cutout.stripedPNG(level: 1, up: true, dpi: 72, stripes: stripes)
        let back = try Image.decode(striped)
        #expect(back.bands == 4 && back.width == cutout.width)
        #expect(try back.pixels() == reference)
        #expect(reference.enumerated().contains { $0.offset % 4 == 0 && $0.element != 0 }, "the photo's colour is there")
    }

    @Test func aStripedFileIsHeaderResolutionOneDataChunkPerStripeAndEnd() throws {
        let png = try realCutout().stripedPNG(level: 1, up: true, dpi: 300, stripes: 3)
        let list = chunks(png)
        #expect(list.map(\.0) == ["IHDR", "pHYs", "IDAT", "IDAT", "IDAT", "IDAT", "IDAT", "IEND"])
        // The zlib header and the Adler-32 trailer have chunks of their own around the three stripes.
        #expect(list[2].1 == 2 && list[6].1 == 4)
        #expect(list[3...5].allSatisfy { $0.1 > 1000 })
        #expect(abs(try Image.decode(png).dpi - 300) < 0.5)
    }

    /// The colour type in IHDR: 0 grey, 4 grey + alpha.
    func colourType(_ png: [UInt8]) -> UInt8 { png[8 + 8 + 9] }

    @Test func greyAndGreyAlphaImagesRoundTripThroughTheDefaultPNG() throws {
        // Image.decode turns grey into sRGB, so the values come back in three bands.
        let grey = (0..<(50 * 30)).map { UInt8(($0 * 7) % 256) }
        let one = try Image(pixels: grey, width: 50, height: 30, bands: 1)
        #expect(one.isStripeWritable)
        let onePNG = try one.encoded(as: .png())
        #expect(colourType(onePNG) == 0)
        #expect(try Image.decode(onePNG).pixels() == grey.flatMap { [$0, $0, $0] })
        var withAlpha: [UInt8] = [], expected: [UInt8] = []
        for i in 0..<(50 * 30) {
            let value = UInt8((i * 3) % 256), alpha: UInt8 = i % 5 == 0 ? 0 : 200
            withAlpha += [value, alpha]
            expected += alpha == 0 ? [0, 0, 0, 0] : [value, value, value, alpha]
        }
        let twoPNG = try Image(pixels: withAlpha, width: 50, height: 30, bands: 2).encoded(as: .png())
        #expect(colourType(twoPNG) == 4)
        #expect(try Image.decode(twoPNG).pixels() == expected)
    }

    @Test func imagesTooLargeToRenderWholeGoToTheStreamingSaver() throws {
        // 4100 × 4100 RGBA is 67 MB, over the 64 MB rendered whole; a solid canvas costs nothing to build.
        let large = try Image.solid(.white, width: 4100, height: 4100)
        #expect(!large.isStripeWritable)
        #expect(try Image.solid(.white, width: 4000, height: 4000).isStripeWritable)
    }

    @Test func floatImagesAreNotStripedButStillEncode() throws {
        let plane = try Image(floats: (0..<(20 * 10)).map { Float($0 % 20) * 10 }, width: 20, height: 10)
        #expect(!plane.isStripeWritable)
        let back = try Image.decode(try plane.encoded(as: .png()))
        #expect(try back.pixel(x: 5, y: 3).first == 50)
        #expect(try Image.decode(TestImages.sampleJPEG()).isStripeWritable)
    }
}
