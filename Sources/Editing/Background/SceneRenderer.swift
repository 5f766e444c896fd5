import Foundation
import Imaging
import Vision

/// Where the subject stands on the canvas, in canvas pixels.
struct SubjectFrame: Sendable, Equatable {
    var left: Double, top: Double, right: Double, bottom: Double
}

/// Draws a `ResolvedScene`: a back wall and a floor plane in perspective meeting at a horizon placed from the
/// subject's feet, procedural textures, light falloff from the scene's one light, a vignette, optional props,
/// and a depth of field that grows with distance from the subject. Pixels are computed by row-parallel Swift
/// loops at no more than `maxWorkingPixels` (the scene is soft anyway); libvips blurs and scales.
struct SceneRenderer {
    let scene: ResolvedScene
    let noise: Noise
    /// Output above this is rendered smaller and scaled up by libvips: textures are soft and the far parts
    /// blurred, so the extra pixels would add time, not detail.
    static let maxWorkingPixels = 1_000_000

    init(scene: ResolvedScene, seed: UInt32) {
        self.scene = scene
        noise = Noise(seed: seed)
    }

    /// The geometry shared by every pixel, in units of the working height (y down, 0 at the top).
    struct Geometry {
        var aspect: Double
        var centerX: Double
        var subjectWidth: Double
        /// Where the wall meets the floor.
        var horizon: Double
        /// The floor line the subject (or its pedestal) stands on.
        var ground: Double
        var pedestal: (top: Double, base: Double, radius: Double)?
        var plant: (x: Double, base: Double, height: Double)?
        /// Beach: where the sea meets the sky, above the sand line.
        var seaLine: Double
        /// The light seen from the camera: its sideways (+1 from the right) and frontal (+1 from the camera)
        /// components, and the spot on the wall it lights most.
        var fromRight = 0.0, fromFront = 1.0, spotX = 0.0, spotY = 0.0, spread = 1.0
    }

    func geometry(width: Int, height: Int, subject: SubjectFrame?) -> Geometry {
        let h = Double(height), aspect = Double(width) / h
        let frame = subject.map { SubjectFrame(left: $0.left / h, top: $0.top / h, right: $0.right / h, bottom: $0.bottom / h) }
            ?? SubjectFrame(left: aspect * 0.35, top: 0.3, right: aspect * 0.65, bottom: 0.78)
        let subjectHeight = max(0.05, frame.bottom - frame.top)
        let centerX = (frame.left + frame.right) / 2
        var pedestal: (top: Double, base: Double, radius: Double)?
        var ground = min(frame.bottom, 0.985)
        // A pedestal needs room below the subject, and looks like a stage rather than a plinth under a wide one.
        if scene.props.contains(.pedestal), frame.bottom < 0.88, frame.right - frame.left < (scene.pedestalRequested ? 0.85 : 0.45) * aspect {
            let base = min(0.985, frame.bottom + max(0.1, min(0.3, subjectHeight * 0.55)))
            pedestal = (frame.bottom, base, max(0.06, (frame.right - frame.left) * 0.62))
            ground = base
        }
        // The wall meets the floor behind the subject, a little above its feet, as seen from a table-top camera.
        var lift = 0.3 + 0.06 * scene.horizonJitter
        if scene.closeUp { lift = 0.45 }
        if scene.inFrontOfWall { lift = 0.14 }
        var horizon = (pedestal?.top ?? ground) - subjectHeight * lift
        if pedestal != nil { horizon = min(horizon + subjectHeight * 0.2, (pedestal?.top ?? ground) - 0.03) }
        horizon = min(max(horizon, 0.22), ground - 0.035, 0.9)
        var plant: (x: Double, base: Double, height: Double)?
        if scene.props.contains(.plant) {
            let offset = (frame.right - frame.left) / 2 + max(0.14, aspect * 0.16)
            var x = centerX + scene.plantSide * offset
            if x < 0.06 || x > aspect - 0.06 { x = centerX - scene.plantSide * offset }
            // Beside a wide subject there is no free wall: the plant stands at the edge, partly cut off, behind it.
            x = min(max(x, 0.03), aspect - 0.03)
            plant = (x, horizon + 0.01, max(0.25, horizon * 0.75))
        }
        var geometry = Geometry(aspect: aspect, centerX: centerX, subjectWidth: frame.right - frame.left, horizon: horizon,
                                ground: ground, pedestal: pedestal, plant: plant, seaLine: horizon - max(0.05, horizon * 0.16))
        let radians = scene.light.azimuth * .pi / 180
        geometry.fromRight = sin(radians)
        geometry.fromFront = cos(radians)
        geometry.spotX = centerX + geometry.fromRight * 0.55 * aspect
        geometry.spotY = horizon - (0.12 + 0.5 * scene.light.elevation / 90)
        geometry.spread = (0.45 + 0.6 * scene.light.softness) * max(1, aspect * 0.8)
        return geometry
    }

