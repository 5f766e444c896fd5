internal import CVips
internal import CVipsShim
import Dispatch
import Foundation

/// PNG writing for 8-bit images, with the image data compressed in horizontal stripes on every core.
///
/// zlib is single-threaded, and encoding was the largest cost around a lone request's inference (9 ms of a
/// median cut-out's 140, 30 ms for a 2 MP photo) while the second core waited. Each stripe is filtered and
/// deflated on its own thread and written as one IDAT chunk; only the last one ends the deflate stream, so the
/// chunks together are one zlib stream (pigz's method). The file holds what libvips' PNG saver writes for the
/// same image with its metadata removed: IHDR, pHYs, the image data, IEND.
enum StripedPNG {
    /// A stripe smaller than this is not worth a thread: restarting the compressor costs a little size.
    static let minimumStripeBytes = 256 * 1024

    /// The whole image is rendered into memory first; above this many bytes (16 MP of RGBA) libvips' saver,
    /// which streams the image in strips, is used instead, so that a 36 MP answer does not hold another
    /// 144 MB per worker.
    static let largestRenderedBytes = 64 * 1024 * 1024

    /// The PNG colour type for 1–4 bands of 8 bits: grey, grey + alpha, RGB, RGBA.
    static func colourType(bands: Int) -> UInt8? {
        switch bands {
        case 1: return 0
        case 2: return 4
        case 3: return 2
        case 4: return 6
        default: return nil
        }
    }

    /// One stripe per core, each at least `minimumStripeBytes` of pixels.
    static func stripeCount(rowBytes: Int, height: Int) -> Int {
        let bySize = max(1, rowBytes * height / minimumStripeBytes)
        return min(height, bySize, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// `clearTransparent` writes the colour of pixels with alpha 0 as 0 (images with an alpha band).
    /// `stripes` overrides the count (tests).
    static func encode(_ pixels: UnsafeRawBufferPointer, width: Int, height: Int, bands: Int, level: Int, up: Bool,
                       dpi: Int, clearTransparent: Bool, stripes: Int? = nil) throws -> [UInt8] {
        guard let colourType = colourType(bands: bands), width > 0, height > 0,
              pixels.count == width * height * bands, let base = pixels.baseAddress?.assumingMemoryBound(to: UInt8.self)
        else { throw ImagingError.invalidArgument("no 8-bit PNG for \(width)x\(height) with \(bands) bands") }
        let rowBytes = width * bands
        let stripes = min(height, max(1, stripes ?? stripeCount(rowBytes: rowBytes, height: height)))
        let compressed = StripeResults(count: stripes)
        // Read-only for the duration of concurrentPerform, which returns only when every stripe is done.
        nonisolated(unsafe) let source = base
        DispatchQueue.concurrentPerform(iterations: stripes) { stripe in
            let first = stripe * height / stripes, end = (stripe + 1) * height / stripes
            var data: UnsafeMutablePointer<UInt8>?
            var length = 0
            var adler: UInt32 = 0, crc: UInt32 = 0
            let clear: Int32 = clearTransparent && (bands == 2 || bands == 4) ? 1 : 0
            let status = png_stripe_deflate(source, rowBytes, Int32(bands), clear, Int32(first), Int32(end - first), stripe == stripes - 1 ? 1 : 0,
                                            Int32(level), up ? 1 : 0, &data, &length, &adler, &crc)
            compressed.set(stripe, status == 0 ? data.map {
                Stripe(data: Array(UnsafeBufferPointer(start: $0, count: length)), adler: adler, crc: crc,
                       filteredLength: (rowBytes + 1) * (end - first))
            } : nil)
            if let data { png_stripe_free(data) }
        }
        var file: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header: [UInt8] = []
        header.appendBigEndian(UInt32(width)); header.appendBigEndian(UInt32(height))
        header += [8, colourType, 0, 0, 0]
        file.appendChunk("IHDR", header)
        let perMetre = UInt32((Double(dpi) / 0.0254).rounded())
        var physical: [UInt8] = []
        physical.appendBigEndian(perMetre); physical.appendBigEndian(perMetre); physical.append(1)
        file.appendChunk("pHYs", physical)
        file.appendChunk("IDAT", zlibHeader(level: level))
        var adler: UInt32 = 1
        for stripe in 0..<stripes {
            guard let result = compressed.results[stripe] else {
                throw ImagingError.operationFailed(operation: "pngsave", message: "zlib could not compress the image data")
            }
            file.appendChunk("IDAT", result.data, crc: result.crc)
            adler = png_adler32_combine(adler, result.adler, result.filteredLength)
        }
        var trailer: [UInt8] = []
        trailer.appendBigEndian(adler)
        file.appendChunk("IDAT", trailer)
        file.appendChunk("IEND", [])
        return file
    }

    /// The two bytes that open a zlib stream: deflate with a 32 KB window, the level's class, and the check
    /// that makes them a multiple of 31.
    static func zlibHeader(level: Int) -> [UInt8] {
        let levelClass: UInt16 = level <= 1 ? 0 : level <= 5 ? 1 : level == 6 ? 2 : 3
        let cmf: UInt16 = 0x78
        var flags = levelClass << 6
        flags += 31 - (cmf * 256 + flags) % 31
        return [UInt8(cmf), UInt8(flags)]
    }

    /// One stripe's compressed bytes (its IDAT chunk's data and CRC) and the Adler-32 and length of the
    /// filtered bytes it holds, which the stream's trailer combines.
    struct Stripe {
        var data: [UInt8]
        var adler: UInt32, crc: UInt32
        var filteredLength: Int
    }

    /// Written once per stripe, each by its own thread.
    final class StripeResults: @unchecked Sendable {
        var results: [Stripe?]
        private let lock = NSLock()
        init(count: Int) { results = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ value: Stripe?) { lock.withLock { results[index] = value } }
    }
}

extension [UInt8] {
    mutating func appendBigEndian(_ value: UInt32) {
        append(UInt8(value >> 24)); append(UInt8((value >> 16) & 0xFF)); append(UInt8((value >> 8) & 0xFF)); append(UInt8(value & 0xFF))
    }

    /// A PNG chunk: length, type, data, CRC-32 of type and data (`crc` when the caller has it already).
    mutating func appendChunk(_ type: String, _ data: [UInt8], crc: UInt32? = nil) {
        let letters = Array(type.utf8)
        appendBigEndian(UInt32(data.count))
        append(contentsOf: letters)
        append(contentsOf: data)
        let sum = crc ?? data.withUnsafeBufferPointer { png_chunk_crc(letters, $0.baseAddress, $0.count) }
        appendBigEndian(sum)
    }
}
