import Testing
@testable import Imaging

@Suite struct EncodeTests {
    func cutout() throws -> Image {
        let image = try TestImages.halves(width: 40, height: 20)
        var mask = [UInt8]()
        for _ in 0..<20 { for x in 0..<40 { mask.append(x < 10 ? 0 : 255) } }
        return try image.withAlpha(try Image(pixels: mask, width: 40, height: 20, bands: 1))
    }

    /// `pixels` (RGBA) with the colour of fully transparent pixels set to zero, as the encoders receive them.
    func clearingTransparent(_ pixels: [UInt8]) -> [UInt8] {
        var out = pixels
        for i in stride(from: 0, to: out.count, by: 4) where out[i + 3] == 0 { out[i] = 0; out[i + 1] = 0; out[i + 2] = 0 }
        return out
    }

    @Test func pngRoundTripsVisiblePixelsExactlyWithAlphaAndDPI() throws {
        let image = try cutout()
        let bytes = try image.encoded(as: .png(), dpi: 300)
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let back = try Image.decode(bytes)
        #expect(back.bands == 4)
        #expect(try back.pixels() == clearingTransparent(try image.pixels()))
        // pHYs: pixels per metre, 300 dpi = 11811.
        let phys = try #require(find(Array("pHYs".utf8), in: bytes))
        let ppm = bytes[(phys + 4)..<(phys + 8)].reduce(0) { $0 << 8 | Int($1) }
        #expect(ppm == 11811)
        #expect(abs(back.dpi - 300) < 0.5)
    }

    @Test func fullyTransparentPixelsLoseTheirColourAndNothingElseChanges() throws {
        // Alpha 0, 1 and 255 over a coloured photo: only the alpha-0 pixels' colour may change, to zero.
        var pixels = [UInt8]()
        for i in 0..<(32 * 32) { pixels += [200, 120, 40, [0, 1, 255][i % 3]] }
        let image = try Image(pixels: pixels, width: 32, height: 32, bands: 4)
        let back = try Image.decode(try image.encoded(as: .png())).pixels()
        #expect(back == clearingTransparent(pixels))
        #expect(back != pixels, "some colour under alpha 0 was cleared")
        // The zeros are what makes a cut-out's PNG small: noise under alpha 0 costs nothing, under alpha 1 it is kept.
        var seed: UInt32 = 12345
        let noise = (0..<(64 * 64 * 3)).map { _ -> UInt8 in seed = seed &* 1_664_525 &+ 1_013_904_223; return UInt8(seed >> 24) }
        let photo = try Image(pixels: noise, width: 64, height: 64, bands: 3)
        func leftHalf(alpha: UInt8) throws -> Int {
            let mask = (0..<(64 * 64)).map { $0 % 64 < 32 ? alpha : 255 }
            return try photo.withAlpha(try Image(pixels: mask, width: 64, height: 64, bands: 1)).encoded(as: .png()).count
        }
        let cleared = try leftHalf(alpha: 0), kept = try leftHalf(alpha: 1)
        #expect(Double(cleared) < 0.7 * Double(kept), "\(cleared) bytes with alpha 0 on the left half against \(kept) with alpha 1")
    }

    /// The default PNG settings (zlib level 1, "up" row filter) against libvips' own default (level 6, no
    /// filter) on a real photo: the same pixels back, in fewer bytes.
    @Test func defaultPNGOfARealPhotoIsLosslessAndSmallerThanUnfilteredLevelSix() throws {
        let photo = try Image.decode(TestImages.sampleJPEG())
        let chosen = try photo.encoded(as: .png())
        let unfiltered = try photo.encoded(as: .png(compression: 6, filter: .none))
        #expect(try Image.decode(chosen).pixels() == photo.pixels())
        #expect(chosen.count < unfiltered.count * 9 / 10, "\(chosen.count) bytes against \(unfiltered.count)")
    }

    @Test func jpegIsFlattenedAndCarriesDPI() throws {
        let bytes = try cutout().encoded(as: .jpeg(quality: 90), dpi: 300, background: RGBA(0, 255, 0))
        #expect(Array(bytes.prefix(3)) == [0xFF, 0xD8, 0xFF])
        let back = try Image.decode(bytes)
        #expect(back.bands == 3)
        let corner = try back.pixel(x: 2, y: 10)  // was transparent → background green
        #expect(corner[1] > 230 && corner[0] < 30)
        // libvips writes the resolution as EXIF X/YResolution; read back, it is 300 dpi.
        #expect(abs(back.dpi - 300) < 0.5)
    }

    @Test func webpLosslessKeepsAlpha() throws {
        let image = try cutout()
        let bytes = try image.encoded(as: .webp(quality: 100, lossless: true))
        #expect(ImageFormat.sniff(bytes) == .webp)
        let back = try Image.decode(bytes)
        #expect(back.bands == 4)
        #expect(try back.pixel(x: 2, y: 2)[3] == 0)
        #expect(try back.pixel(x: 30, y: 2) == [0, 0, 255, 255])
    }

    @Test func avifDecodesBack() throws {
        let bytes = try cutout().encoded(as: .avif(quality: 60))
        #expect(ImageFormat.sniff(bytes) == .avif)
        let back = try Image.decode(bytes)
        #expect(back.width == 40 && back.height == 20)
    }

    @Test func rejectsNonsenseDPI() throws {
        #expect(throws: ImagingError.self) { try cutout().encoded(as: .png(), dpi: 0) }
    }

    func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for i in 0...(haystack.count - needle.count) where Array(haystack[i..<(i + needle.count)]) == needle {
            return i + needle.count
        }
        return nil
    }
}
