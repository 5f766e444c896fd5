/// How unsure a mask is about its subject, in [0, 1] (0 = confident).
///
/// Formula: among the pixels the mask gives any real weight (alpha ≥ 10 % of full), the share whose alpha is
/// ambiguous (between 10 % and 90 %). A crisp cut-out scores near 0; a mask that is a haze of half-tones
/// scores near 1. A mask with no subject at all scores 1. `-1` is reserved for "not computed".
public enum Uncertainty {
    public static let notComputed: Double = -1

    public static func score(mask: [UInt8]) -> Double {
        let low = UInt8(0.1 * 255), high = UInt8(0.9 * 255)
        var subject = 0, ambiguous = 0
        for value in mask where value >= low {
            subject += 1
            if value <= high { ambiguous += 1 }
        }
        return subject == 0 ? 1 : Double(ambiguous) / Double(subject)
    }
}