    /// The scene at `width`×`height` (opaque RGBA), for a subject standing in `subject`.
    func render(width: Int, height: Int, subject: SubjectFrame?) throws -> Image {
        let scale = min(1, (Double(Self.maxWorkingPixels) / Double(width * height)).squareRoot())
        let w = max(1, Int((Double(width) * scale).rounded())), h = max(1, Int((Double(height) * scale).rounded()))
        let geometry = self.geometry(width: width, height: height, subject: subject)
        var sharp = [UInt8](repeating: 0, count: w * h * 3)
        var depth = [Float](repeating: 0, count: w * h)
        sharp.withUnsafeMutableBufferPointer { pixels in
            depth.withUnsafeMutableBufferPointer { depths in
                RowParallel.forEach(h) { rows in
                    for row in rows {
                        let y = (Double(row) + 0.5) / Double(h)
                        for column in 0..<w {
                            let x = (Double(column) + 0.5) / Double(h)
                            let (color, blur) = shade(x: x, y: y, geometry)
                            let i = (row * w + column) * 3
                            pixels[i] = UInt8(clamp01(color.red) * 255 + 0.5)
                            pixels[i + 1] = UInt8(clamp01(color.green) * 255 + 0.5)
                            pixels[i + 2] = UInt8(clamp01(color.blue) * 255 + 0.5)
                            depths[row * w + column] = Float(blur)
                        }
                    }
                }
            }
        }
        let image = try Image(pixels: sharp, width: w, height: h, bands: 3)
        let sigma = max(0.5, scene.depthOfField * Double(h))
        let near = try Self.softened(image, sigma: sigma).pixels(), far = try Self.softened(image, sigma: sigma * 2.6).pixels()
        var blended = [UInt8](repeating: 0, count: w * h * 3)
        blended.withUnsafeMutableBufferPointer { out in
            RowParallel.forEach(h) { rows in
                for row in rows {
                    for column in 0..<w {
                        let p = row * w + column, weight = Double(depth[p])
                        for c in 0..<3 {
                            let i = p * 3 + c
                            let value = weight <= 1
                                ? Double(sharp[i]) + (Double(near[i]) - Double(sharp[i])) * weight
                                : Double(near[i]) + (Double(far[i]) - Double(near[i])) * min(1, weight - 1)
                            out[i] = UInt8(min(255, max(0, value + 0.5)))
                        }
                    }
                }
            }
        }
        var result = try Image(pixels: blended, width: w, height: h, bands: 3)
        if w != width || h != height { result = try result.resized(width: width, height: height, kernel: .cubic) }
        return try result.withOpaqueAlpha()
    }

    /// A Gaussian blur that stays cheap for large σ: the image is shrunk until σ is about 2 px, blurred there
    /// and scaled back (the result is smooth, so nothing is lost but time).
    static func softened(_ image: Image, sigma: Double) throws -> Image {
        let factor = sigma / 2
        guard factor > 1.5 else { return try image.blurred(sigma: sigma) }
        let w = max(1, Int((Double(image.width) / factor).rounded())), h = max(1, Int((Double(image.height) / factor).rounded()))
        return try image.resized(width: w, height: h, kernel: .linear).blurred(sigma: 2)
            .resized(width: image.width, height: image.height, kernel: .cubic)
    }

