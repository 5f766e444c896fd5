import Imaging

/// Full-resolution edge refinement of a low-resolution model mask: a colour guided filter (He, Sun & Tang)
/// with the photo as guide, in its "fast" form — the linear coefficients are fitted on a downscaled copy and
/// applied to every full-resolution pixel, so mask edges follow the photo's real edges at full resolution
/// for the cost of a small image.
public struct MaskRefiner: Sendable {
    /// Longest side of the working copy on which the coefficients are fitted.
    public var workingSide: Int
    /// Window radius at the working resolution.
    public var radius: Int
    /// Regularisation: larger keeps more of the model's mask, smaller follows the photo's edges more.
    public var epsilon: Float

    /// Contrast applied around half opacity after filtering: the filtered mask keeps the model's soft ramp
    /// where the photo shows no edge, and real subjects have crisp borders.
    public var hardness: Float

    public init(workingSide: Int = 640, radius: Int = 8, epsilon: Float = 1e-4, hardness: Float = 2) {
        self.workingSide = workingSide
        self.radius = radius
        self.epsilon = epsilon
        self.hardness = hardness
    }

    /// `mask`: one 8-bit band; `photo`: the image it was computed from, same size.
    public func refine(_ mask: Image, guide photo: Image) throws -> Image {
        guard mask.width == photo.width, mask.height == photo.height, mask.bands == 1 else {
            throw ImagingError.invalidArgument("mask \(mask.width)x\(mask.height) does not match photo \(photo.width)x\(photo.height)")
        }
        let colour = try photo.removingAlpha()
        let scale = min(1, Double(workingSide) / Double(max(photo.width, photo.height)))
        let w = max(1, Int((Double(photo.width) * scale).rounded()))
        let h = max(1, Int((Double(photo.height) * scale).rounded()))
        let smallGuide = try colour.resized(width: w, height: h, kernel: .linear).pixels()
        let smallMask = try mask.resized(width: w, height: h, kernel: .linear).pixels()

        let coefficients = fit(guide: smallGuide, mask: smallMask, width: w, height: h)
        let planes = try coefficients.map { plane in
            try Image(floats: plane, width: w, height: h)
                .resized(width: photo.width, height: photo.height, kernel: .linear).floatPlane()
        }
        let pixels = try colour.pixels()
        let count = photo.width * photo.height
        var out = [UInt8](repeating: 0, count: count)
        let ar = planes[0], ag = planes[1], ab = planes[2], b = planes[3]
        let gain = hardness
        pixels.withUnsafeBufferPointer { rgb in
            out.withUnsafeMutableBufferPointer { dst in
                let inv: Float = 1 / 255
                for i in 0..<count {
                    let value = ar[i] * Float(rgb[3 * i]) * inv + ag[i] * Float(rgb[3 * i + 1]) * inv
                        + ab[i] * Float(rgb[3 * i + 2]) * inv + b[i]
                    let hardened = (value - 0.5) * gain + 0.5
                    dst[i] = UInt8(min(max(hardened, 0), 1) * 255 + 0.5)
                }
            }
        }
        return try Image(pixels: out, width: photo.width, height: photo.height, bands: 1)
    }

    /// The window-averaged coefficients (a_r, a_g, a_b, b) such that mask ≈ a·I + b locally.
    func fit(guide: [UInt8], mask: [UInt8], width: Int, height: Int) -> [[Float]] {
        let n = width * height
        let inv: Float = 1 / 255
        var channels = [[Float]](repeating: [Float](repeating: 0, count: n), count: 3)
        var p = [Float](repeating: 0, count: n)
        for i in 0..<n {
            channels[0][i] = Float(guide[3 * i]) * inv
            channels[1][i] = Float(guide[3 * i + 1]) * inv
            channels[2][i] = Float(guide[3 * i + 2]) * inv
            p[i] = Float(mask[i]) * inv
        }
        func box(_ plane: [Float]) -> [Float] { BoxFilter.mean(plane, width: width, height: height, radius: radius) }
        func product(_ a: [Float], _ b: [Float]) -> [Float] { (0..<n).map { a[$0] * b[$0] } }

        let meanI = channels.map(box)
        let meanP = box(p)
        let meanIp = channels.map { box(product($0, p)) }
        // The six distinct entries of each pixel's 3×3 colour covariance.
        let pairs = [(0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 2)]
        let corr = pairs.map { box(product(channels[$0.0], channels[$0.1])) }

        var a = [[Float]](repeating: [Float](repeating: 0, count: n), count: 3)
        var b = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let m0 = meanI[0][i], m1 = meanI[1][i], m2 = meanI[2][i], mp = meanP[i]
            let c0 = meanIp[0][i] - m0 * mp, c1 = meanIp[1][i] - m1 * mp, c2 = meanIp[2][i] - m2 * mp
            let s00 = corr[0][i] - m0 * m0 + epsilon, s01 = corr[1][i] - m0 * m1, s02 = corr[2][i] - m0 * m2
            let s11 = corr[3][i] - m1 * m1 + epsilon, s12 = corr[4][i] - m1 * m2, s22 = corr[5][i] - m2 * m2 + epsilon
            // Symmetric 3×3 inverse by cofactors.
            let i00 = s11 * s22 - s12 * s12, i01 = s02 * s12 - s01 * s22, i02 = s01 * s12 - s02 * s11
            let i11 = s00 * s22 - s02 * s02, i12 = s01 * s02 - s00 * s12, i22 = s00 * s11 - s01 * s01
            let det = s00 * i00 + s01 * i01 + s02 * i02
            let a0 = (i00 * c0 + i01 * c1 + i02 * c2) / det
            let a1 = (i01 * c0 + i11 * c1 + i12 * c2) / det
            let a2 = (i02 * c0 + i12 * c1 + i22 * c2) / det
            a[0][i] = a0; a[1][i] = a1; a[2][i] = a2
            b[i] = mp - a0 * m0 - a1 * m1 - a2 * m2
        }
        return [box(a[0]), box(a[1]), box(a[2]), box(b)]
    }
}
