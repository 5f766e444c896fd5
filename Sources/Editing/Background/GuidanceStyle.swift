import Foundation
import Imaging

/// What Darkroom takes from a guidance image (`background.guidance.*`): its palette (a light and a dark
/// colour), its brightness and contrast per channel, and how busy its texture is. Applied with strength
/// `background.guidance.scale`: 0 ignores it, 1 follows it as closely as a procedural scene can.
struct GuidanceStyle: Sendable {
    var mean: [Double]
    var deviation: [Double]
    var lightColor: SceneColor
    var darkColor: SceneColor
    /// Mean absolute difference of neighbouring pixels' luminance at 64 px, 0…1.
    var roughness: Double

    /// The roughness of a typical Darkroom scene at the same 64 px scale, so texture contrast can be scaled.
    static let referenceRoughness = 0.025

    init(bytes: [UInt8], maxPixels: Int) throws {
        let thumbnail = try Image.thumbnail(bytes, width: 64, height: 64, maxPixels: maxPixels)
        try self.init(image: thumbnail)
    }

    init(image: Image) throws {
        let rgb = image.hasAlpha ? try image.removingAlpha() : image
        let bands = rgb.bands, pixels = try rgb.pixels(), count = rgb.width * rgb.height
        func channel(_ p: Int, _ c: Int) -> Double { Double(pixels[p * bands + (bands >= 3 ? c : 0)]) / 255 }
        var mean = [0.0, 0, 0], square = [0.0, 0, 0]
        var luminances = [Double](repeating: 0, count: count)
        for p in 0..<count {
            for c in 0..<3 { let v = channel(p, c); mean[c] += v; square[c] += v * v }
            luminances[p] = 0.2126 * channel(p, 0) + 0.7152 * channel(p, 1) + 0.0722 * channel(p, 2)
        }
        let n = Double(max(1, count))
        self.mean = mean.map { $0 / n }
        deviation = (0..<3).map { max(0.01, (square[$0] / n - (mean[$0] / n) * (mean[$0] / n)).squareRoot()) }
        let median = luminances.sorted()[count / 2]
        var light = [0.0, 0, 0], dark = [0.0, 0, 0], lightCount = 0.0, darkCount = 0.0
        for p in 0..<count {
            if luminances[p] >= median { for c in 0..<3 { light[c] += channel(p, c) }; lightCount += 1 } else { for c in 0..<3 { dark[c] += channel(p, c) }; darkCount += 1 }
        }
        lightColor = SceneColor(light[0] / max(1, lightCount), light[1] / max(1, lightCount), light[2] / max(1, lightCount))
        darkColor = darkCount > 0 ? SceneColor(dark[0] / darkCount, dark[1] / darkCount, dark[2] / darkCount) : lightColor
        var difference = 0.0, pairs = 0.0
        for row in 0..<rgb.height {
            for column in 1..<max(1, rgb.width) {
                difference += abs(luminances[row * rgb.width + column] - luminances[row * rgb.width + column - 1]); pairs += 1
            }
        }
        roughness = pairs > 0 ? difference / pairs : 0
    }

    /// Moves the scene's surfaces towards the guidance palette and texture before drawing.
    func restyle(_ scene: inout ResolvedScene, strength: Double) {
        scene.wallColor = scene.wallColor.mixed(with: lightColor, 0.75 * strength)
        scene.floorColor = scene.floorColor.mixed(with: darkColor, 0.75 * strength)
        let ratio = min(3, max(0.25, roughness / Self.referenceRoughness))
        scene.textureContrast *= 1 + (ratio - 1) * strength
    }

    /// Transfers the guidance image's per-channel mean and contrast onto the drawn scene (Reinhard's
    /// colour transfer, a linear map per channel), blended by `strength`.
    func transfer(onto image: Image, strength: Double) throws -> Image {
        let scene = try GuidanceStyle(image: try image.resized(width: 64, height: 64))
        var a: [Double] = [], b: [Double] = []
        for c in 0..<3 {
            let gain = deviation[c] / scene.deviation[c]
            let fullA = gain, fullB = (mean[c] - gain * scene.mean[c]) * 255
            a.append(1 + (fullA - 1) * strength)
            b.append(fullB * strength)
        }
        if image.bands == 4 { a.append(1); b.append(0) }
        return try image.linear(a, b)
    }
}
