import Testing
@testable import Imaging

@Suite struct EncodeTests {
    func cutout() throws -> Image {
        let image = try TestImages.halves(width: 40, height: 20)
        var mask = [UInt8]()
        for _ in 0..<20 { for x in 0..<40 { mask.append(x < 10 ? 0 : 255) } }
        return try image.withAlpha(try Image(pixels: mask, width: 40, height: 20, bands: 1))
    }

    @Test func pngRoundTripsExactlyWithAlphaAndDPI() throws {
        let image = try cutout()
        let bytes = try image.encoded(as: .png(), dpi: 300)
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let back = try Image.decode(bytes)
        #expect(back.bands == 4)
        #expect(try back.pixels() == (try image.pixels()))
        // pHYs: pixels per metre, 300 dpi = 11811.
        let phys = try #require(find(Array("pHYs".utf8), in: bytes))
        let ppm = bytes[(phys + 4)..<(phys + 8)].reduce(0) { $0 << 8 | Int($1) }
        #expect(ppm == 11811)
        #expect(abs(back.dpi - 300) < 0.5)
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