    /// The colour at one point and how far out of focus it is (0 sharp, 1 the near blur, 2 the far blur).
    func shade(x: Double, y: Double, _ g: Geometry) -> (SceneColor, Double) {
        let offset = scene.textureOffset
        let texture = MaterialTexture(noise: noise, contrast: scene.textureContrast)
        let wallBlur = scene.inFrontOfWall ? 0.9 : (scene.closeUp ? 2 : 1.5)
        var blur: Double
        let light = scene.light
        let fromRight = g.fromRight, fromFront = g.fromFront, spotX = g.spotX, spotY = g.spotY, spread = g.spread

        // Wall or floor, and for the sweep a smooth blend of the two.
        let sweepBand = scene.seamlessSweep ? 0.09 : 0.0
        let floorShare = sweepBand > 0 ? smoothstep(g.horizon - sweepBand, g.horizon + sweepBand, y) : (y >= g.horizon ? 1 : 0)

        var wallColor = scene.wallColor, floorColor = scene.floorColor
        if floorShare < 1 {
            wallColor = backdrop(x: x, y: y, g, texture: texture)
            let dx = x - spotX, dy = y - spotY
            var wallLight = 0.8 + 0.3 * exp(-(dx * dx + dy * dy) / (2 * spread * spread))
            if fromFront < 0 {
                // Backlight: a glow on the wall right behind the subject.
                let gx = x - g.centerX, gy = y - (g.horizon - 0.1)
                wallLight += -fromFront * 0.4 * exp(-(gx * gx + gy * gy) / (2 * 0.09))
            }
            wallColor = wallColor.scaled(wallLight)
        }
        if floorShare > 0 {
            let depthBelow = max(1e-4, y - g.horizon + (sweepBand > 0 ? sweepBand : 0))
            let reference = max(1e-3, g.ground - g.horizon + (sweepBand > 0 ? sweepBand : 0))
            let z = reference / depthBelow
            let u = (x - g.centerX) * z + offset.x, v = z * reference / 0.35 + offset.y
            let detail = clamp01(2.2 / z)
            floorColor = floorSurface(u: u, v: v, x: x, y: y, g, detail: detail, texture: texture)
            let dx = x - spotX
            var floorLight = 0.86 + 0.24 * exp(-(dx * dx) / (2 * spread * spread * 1.7))
            let nearness = clamp01((y - g.horizon) / max(0.05, 1 - g.horizon))
            floorLight += fromFront >= 0 ? 0.07 * fromFront * nearness : -fromFront * 0.18 * (1 - nearness)
            floorColor = floorColor.scaled(floorLight)
            blur = z >= 1 ? min(wallBlur, (z - 1) * 0.55) : min(1, (1 - z) * 1.4) * 0.7
        } else {
            blur = 0
        }
        var color = wallColor.mixed(with: floorColor, floorShare)
        blur = floorShare < 1 ? wallBlur + (blur - wallBlur) * floorShare : blur
        if scene.setting.isOutdoor && floorShare < 1 { blur = max(blur, 2 * (1 - floorShare)) }
        var lightFactor = 1.0
        if sweepBand == 0 {
            // Ambient occlusion where wall and floor meet.
            lightFactor *= 1 - 0.12 * exp(-abs(y - g.horizon) / 0.012)
        }

        // Props.
        if let pedestal = g.pedestal, let pedestalColor = self.pedestal(x: x, y: y, pedestal, g, texture: texture, fromRight: fromRight) {
            color = pedestalColor; blur = 0; lightFactor = 1
        }
        if let plant = g.plant, let (plantColor, coverage) = self.plant(x: x, y: y, plant, fromRight: fromRight) {
            color = color.mixed(with: plantColor, coverage)
        }

        // Mood: colour temperature, neon glows, darkness; then the vignette.
        color = color.scaled(lightFactor)
        let tint = SceneColor(light.tint.red, light.tint.green, light.tint.blue)
        color = color.times(SceneColor(1, 1, 1).mixed(with: tint, 0.85))
        switch scene.mood {
        case .dim: color = color.scaled(0.72)
        case .neon:
            // Cyan tubes on the left, magenta on the right, over a darkened scene.
            let left = exp(-pow((x - 0.05 * g.aspect) / (0.35 * g.aspect), 2))
            let right = exp(-pow((x - 0.95 * g.aspect) / (0.35 * g.aspect), 2))
            color = color.scaled(0.45)
            color = SceneColor(color.red + 0.45 * right + 0.05 * left, color.green + 0.05 * right + 0.35 * left,
                               color.blue + 0.4 * right + 0.45 * left)
        case .sunset, .goldenHour:
            let warmth = scene.mood == .sunset ? 0.22 : 0.12
            let side = exp(-pow((x - spotX) / (0.6 * g.aspect), 2))
            color = color.mixed(with: SceneColor(1, 0.62, 0.3).times(color).scaled(1.6), warmth * side)
        default: break
        }
        // The vignette is centred a little towards the light, so the darker corners are the ones facing away from it.
        let vx = (x / g.aspect - 0.5 - 0.12 * fromRight), vy = (y - 0.5 + 0.08 * fromFront)
        color = color.scaled(1 - scene.vignette * (vx * vx + vy * vy) * 1.6)
        return (color, blur)
    }

