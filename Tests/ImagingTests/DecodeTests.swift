import Foundation
import Testing
import TestSupport
@testable import Imaging

@Suite struct DecodeTests {
    @Test func decodesARealJPEG() throws {
        let image = try Image.decode(try TestImages.sampleJPEG())
        #expect(image.width == 480 && image.height == 360 && image.bands == 3)
        // A real photo: not one flat colour.
        let pixels = try image.pixels()
        #expect(Set(pixels).count > 100)
    }

    @Test func headerIsReadWithoutDecoding() throws {
        let header = try Image.header(of: Fixtures.pngHeader(width: 20000, height: 20000))
        #expect(header == ImageHeader(format: .png, width: 20000, height: 20000, bands: 3, hasAlpha: false))
    }

    @Test func hugeHeaderIsRejectedBeforeDecoding() {
        let error = #expect(throws: ImagingError.self) {
            try Image.decode(Fixtures.pngHeader(width: 20000, height: 20000))
        }
        #expect(error == .tooManyPixels(width: 20000, height: 20000, limit: 36_000_000))
        #expect(error?.description.contains("36000000") == true)
    }

    @Test func zeroBytesAreRejected() {
        #expect(throws: ImagingError.empty) { try Image.decode([]) }
    }

    @Test func textNamedPNGIsRejected() {
        let text = Array("hello, this is not a picture\n".utf8)
        let error = #expect(throws: ImagingError.self) { try Image.decode(text) }
        guard case .unsupportedFormat = error else { Issue.record("expected unsupportedFormat, got \(String(describing: error))"); return }
    }

    @Test func truncatedJPEGIsRejected() throws {
        let jpeg = try TestImages.sampleJPEG()
        let error = #expect(throws: ImagingError.self) { try Image.decode(Array(jpeg.prefix(jpeg.count / 2))) }
        guard case .decodeFailed = error else { Issue.record("expected decodeFailed, got \(String(describing: error))"); return }
    }

    @Test func signatureWithGarbageIsRejected() {
        let fake: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + [UInt8](repeating: 7, count: 100)
        #expect(throws: ImagingError.self) { try Image.decode(fake) }
    }

    @Test func exifOrientationIsApplied() throws {
        let upright = try TestImages.halves(width: 40, height: 20).encoded(as: .jpeg(quality: 95))
        let rotated = try Image.decode(TestImages.withExifOrientation(upright, 6))
        // Orientation 6 means "rotate 90° clockwise to display": 40×20 becomes 20×40, red (left) goes on top.
        #expect(rotated.width == 20 && rotated.height == 40)
        let top = try rotated.pixel(x: 10, y: 5), bottom = try rotated.pixel(x: 10, y: 35)
        #expect(top[0] > 200 && top[2] < 60)
        #expect(bottom[2] > 200 && bottom[0] < 60)
    }

    @Test func sniffsFormatsFromMagicBytes() throws {
        let image = try TestImages.halves()
        #expect(ImageFormat.sniff(try image.encoded(as: .png())) == .png)
        #expect(ImageFormat.sniff(try image.encoded(as: .jpeg())) == .jpeg)
        #expect(ImageFormat.sniff(try image.encoded(as: .webp())) == .webp)
        #expect(ImageFormat.sniff(try image.encoded(as: .avif())) == .avif)
        #expect(ImageFormat.sniff(Array("GIF89a....".utf8)) == .gif)
        #expect(ImageFormat.sniff([0x00, 0x01]) == nil)
    }

    @Test func thumbnailShrinksOnLoad() throws {
        let thumb = try Image.thumbnail(try TestImages.sampleJPEG(), width: 120, height: 120)
        #expect(thumb.width == 120 && thumb.height == 90)
    }

    @Test func greyInputsBecomeThreeBandEightBitSRGB() throws {
        let grey = try Image(pixels: [UInt8](repeating: 128, count: 16), width: 4, height: 4, bands: 1)
        let decoded = try Image.decode(try grey.encoded(as: .png()))
        #expect(decoded.bands == 3)
        #expect(try decoded.pixel(x: 1, y: 1) == [128, 128, 128])
    }
}
