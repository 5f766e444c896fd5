import Foundation

/// Antialiased Lanczos-3 resampling of 8-bit interleaved pixels, computed the way Pillow's `resize(…, LANCZOS)`
/// does (same pixel-centre convention, kernel widened by the shrink factor, 22-bit fixed-point weights,
/// rounding to 8 bits between the horizontal and vertical passes). The model's reference integration
/// prepares its input and upsamples its mask with Pillow; doing the same keeps Darkroom's raw mask
/// faithful to the model (libvips' resamplers differ by up to ~70 levels on small upscales).
enum ReferenceResampler {
    private static let precisionBits = 22

    private struct Weights {
        var start: [Int]
        var count: [Int]
        var taps: Int
        var values: [Int32]  // `taps` per output position
    }

    private static func lanczos(_ x: Double) -> Double {
        guard x > -3, x < 3 else { return 0 }
        return sinc(x) * sinc(x / 3)
    }

    private static func sinc(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let px = x * Double.pi
        return sin(px) / px
    }

    private static func weights(input: Int, output: Int) -> Weights {
        let scale = Double(input) / Double(output)
        let filterScale = max(scale, 1)
        let support = 3 * filterScale
        let taps = Int(support.rounded(.up)) * 2 + 1
        var starts = [Int](repeating: 0, count: output)
        var counts = [Int](repeating: 0, count: output)
        var values = [Int32](repeating: 0, count: output * taps)
        var kernel = [Double](repeating: 0, count: taps)
        for position in 0..<output {
            let centre = (Double(position) + 0.5) * scale
            let inverse = 1 / filterScale
            let low = max(Int(centre - support + 0.5), 0)
            let count = min(Int(centre + support + 0.5), input) - low
            var total = 0.0
            for tap in 0..<count {
                let weight = lanczos((Double(tap + low) - centre + 0.5) * inverse)
                kernel[tap] = weight
                total += weight
            }
            for tap in 0..<count {
                let normalised = total != 0 ? kernel[tap] / total : kernel[tap]
                let fixed = normalised * Double(1 << precisionBits)
                values[position * taps + tap] = Int32(normalised < 0 ? (fixed - 0.5) : (fixed + 0.5))
            }
            starts[position] = low
            counts[position] = count
        }
        return Weights(start: starts, count: counts, taps: taps, values: values)
    }

    @inline(__always) private static func clip8(_ value: Int32) -> UInt8 {
        let shifted = value >> precisionBits
        return shifted < 0 ? 0 : (shifted > 255 ? 255 : UInt8(shifted))
    }

    /// Resizes `pixels` (`bands` bytes per pixel) from `width`×`height` to `newWidth`×`newHeight`.
    static func resize(_ pixels: [UInt8], width: Int, height: Int, bands: Int, to newWidth: Int, _ newHeight: Int) -> [UInt8] {
        precondition(pixels.count == width * height * bands)
        var current = pixels
        var currentWidth = width
        // 32-bit wrapping sums, as Pillow's own: 255 × the kernel's positive weights stays below 2³¹.
        let rounding: Int32 = 1 << (precisionBits - 1)
        if newWidth != width {
            let w = weights(input: width, output: newWidth)
            var out = [UInt8](repeating: 0, count: newWidth * height * bands)
            current.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    w.values.withUnsafeBufferPointer { k in
                        RowParallel.forEach(height) { rows in for y in rows {
                            let row = y * width * bands
                            for x in 0..<newWidth {
                                let start = w.start[x], count = w.count[x], base = x * w.taps
                                if bands == 3, y < height - 1 {
                                    // The common RGB case, the three sums as one vector: each tap loads four
                                    // bytes (the fourth, the next pixel's red, is weighted into an unused
                                    // lane), so the photo's last row, whose last pixel has no byte after it,
                                    // takes the per-band loop below.
                                    var sums = SIMD4<Int32>(repeating: rounding)
                                    var source = UnsafeRawPointer(src.baseAddress! + row + start * 3)
                                    for tap in 0..<count {
                                        let pixel = SIMD4<Int32>(truncatingIfNeeded: source.loadUnaligned(as: SIMD4<UInt8>.self))
                                        sums &+= pixel &* SIMD4<Int32>(repeating: k[base + tap])
                                        source += 3
                                    }
                                    let target = (y * newWidth + x) * 3
                                    dst[target] = clip8(sums[0]); dst[target + 1] = clip8(sums[1]); dst[target + 2] = clip8(sums[2])
                                    continue
                                }
                                for band in 0..<bands {
                                    var sum = rounding
                                    for tap in 0..<count {
                                        sum &+= Int32(src[row + (start + tap) * bands + band]) &* k[base + tap]
                                    }
                                    dst[(y * newWidth + x) * bands + band] = clip8(sum)
                                }
                            }
                        }}
                    }
                }
            }
            current = out
            currentWidth = newWidth
        }
        if newHeight != height {
            let w = weights(input: height, output: newHeight)
            let rowLength = currentWidth * bands
            var out = [UInt8](repeating: 0, count: newHeight * rowLength)
            current.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    w.values.withUnsafeBufferPointer { k in
                        let sums = UnsafeMutableBufferPointer<Int32>.allocate(capacity: rowLength)
                        defer { sums.deallocate() }
                        for y in 0..<newHeight {
                            let start = w.start[y], count = w.count[y], base = y * w.taps
                            for i in 0..<rowLength { sums[i] = rounding }
                            for tap in 0..<count {
                                let weight = k[base + tap]
                                let row = (start + tap) * rowLength
                                for i in 0..<rowLength { sums[i] &+= Int32(src[row + i]) &* weight }
                            }
                            let outRow = y * rowLength
                            for i in 0..<rowLength { dst[outRow + i] = clip8(sums[i]) }
                        }
                    }
                }
            }
            current = out
        }
        return current
    }
}