    /// The backdrop above the horizon: a textured wall, or for outdoor scenes sky, sea and trees.
    func backdrop(x: Double, y: Double, _ g: Geometry, texture: MaterialTexture) -> SceneColor {
        let offset = scene.textureOffset
        switch scene.wallMaterial {
        case .sky:
            var sky = skyColor(x: x, y: y, g)
            if scene.setting == .beach && y > g.seaLine {
                let depth = (y - g.seaLine) / max(0.01, g.horizon - g.seaLine)
                let z = 1 / max(0.02, depth)
                var sea = texture.color(.water, base: SceneColor.hex(0x2F7E9A).mixed(with: scene.wallColor, 0.15),
                                        u: (x - g.centerX) * z * 0.4 + offset.x, v: z * 0.15 + offset.y, detail: clamp01(depth * 2))
                sea = sea.mixed(with: skyColor(x: x, y: g.seaLine - 0.02, g), 0.35 * (1 - depth))
                let foam = smoothstep(0.9, 1, depth)
                sky = sea.mixed(with: SceneColor(0.96, 0.97, 0.96), foam * 0.7)
            }
            return sky
        case .foliage:
            // Trunks: one per jittered column, swaying a little; between them, canopy with sun flecks.
            let columns = 3.2
            let cell = (x * columns + offset.x).rounded(.down)
            let id = Int32(truncatingIfNeeded: Int(cell))
            let centre = cell + 0.2 + 0.6 * noise.unit(id, 0, 17)
            let sway = 0.08 * noise.perlin(y * 2, Double(id))
            let trunkWidth = 0.08 + 0.22 * noise.unit(id, 1, 19)
            let inTrunk = 1 - smoothstep(trunkWidth * 0.7, trunkWidth, abs(x * columns + offset.x - centre - sway))
            let canopy = noise.fbm(x * 4 + offset.x, y * 4 + offset.y, octaves: 4)
            let fleck = smoothstep(0.15, 0.45, canopy) * (1 - y / max(0.1, g.horizon)) * 1.2
            var leaves = scene.wallColor.scaled(0.75 + 0.5 * canopy).mixed(with: SceneColor(0.85, 0.9, 0.55), clamp01(fleck))
            leaves = leaves.mixed(with: scene.wallColor.scaled(0.6), smoothstep(g.horizon - 0.2, g.horizon, y) * 0.5)
            return leaves.mixed(with: SceneColor(0.24, 0.2, 0.16).scaled(0.8 + 0.4 * noise.fbm(x * 30, y * 3, octaves: 2)), inTrunk * 0.9)
        default:
            return texture.color(scene.wallMaterial, base: scene.wallColor, u: x + offset.x, v: y + offset.y, detail: 1)
        }
    }

    func skyColor(x: Double, y: Double, _ g: Geometry) -> SceneColor {
        let horizonLine = scene.setting == .beach ? g.seaLine : g.horizon
        let height = clamp01((horizonLine - y) / max(0.05, horizonLine))
        let (low, high): (SceneColor, SceneColor)
        switch scene.mood {
        case .sunset: (low, high) = (.hex(0xFF9E5E), .hex(0x5B5F97))
        case .goldenHour: (low, high) = (.hex(0xFFD08A), .hex(0x8DB3D9))
        case .dim, .neon: (low, high) = (.hex(0x3C4A6B), .hex(0x111827))
        default: (low, high) = (SceneColor.hex(0xDDEBF5), scene.wallColor.mixed(with: .hex(0x4F8FD0), 0.5))
        }
        var sky = low.mixed(with: high, pow(height, 0.7))
        let clouds = noise.fbm(x * 1.8 + scene.textureOffset.x, y * 5 + scene.textureOffset.y, octaves: 5)
        let cover = smoothstep(0.02, 0.4, clouds) * (0.4 + 0.6 * height)
        let cloudColor = scene.mood == .sunset ? SceneColor(1, 0.8, 0.7) : SceneColor(0.98, 0.98, 1)
        sky = sky.mixed(with: cloudColor.scaled(0.92 + 0.08 * clouds), cover * 0.8)
        return sky
    }

