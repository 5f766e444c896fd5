import Foundation

/// How well a result restores the original where text was painted, and how little it touches elsewhere.
public struct TextRemovalScore: Sendable {
    /// PSNR (dB) between result and original over the text mask dilated by `maskDilation` pixels.
    public var psnrInText: Double
    /// Share of text-mask pixels still off from the original by more than 60 levels in some channel.
    public var residue: Double
    /// Mean absolute difference (levels) outside the dilated mask, and the share of those pixels changed by
    /// more than 8 levels (JPEG-noise scale) in some channel.
    public var meanChangeOutside: Double
    public var changedOutside: Double

    public static let maskDilation = 2

    public static func score(result: [UInt8], original: [UInt8], mask: [Bool], width: Int, height: Int) -> TextRemovalScore {
        let dilated = MaskMorphology.dilated(mask, width: width, height: height, radius: maskDilation)
        var squared = 0.0, inside = 0, residual = 0, textPixels = 0, outsideSum = 0.0, outside = 0, changed = 0
        for p in 0..<(width * height) {
            var worst = 0, sum = 0.0, sumSquares = 0.0
            for k in 0..<3 {
                let d = Int(result[3 * p + k]) - Int(original[3 * p + k])
                worst = max(worst, abs(d)); sum += Double(abs(d)); sumSquares += Double(d * d)
            }
            if dilated[p] { squared += sumSquares; inside += 3 } else { outsideSum += sum / 3; outside += 1; if worst > 8 { changed += 1 } }
            if mask[p] { textPixels += 1; if worst > 60 { residual += 1 } }
        }
        let mse = inside == 0 ? 0 : squared / Double(inside)
        return TextRemovalScore(psnrInText: mse == 0 ? 99 : 10 * log10(255 * 255 / mse),
                                residue: textPixels == 0 ? 0 : Double(residual) / Double(textPixels),
                                meanChangeOutside: outside == 0 ? 0 : outsideSum / Double(outside),
                                changedOutside: outside == 0 ? 0 : Double(changed) / Double(outside))
    }
}
