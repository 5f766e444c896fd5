import Foundation
import Imaging
import TestSupport

/// Small images built pixel by pixel, so every expected value is known.
enum TestImages {
    /// Left half red, right half blue.
    static func halves(width: Int = 40, height: Int = 20) throws -> Image {
        var pixels = [UInt8]()
        for _ in 0..<height {
            for x in 0..<width { pixels += x < width / 2 ? [255, 0, 0] : [0, 0, 255] }
        }
        return try Image(pixels: pixels, width: width, height: height, bands: 3)
    }

    static func sampleJPEG() throws -> [UInt8] {
        try Fixtures.bytes(Fixtures.samples.appendingPathComponent("rembg_car-1.jpg"))
    }

    /// `jpeg` with an EXIF APP1 segment (orientation tag only) inserted after SOI.
    static func withExifOrientation(_ jpeg: [UInt8], _ orientation: UInt8) -> [UInt8] {
        let tiff: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 0x08, 0x00, 0x00, 0x00,  // little-endian, IFD at 8
                             0x01, 0x00,                                      // one entry
                             0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00,  // 0x0112 SHORT ×1
                             orientation, 0x00, 0x00, 0x00,
                             0x00, 0x00, 0x00, 0x00]                          // no next IFD
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let length = payload.count + 2
        return [0xFF, 0xD8, 0xFF, 0xE1, UInt8(length >> 8), UInt8(length & 0xFF)] + payload + jpeg.dropFirst(2)
    }
}
