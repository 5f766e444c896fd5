/// Internationalised host names to their ASCII (IDNA "xn--") form, RFC 3492, so that DNS can resolve them.
enum Punycode {
    /// DNS limits (RFC 1035): a label is at most 63 octets, a name at most 253 characters.
    static let maximumLabelLength = 63, maximumHostLength = 253

    /// nil when the host cannot be a DNS name. Labels are checked for length before encoding, which also
    /// bounds the encoder's work (quadratic in the label's length) to labels of 63 code points at most.
    static func asciiHost(_ host: String) -> String? {
        guard host.unicodeScalars.count <= maximumHostLength else { return nil }
        let labels = host.lowercased().split(separator: ".", omittingEmptySubsequences: false)
        var out: [String] = []
        for label in labels {
            guard label.unicodeScalars.count <= maximumLabelLength else { return nil }
            if label.unicodeScalars.allSatisfy(\.isASCII) { out.append(String(label)); continue }
            guard let encoded = encode(String(label)), encoded.count + 4 <= maximumLabelLength else { return nil }
            out.append("xn--" + encoded)
        }
        let ascii = out.joined(separator: ".")
        return ascii.count <= maximumHostLength ? ascii : nil
    }

    static func encode(_ input: String) -> String? {
        let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700
        let scalars = input.unicodeScalars.map { Int($0.value) }
        var output = scalars.filter { $0 < 0x80 }.map { Character(Unicode.Scalar(UInt8($0))) }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append("-") }
        var n = 0x80, delta = 0, bias = 72

        func adapt(_ delta: Int, _ count: Int, _ first: Bool) -> Int {
            var delta = first ? delta / damp : delta / 2
            delta += delta / count
            var k = 0
            while delta > ((base - tMin) * tMax) / 2 { delta /= base - tMin; k += base }
            return k + (base - tMin + 1) * delta / (delta + skew)
        }
        func digit(_ d: Int) -> Character {
            Character(Unicode.Scalar(UInt8(d < 26 ? d + 97 : d + 22)))
        }

        while handled < scalars.count {
            guard let m = scalars.filter({ $0 >= n }).min() else { return nil }
            delta += (m - n) * (handled + 1)
            n = m
            for c in scalars {
                if c < n { delta += 1 }
                if c == n {
                    var q = delta, k = base
                    while true {
                        let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, handled + 1, handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(output)
    }
}
