/// A colour with its luma kept and every channel moved `factor` times as far from it: grey stays grey, and a
/// colour stands out from grey of its own lightness. The detector's colour pass and the stroke clustering both
/// look at colours this way.
enum ChromaStretch {
    static func stretched(_ colour: SIMD3<Float>, by factor: Float) -> SIMD3<Float> {
        let luma = SIMD3<Float>(repeating: 0.299 * colour.x + 0.587 * colour.y + 0.114 * colour.z)
        return luma + factor * (colour - luma)
    }
}
