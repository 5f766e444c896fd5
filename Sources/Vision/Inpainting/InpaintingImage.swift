/// A small working image for inpainting: interleaved RGB floats and the hole to fill (true = unknown).
public struct InpaintingImage: Sendable {
    public var width: Int
    public var height: Int
    public var colour: [Float]
    public var hole: [Bool]

    public init(width: Int, height: Int, colour: [Float], hole: [Bool]) {
        precondition(colour.count == width * height * 3 && hole.count == width * height)
        self.width = width; self.height = height; self.colour = colour; self.hole = hole
    }

    public init(pixels: [UInt8], width: Int, height: Int, hole: [Bool]) {
        self.init(width: width, height: height, colour: pixels.map(Float.init), hole: hole)
    }

    /// Rounded 8-bit RGB.
    public var pixels: [UInt8] { colour.map { UInt8(min(max($0.rounded(), 0), 255)) } }

    /// Half the size: known pixels are the mean of the known pixels below them, and a pixel is a hole when any
    /// pixel below it is (so the hole never shrinks away while going down).
    func halved() -> InpaintingImage {
        let w = (width + 1) / 2, h = (height + 1) / 2
        var colour = [Float](repeating: 0, count: w * h * 3), hole = [Bool](repeating: false, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                var sum = SIMD3<Float>(repeating: 0), known: Float = 0, anyHole = false
                for dy in 0..<2 {
                    for dx in 0..<2 {
                        let fx = 2 * x + dx, fy = 2 * y + dy
                        guard fx < width, fy < height else { continue }
                        let i = fy * width + fx
                        if self.hole[i] { anyHole = true; continue }
                        sum += SIMD3(self.colour[3 * i], self.colour[3 * i + 1], self.colour[3 * i + 2]); known += 1
                    }
                }
                let o = y * w + x
                hole[o] = anyHole
                if known > 0 { colour[3 * o] = sum.x / known; colour[3 * o + 1] = sum.y / known; colour[3 * o + 2] = sum.z / known }
            }
        }
        return InpaintingImage(width: w, height: h, colour: colour, hole: hole)
    }

    var holeCount: Int { hole.lazy.filter { $0 }.count }
}
