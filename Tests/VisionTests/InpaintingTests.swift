import Foundation
import Imaging
import Testing
import TestSupport
@testable import Vision

@Suite struct InpaintingTests {
    /// Diagonal stripes of two colours, 8 pixels per period: a texture that diffusion can only blur.
    static func stripes(width: Int, height: Int) -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let light = ((x + y) / 4) % 2 == 0
                let colour: [UInt8] = light ? [220, 200, 40] : [30, 60, 150]
                for k in 0..<3 { pixels[3 * (y * width + x) + k] = colour[k] }
            }
        }
        return pixels
    }

    static func psnr(_ a: [Float], _ b: [UInt8], hole: [Bool]) -> Double {
        var sum = 0.0, n = 0.0
        for i in hole.indices where hole[i] {
            for k in 0..<3 { let d = Double(a[3 * i + k]) - Double(b[3 * i + k]); sum += d * d; n += 1 }
        }
        return 10 * log10(255 * 255 / max(sum / n, 1e-9))
    }

    @Test func patchMatchContinuesAStripedTextureThroughAThickHole() async throws { try await onOwnThread {
        let w = 96, h = 72
        let truth = Self.stripes(width: w, height: h)
        var hole = [Bool](repeating: false, count: w * h)
        for y in 28..<44 { for x in 30..<66 { hole[y * w + x] = true } }
        var damaged = truth
        for i in hole.indices where hole[i] { damaged[3 * i] = 255; damaged[3 * i + 1] = 255; damaged[3 * i + 2] = 255 }
        var patchMatch = InpaintingImage(pixels: damaged, width: w, height: h, hole: hole)
        var copyingOnly = PatchMatchInpainter()
        copyingOnly.diffusionShare = 0  // the copied texture alone, without the smooth fill mixed in
        copyingOnly.inpaint(&patchMatch)
        var diffusion = InpaintingImage(pixels: damaged, width: w, height: h, hole: hole)
        DiffusionInpainter().inpaint(&diffusion)
        let exemplar = Self.psnr(patchMatch.colour, truth, hole: hole), smooth = Self.psnr(diffusion.colour, truth, hole: hole)
        #expect(exemplar > 20, "PatchMatch \(exemplar) dB")
        #expect(exemplar > smooth + 6, "PatchMatch \(exemplar) dB vs diffusion \(smooth) dB")
        // Known pixels are never touched.
        for i in hole.indices where !hole[i] { #expect(patchMatch.colour[3 * i] == Float(truth[3 * i])) }
    }}

    @Test func diffusionFillsAThinLineOnASmoothGradientInvisibly() {
        let w = 40, h = 30
        var truth = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h { for x in 0..<w { for k in 0..<3 { truth[3 * (y * w + x) + k] = UInt8(60 + 3 * x + k * 10) } } }
        var hole = [Bool](repeating: false, count: w * h)
        for x in 5..<35 { hole[15 * w + x] = true }
        var image = InpaintingImage(pixels: truth.enumerated().map { hole[$0.offset / 3] ? 0 : $0.element }, width: w, height: h, hole: hole)
        PatchMatchInpainter().inpaint(&image)  // a one-pixel line is thin: diffusion alone
        #expect(Self.psnr(image.colour, truth, hole: hole) > 40)
    }
}

extension InpaintingTests {
    @Test func thinPartsAreDiffusedEvenBesideAThickHole() {
        // A smooth gradient with a thick square hole and, far from it, a one-pixel line: the line must come
        // back as smooth as diffusion makes it, whatever PatchMatch does in the square.
        let w = 90, h = 60
        var truth = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h { for x in 0..<w { for k in 0..<3 { truth[3 * (y * w + x) + k] = UInt8(40 + 2 * x + k * 10) } } }
        var hole = [Bool](repeating: false, count: w * h)
        for y in 20..<40 { for x in 10..<30 { hole[y * w + x] = true } }
        var line = [Bool](repeating: false, count: w * h)
        for y in 10..<50 { line[y * w + 70] = true; hole[y * w + 70] = true }
        var image = InpaintingImage(pixels: truth.enumerated().map { hole[$0.offset / 3] ? 255 : $0.element }, width: w, height: h, hole: hole)
        PatchMatchInpainter().inpaint(&image)
        #expect(Self.psnr(image.colour, truth, hole: line) > 40)
        #expect(image.hole == hole)
    }
}

