import Foundation

/// Seeded 2-D gradient noise (Perlin's construction with hashed gradients), its fractal sum, and cellular
/// noise. Pure functions of the seed and the coordinates, so a scene is pixel-identical for the same seed.
struct Noise: Sendable {
    let seed: UInt32

    @inline(__always) func hash(_ x: Int32, _ y: Int32, _ salt: UInt32 = 0) -> UInt32 {
        var h = UInt32(bitPattern: x) &* 0x27D4_EB2D ^ UInt32(bitPattern: y) &* 0x1656_67B1 ^ (seed &+ salt) &* 0x9E37_79B9
        h ^= h >> 15; h = h &* 0x85EB_CA6B
        h ^= h >> 13; h = h &* 0xC2B2_AE35
        h ^= h >> 16
        return h
    }

    /// A value in [0, 1) for one lattice point.
    @inline(__always) func unit(_ x: Int32, _ y: Int32, _ salt: UInt32 = 0) -> Double {
        Double(hash(x, y, salt) >> 8) / Double(1 << 24)
    }

    @inline(__always) private func gradientDot(_ ix: Int32, _ iy: Int32, _ fx: Double, _ fy: Double) -> Double {
        // Eight directions are enough and avoid a table of angles.
        switch hash(ix, iy) & 7 {
        case 0: return fx + fy
        case 1: return fx - fy
        case 2: return -fx + fy
        case 3: return -fx - fy
        case 4: return fx * 1.4142
        case 5: return -fx * 1.4142
        case 6: return fy * 1.4142
        default: return -fy * 1.4142
        }
    }

    /// Gradient noise, roughly in [-1, 1].
    @inline(__always) func perlin(_ x: Double, _ y: Double) -> Double {
        let x0 = x.rounded(.down), y0 = y.rounded(.down)
        let fx = x - x0, fy = y - y0
        let ix = Int32(truncatingIfNeeded: Int(x0)), iy = Int32(truncatingIfNeeded: Int(y0))
        let u = fx * fx * fx * (fx * (fx * 6 - 15) + 10), v = fy * fy * fy * (fy * (fy * 6 - 15) + 10)
        let a = gradientDot(ix, iy, fx, fy), b = gradientDot(ix &+ 1, iy, fx - 1, fy)
        let c = gradientDot(ix, iy &+ 1, fx, fy - 1), d = gradientDot(ix &+ 1, iy &+ 1, fx - 1, fy - 1)
        let top = a + (b - a) * u, bottom = c + (d - c) * u
        return (top + (bottom - top) * v) * 0.7
    }

    /// Fractal Brownian motion: `octaves` layers of noise, each twice as fine and half as strong.
    @inline(__always) func fbm(_ x: Double, _ y: Double, octaves: Int) -> Double {
        var sum = 0.0, amplitude = 0.5, frequency = 1.0, norm = 0.0
        for octave in 0..<octaves {
            // Each octave is shifted so the lattices do not line up at the origin.
            let shift = Double(octave) * 17.31
            sum += amplitude * perlin(x * frequency + shift, y * frequency - shift)
            norm += amplitude
            amplitude *= 0.5; frequency *= 2
        }
        return sum / norm
    }

    /// Cellular noise: distance to the nearest jittered feature point (F1) and that point's hash.
    @inline(__always) func cellular(_ x: Double, _ y: Double) -> (distance: Double, id: UInt32) {
        let cx = Int32(truncatingIfNeeded: Int(x.rounded(.down))), cy = Int32(truncatingIfNeeded: Int(y.rounded(.down)))
        var best = Double.greatestFiniteMagnitude, bestID: UInt32 = 0
        for dy in Int32(-1)...1 {
            for dx in Int32(-1)...1 {
                let px = cx &+ dx, py = cy &+ dy
                let fx = Double(px) + unit(px, py, 11) - x, fy = Double(py) + unit(px, py, 23) - y
                let d = fx * fx + fy * fy
                if d < best { best = d; bestID = hash(px, py, 37) }
            }
        }
        return (best.squareRoot(), bestID)
    }
}

/// Deterministic choices from a seed (SplitMix64), for layout and palette decisions.
struct SeededChoices {
    private var state: UInt64

    init(seed: UInt32, stream: UInt64 = 0) { state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ stream &* 0xBF58_476D_1CE4_E5B9 }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [lower, upper).
    mutating func uniform(_ lower: Double, _ upper: Double) -> Double {
        lower + (upper - lower) * Double(next() >> 11) / Double(1 << 53)
    }

    mutating func chance(_ probability: Double) -> Bool { uniform(0, 1) < probability }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
}

@inline(__always) func smoothstep(_ edge0: Double, _ edge1: Double, _ x: Double) -> Double {
    let t = min(1, max(0, (x - edge0) / (edge1 - edge0)))
    return t * t * (3 - 2 * t)
}

@inline(__always) func clamp01(_ x: Double) -> Double { min(1, max(0, x)) }