    func floorSurface(u: Double, v: Double, x: Double, y: Double, _ g: Geometry, detail: Double, texture: MaterialTexture) -> SceneColor {
        if scene.setting == .sky && scene.floorMaterial == .paper {
            // A floor of cloud.
            let puffs = noise.fbm(u * 1.5, v * 0.8, octaves: 4)
            return scene.floorColor.scaled(0.9 + 0.15 * puffs).mixed(with: skyColor(x: x, y: g.horizon - 0.05, g), 0.2 * (1 - detail))
        }
        var color = texture.color(scene.floorMaterial, base: scene.floorColor, u: u, v: v, detail: detail)
        if scene.floorMaterial == .water || scene.floorMaterial == .metal || scene.floorMaterial == .marble {
            // Glossy floors mirror a little of the wall near the horizon.
            color = color.mixed(with: scene.wallColor, 0.2 * (1 - detail))
        }
        if let pedestal = g.pedestal {
            // The pedestal's contact shadow on the floor.
            let sx = (x - g.centerX) / (pedestal.radius * 1.5), sy = (y - pedestal.base) / (pedestal.radius * 0.45)
            color = color.scaled(1 - 0.35 * exp(-(sx * sx + sy * sy)))
        }
        return color
    }

    /// A cylinder from the subject's feet down to the floor. Returns the pedestal's colour when the point is on
    /// it; nil elsewhere.
    func pedestal(x: Double, y: Double, _ p: (top: Double, base: Double, radius: Double), _ g: Geometry,
                  texture: MaterialTexture, fromRight: Double) -> SceneColor? {
        let nx = (x - g.centerX) / p.radius
        guard abs(nx) <= 1 else { return nil }
        let rim = (1 - nx * nx).squareRoot() * p.radius * 0.2
        guard y >= p.top - rim, y <= p.base + rim else { return nil }
        let base = scene.floorColor.mixed(with: scene.wallColor, 0.5).mixed(with: SceneColor(1, 1, 1), 0.25)
        var color = texture.color(.plaster, base: base, u: x * 2, v: y * 2, detail: 1)
        let edgeSoftness = smoothstep(1, 0.97, abs(nx))
        if y <= p.top + rim {
            color = color.scaled(1.08)  // the top face catches the light
        } else {
            // Lambert across the curved side, lit from the scene's light.
            let normalZ = (1 - nx * nx).squareRoot()
            color = color.scaled(0.72 + 0.3 * (nx * fromRight * 0.8 + normalZ * 0.55))
        }
        return color.mixed(with: scene.floorColor, 1 - edgeSoftness)
    }

    /// A potted plant's silhouette at the foot of the wall: leaves as soft ellipses fanning from the pot.
    func plant(x: Double, y: Double, _ p: (x: Double, base: Double, height: Double), fromRight: Double) -> (SceneColor, Double)? {
        let potHeight = p.height * 0.18, potWidth = p.height * 0.16
        guard abs(x - p.x) < p.height * 0.7, y <= p.base, y >= p.base - p.height * 1.1 else { return nil }
        let potColor = scene.floorColor.mixed(with: .hex(0xB8735A), 0.6).scaled(0.85)
        if y >= p.base - potHeight {
            let t = (p.base - y) / potHeight
            let halfWidth = potWidth * (0.38 + 0.12 * t)
            let coverage = 1 - smoothstep(halfWidth * 0.96, halfWidth * 1.04, abs(x - p.x))
            if coverage > 0 { return (potColor.scaled(0.9 + 0.15 * (x - p.x) / halfWidth * fromRight), coverage) }
        }
        let stemX = p.x, stemY = p.base - potHeight
        var coverage = 0.0, shade = 0.0
        for leaf in 0..<13 {
            let angle = (-78 + Double(leaf) * 13 + 8 * noise.perlin(Double(leaf), 3.3)) * .pi / 180
            let length = p.height * (0.55 + 0.3 * noise.unit(Int32(leaf), 7, 31))
            let (dx, dy) = (sin(angle), -cos(angle))
            // Point relative to the leaf's middle, in the leaf's own axes.
            let mx = stemX + dx * length * 0.55, my = stemY + dy * length * 0.55
            let along = ((x - mx) * dx + (y - my) * dy) / (length * 0.5)
            let across = ((x - mx) * -dy + (y - my) * dx) / (length * 0.11)
            let r = along * along + across * across
            let inside = 1 - smoothstep(0.85, 1.1, r)
            if inside > coverage { coverage = inside; shade = across * fromRight }
        }
        guard coverage > 0 else { return nil }
        let leafColor = SceneColor(0.2, 0.34, 0.18).scaled(0.85 + 0.25 * shade)
        return (leafColor, coverage * 0.95)
    }
}
