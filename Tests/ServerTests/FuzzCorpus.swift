import Foundation
import Imaging
import TestSupport

/// Malformed images made from the shared samples, deterministic for a seed: truncations, bit flips, header
/// noise, size lies and decompression bombs, random bytes behind valid magic numbers, oversized EXIF and ICC
/// segments, SVG and polyglots. Each case has a name that says what was done to it.
struct FuzzCorpus {
    struct Case { var name: String; var bytes: [UInt8] }

    /// xorshift64*: small, fast, the same on every machine.
    struct Random {
        var state: UInt64
        init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
        mutating func next() -> UInt64 {
            state ^= state >> 12; state ^= state << 25; state ^= state >> 27
            return state &* 0x2545_F491_4F6C_DD1D
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(1, n))) }
        mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) } }
    }

    static func make(seed: UInt64, perBase: Int) throws -> [Case] {
        var random = Random(seed: seed)
        var bases: [(String, [UInt8])] = []
        for photo in ["skimage_coffee.png", "sam_truck.jpg", "rembg_animal-1.jpg"] {
            let small = try Image.thumbnail(try Fixtures.bytes(Fixtures.samples.appendingPathComponent(photo)), width: 48, height: 36)
            bases.append(("\(photo).jpeg", try small.encoded(as: .jpeg(quality: 80))))
            bases.append(("\(photo).png", try small.encoded(as: .png())))
            bases.append(("\(photo).webp", try small.encoded(as: .webp(quality: 80))))
        }
        var cases: [Case] = []
        for (name, base) in bases {
            for i in 0..<perBase {
                var bytes = base
                switch i % 6 {
                case 0:  // cut anywhere
                    bytes = Array(bytes.prefix(random.below(bytes.count)))
                    cases.append(Case(name: "\(name) truncated to \(bytes.count)", bytes: bytes))
                case 1:  // flip a few bits anywhere
                    let flips = 1 + random.below(8)
                    for _ in 0..<flips { bytes[random.below(bytes.count)] ^= UInt8(1 << random.below(8)) }
                    cases.append(Case(name: "\(name) with \(flips) bit flips", bytes: bytes))
                case 2:  // noise in the header
                    let start = random.below(min(64, bytes.count)), length = 1 + random.below(16)
                    for j in start..<min(bytes.count, start + length) { bytes[j] = UInt8(truncatingIfNeeded: random.next()) }
                    cases.append(Case(name: "\(name) with header noise at \(start)", bytes: bytes))
                case 3:  // random bytes behind the first 12 bytes
                    bytes = Array(bytes.prefix(12)) + random.bytes(16 + random.below(4096))
                    cases.append(Case(name: "\(name) magic then random bytes", bytes: bytes))
                case 4:  // a chunk of the file repeated or dropped
                    let a = random.below(bytes.count), b = min(bytes.count, a + 1 + random.below(256))
                    bytes = random.below(2) == 0 ? Array(bytes[..<a] + bytes[a..<b] + bytes[a...]) : Array(bytes[..<a] + bytes[b...])
                    cases.append(Case(name: "\(name) spliced at \(a)", bytes: bytes))
                default:  // bytes swapped at random places
                    for _ in 0..<(1 + random.below(4)) { bytes.swapAt(random.below(bytes.count), random.below(bytes.count)) }
                    cases.append(Case(name: "\(name) with swapped bytes", bytes: bytes))
                }
            }
        }
        cases += try special(bases: bases, random: &random)
        return cases
    }

    /// Hand-made hostile files.
    static func special(bases: [(String, [UInt8])], random: inout Random) throws -> [Case] {
        var cases: [Case] = []
        let png = bases.first { $0.0.hasSuffix(".png") }!.1, jpeg = bases.first { $0.0.hasSuffix(".jpeg") }!.1
        // Size lies: the PNG header claims a huge canvas (a decompression bomb in waiting).
        for (w, h) in [(100_000, 100_000), (65_535, 1), (1, 65_535), (0, 10), (40_000, 40_000)] {
            var lie = png
            for (offset, value) in [(16, w), (20, h)] {
                lie[offset] = UInt8(value >> 24 & 0xFF); lie[offset + 1] = UInt8(value >> 16 & 0xFF)
                lie[offset + 2] = UInt8(value >> 8 & 0xFF); lie[offset + 3] = UInt8(value & 0xFF)
            }
            cases.append(Case(name: "PNG claiming \(w)x\(h)", bytes: lie))
        }
        // A JPEG claiming 60000×60000 in its frame header.
        if let sof = (0..<(jpeg.count - 9)).first(where: { jpeg[$0] == 0xFF && (jpeg[$0 + 1] == 0xC0 || jpeg[$0 + 1] == 0xC2) }) {
            var lie = jpeg
            lie[sof + 5] = 0xEA; lie[sof + 6] = 0x60; lie[sof + 7] = 0xEA; lie[sof + 8] = 0x60
            cases.append(Case(name: "JPEG claiming 60000x60000", bytes: lie))
        }
        // Oversized EXIF and ICC segments right after SOI, and many of them.
        for (marker, label, tag) in [(UInt8(0xE1), "EXIF", Array("Exif\0\0".utf8)), (UInt8(0xE2), "ICC", Array("ICC_PROFILE\0\u{1}\u{1}".utf8))] {
            let payload = tag + random.bytes(65_533 - tag.count)
            let segment: [UInt8] = [0xFF, marker, 0xFF, 0xFF] + payload
            cases.append(Case(name: "JPEG with a 64 KB junk \(label) segment", bytes: Array(jpeg.prefix(2)) + segment + Array(jpeg.dropFirst(2))))
            cases.append(Case(name: "JPEG with 40 junk \(label) segments", bytes: Array(jpeg.prefix(2)) + Array(repeating: segment, count: 40).flatMap { $0 } + Array(jpeg.dropFirst(2))))
        }
        // Other formats and impostors.
        cases.append(Case(name: "SVG", bytes: Array("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>".utf8)))
        cases.append(Case(name: "SVG with an external image", bytes: Array("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"http://169.254.169.254/\"/></svg>".utf8)))
        cases.append(Case(name: "PDF", bytes: Array("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF".utf8)))
        cases.append(Case(name: "GIF magic then HTML", bytes: Array("GIF89a<html><script>alert(1)</script></html>".utf8)))
        cases.append(Case(name: "PNG signature then a JPEG", bytes: Array(png.prefix(8)) + jpeg))
        cases.append(Case(name: "JPEG then a ZIP", bytes: jpeg + [0x50, 0x4B, 0x03, 0x04] + random.bytes(200)))
        cases.append(Case(name: "HEIF box with nothing inside", bytes: [0, 0, 0, 0x18] + Array("ftypheic".utf8) + [0, 0, 0, 0] + Array("mif1heic".utf8)))
        cases.append(Case(name: "TIFF header pointing past the end", bytes: [0x49, 0x49, 0x2A, 0x00, 0xFF, 0xFF, 0xFF, 0x7F]))
        cases.append(Case(name: "empty", bytes: []))
        cases.append(Case(name: "one byte", bytes: [0xFF]))
        cases.append(Case(name: "random 64 KB", bytes: random.bytes(65_536)))
        return cases
    }
}
