import Foundation

/// The autocorrelation of a plane, Σₚ v(p)·v(p + d) for every shift d, by the Wiener–Khinchin theorem: the
/// inverse Fourier transform of the power spectrum of the plane zero-padded to twice its size (so shifts do
/// not wrap around). A direct sum over every shift would cost (w·h)², the transforms cost w·h·log(w·h).
struct Autocorrelation {
    let width: Int, height: Int
    /// Padded transform size, powers of two.
    let paddedWidth: Int, paddedHeight: Int
    private let sums: [Float]

    init(_ values: [Float], width: Int, height: Int) {
        self.width = width; self.height = height
        paddedWidth = Self.powerOfTwo(atLeast: 2 * width)
        paddedHeight = Self.powerOfTwo(atLeast: 2 * height)
        var real = [Float](repeating: 0, count: paddedWidth * paddedHeight)
        var imaginary = real
        for y in 0..<height { for x in 0..<width { real[y * paddedWidth + x] = values[y * width + x] } }
        Self.transform2D(&real, &imaginary, width: paddedWidth, height: paddedHeight, inverse: false, filledRows: height)
        for i in real.indices {
            real[i] = real[i] * real[i] + imaginary[i] * imaginary[i]
            imaginary[i] = 0
        }
        Self.transform2D(&real, &imaginary, width: paddedWidth, height: paddedHeight, inverse: true, filledRows: paddedHeight)
        let scale = 1 / Float(paddedWidth * paddedHeight)
        sums = real.map { $0 * scale }
    }

    /// Σ v(p)·v(p + (dx, dy)) over the pixels where both lie inside, for |dx| < width, |dy| < height.
    func sum(dx: Int, dy: Int) -> Float {
        let x = dx >= 0 ? dx : paddedWidth + dx, y = dy >= 0 ? dy : paddedHeight + dy
        return sums[y * paddedWidth + x]
    }

    /// The mean product over the overlap of the plane and its shifted copy.
    func mean(dx: Int, dy: Int) -> Float {
        let overlap = (width - abs(dx)) * (height - abs(dy))
        return overlap > 0 ? sum(dx: dx, dy: dy) / Float(overlap) : 0
    }

    static func powerOfTwo(atLeast n: Int) -> Int {
        var p = 1
        while p < n { p <<= 1 }
        return p
    }

    /// Rows, then columns, each by an in-place radix-2 transform. Rows from `filledRows` on are zero, and so
    /// is their transform.
    static func transform2D(_ real: inout [Float], _ imaginary: inout [Float], width: Int, height: Int, inverse: Bool,
                            filledRows: Int) {
        var columnReal = [Float](repeating: 0, count: height), columnImaginary = columnReal
        let rowTwiddles = Twiddles(count: width, inverse: inverse), columnTwiddles = Twiddles(count: height, inverse: inverse)
        real.withUnsafeMutableBufferPointer { re in imaginary.withUnsafeMutableBufferPointer { im in
            for y in 0..<filledRows {
                transform(re.baseAddress! + y * width, im.baseAddress! + y * width, count: width, twiddles: rowTwiddles)
            }
            for x in 0..<width {
                for y in 0..<height { columnReal[y] = re[y * width + x]; columnImaginary[y] = im[y * width + x] }
                columnReal.withUnsafeMutableBufferPointer { cr in columnImaginary.withUnsafeMutableBufferPointer { ci in
                    transform(cr.baseAddress!, ci.baseAddress!, count: height, twiddles: columnTwiddles)
                }}
                for y in 0..<height { re[y * width + x] = columnReal[y]; im[y * width + x] = columnImaginary[y] }
            }
        }}
    }

    /// e^(∓2πik/n) for k < n/2, computed once per transform size rather than once per butterfly.
    struct Twiddles {
        let cosines: [Float], sines: [Float]
        init(count n: Int, inverse: Bool) {
            let sign = inverse ? 2.0 : -2.0
            cosines = (0..<max(1, n / 2)).map { Float(cos(sign * Double.pi * Double($0) / Double(n))) }
            sines = (0..<max(1, n / 2)).map { Float(sin(sign * Double.pi * Double($0) / Double(n))) }
        }
    }

    /// Iterative Cooley–Tukey on `count` (a power of two) complex values; unscaled in both directions.
    static func transform(_ re: UnsafeMutablePointer<Float>, _ im: UnsafeMutablePointer<Float>, count n: Int, twiddles: Twiddles) {
        var j = 0
        for i in 1..<n {
            var bit = n >> 1
            while j & bit != 0 { j ^= bit; bit >>= 1 }
            j |= bit
            if i < j { swap(&re[i], &re[j]); swap(&im[i], &im[j]) }
        }
        var length = 2
        while length <= n {
            let half = length / 2, stride = n / length
            for k in 0..<half {
                let wr = twiddles.cosines[k * stride], wi = twiddles.sines[k * stride]
                var start = 0
                while start < n {
                    let a = start + k, b = a + half
                    let tr = re[b] * wr - im[b] * wi, ti = re[b] * wi + im[b] * wr
                    re[b] = re[a] - tr; im[b] = im[a] - ti
                    re[a] += tr; im[a] += ti
                    start += length
                }
            }
            length <<= 1
        }
    }
}
