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

    /// A PNG whose IHDR claims `width`×`height` but whose only pixel data is an empty zlib stream.
    static func pngHeader(width: UInt32, height: UInt32) -> [UInt8] {
        func be(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
        let body: [UInt8] = Array("IHDR".utf8) + be(width) + be(height) + [8, 2, 0, 0, 0]
        let idat: [UInt8] = Array("IDAT".utf8) + [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + be(13) + body + be(crc32(body))
            + be(8) + idat + be(crc32(idat))
            + be(0) + Array("IEND".utf8) + be(crc32(Array("IEND".utf8)))
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
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