extension InpaintingTests {
    /// A random texture (each pixel 128 ± 40, independently): nothing in it can be predicted from its neighbours.
    static func noise(width: Int, height: Int) -> [UInt8] {
        var random = SplitMix(seed: 7)
        return (0..<(width * height * 3)).map { _ in UInt8(88 + Int(random.next() % 81)) }
    }

    @Test func mixingInTheSmoothFillBeatsCopyingOnUnpredictableTextureAndKeepsStripes() async throws { try await onOwnThread {
        let w = 80, h = 64
        var hole = [Bool](repeating: false, count: w * h)
        for y in 24..<40 { for x in 24..<56 { hole[y * w + x] = true } }
        func filled(_ truth: [UInt8], share: Float?) -> Double {
            var image = InpaintingImage(pixels: truth.enumerated().map { hole[$0.offset / 3] ? 255 : $0.element },
                                        width: w, height: h, hole: hole)
            if let share {
                var inpainter = PatchMatchInpainter()
                inpainter.diffusionShare = share
                // The harmonic fill alone: on white noise the biharmonic part extrapolates noisy slopes (it pays
                // on photos, where slopes carry on; see `biharmonicShare`).
                inpainter.biharmonicShare = 0
                inpainter.inpaint(&image)
            } else {
                DiffusionInpainter().inpaint(&image)
            }
            for i in hole.indices where !hole[i] { #expect(image.colour[3 * i] == Float(truth[3 * i])) }
            return Self.psnr(image.colour, truth, hole: hole)
        }
        // On noise every copied patch is off by about √2 × the noise (the vote's average of overlapping patches
        // already smooths some of that away), the smooth fill by about 1 ×.
        let noise = Self.noise(width: w, height: h)
        let mixedOnNoise = filled(noise, share: PatchMatchInpainter().diffusionShare), copiedOnNoise = filled(noise, share: 0)
        #expect(mixedOnNoise > copiedOnNoise + 0.3, "mixed \(mixedOnNoise) dB, copied \(copiedOnNoise) dB")
        // On stripes the copied part still carries the texture: better than diffusion alone.
        let stripes = Self.stripes(width: w, height: h)
        let mixedOnStripes = filled(stripes, share: PatchMatchInpainter().diffusionShare), smoothOnStripes = filled(stripes, share: nil)
        #expect(mixedOnStripes > smoothOnStripes + 2, "mixed \(mixedOnStripes) dB, diffusion \(smoothOnStripes) dB")
    }}
}

extension InpaintingTests {
    /// u = (x − 20)² / 4 is biharmonic (Δ²u = 0) but not harmonic, so across a band 9 pixels wide the biharmonic
    /// fill should restore the curve, while the harmonic one draws the chord (off by (9/2)² / 4 ≈ 5 levels mid-band).
    @Test func biharmonicFillRestoresACurvedRampThatDiffusionFlattens() {
        let w = 40, h = 24
        var truth = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h { for x in 0..<w { for k in 0..<3 { truth[3 * (y * w + x) + k] = UInt8(40 + (x - 20) * (x - 20) / 4 + 20 * k) } } }
        var hole = [Bool](repeating: false, count: w * h)
        for y in 4..<20 { for x in 22..<31 { hole[y * w + x] = true } }
        let start = InpaintingImage(pixels: truth.enumerated().map { hole[$0.offset / 3] ? 0 : $0.element }, width: w, height: h, hole: hole)
        var biharmonic = start, harmonic = start
        BiharmonicInpainter().inpaint(&biharmonic)
        DiffusionInpainter().inpaint(&harmonic)
        let worst = hole.indices.filter { hole[$0] }.map { i in (0..<3).map { abs(biharmonic.colour[3 * i + $0] - Float(truth[3 * i + $0])) }.max()! }.max()!
        #expect(worst < 1.5)
        #expect(Self.psnr(biharmonic.colour, truth, hole: hole) > Self.psnr(harmonic.colour, truth, hole: hole) + 6)
        // Known pixels are left exactly as they were.
        for i in hole.indices where !hole[i] { for k in 0..<3 { #expect(biharmonic.colour[3 * i + k] == start.colour[3 * i + k]) } }
    }
}
