import Foundation
import Imaging
import Vision

/// Draws a subject's shadow from its silhouette alone: no model ships for this, so the shadow is built the
/// way a renderer would cast it from a single area light onto a flat floor.
///
/// - **Contact**: the lowest rows of the silhouette, flattened onto the floor and lightly blurred — the
///   occlusion that is darkest where the subject touches the ground — plus a wider, fainter ambient pool.
/// - **Cast**: the silhouette projected onto the floor plane along the light (a shear whose length grows as the
///   light gets lower, foreshortened because the floor recedes from the camera), with a penumbra that widens
///   and an opacity that fades with the height of the point casting it (the idea of PCSS).
/// - **Flat-lay** (pose 0): seen from above, the subject lies on the surface, so the shadow is the silhouette
///   itself offset along the light and blurred: a drop shadow. Poses in between blend the two.
/// - **Floating**: no contact; a small, soft, flattened shadow below the subject with a gap.
///
/// Input and output are one-band canvas-sized images: the subject's alpha in, the shadow's opacity out.
public enum ShadowCaster {
    /// How much the floor is foreshortened in the picture: a product shot looks at the floor from about 20°
    /// above it, so depth on the floor shows at about a third of its length.
    static let floorForeshortening = 0.35
    /// The longest cast shadow, in subject heights (a light 21° above the floor).
    static let maximumShadowLength = 2.6

    public static func render(subjectAlpha lazyAlpha: Image, style: ShadowStyle) throws -> Image? {
        // Read several times below: compute the subject's lazy pipeline once.
        let alpha = try lazyAlpha.materialized()
        guard alpha.bands == 1, let box = try alpha.boundingBox(above: 127) else { return nil }
        let pixels = try alpha.pixels()
        guard let floor = FloorLine.find(alpha: pixels, width: alpha.width, height: alpha.height) else { return nil }
        let geometry = Geometry(box: box, floor: floor, width: alpha.width, height: alpha.height)
        var layers: [(opacity: [Float], weight: Double)] = []
        switch style.kind {
        case .floating:
            layers.append((try floating(alpha, geometry, style), 1))
        case .grounded:
            let upright = min(1, max(0, (style.pose - 10) / 70))
            if upright > 0 {
                layers.append((try cast(pixels, geometry, style), upright))
                layers.append((try contact(pixels, geometry, style), upright))
            }
            if upright < 1 { layers.append((try dropShadow(alpha, geometry, style), 1 - upright)) }
        }
        // Layers darken independently: opacity = 1 − Π(1 − weight × layer).
        var clear = [Float](repeating: 1, count: alpha.pixelCount)
        for (opacity, weight) in layers {
            let w = Float(weight)
            for i in clear.indices { clear[i] *= 1 - w * opacity[i] }
        }
        let bytes = clear.map { UInt8(max(0, min(255, ((1 - $0) * 255).rounded()))) }
        return try Image(pixels: bytes, width: alpha.width, height: alpha.height, bands: 1)
    }

    /// Where the subject stands on the canvas.
    struct Geometry {
        let width: Int, height: Int
        /// The floor under the subject (see `FloorLine`).
        let floor: FloorLine
        /// The subject's lowest row, top row and middle column.
        let bottom: Double, top: Double, centreX: Double
        /// Subject height above the floor at its middle, and its larger side, in pixels.
        let subjectHeight: Double, size: Double

        init(box: PixelRect, floor: FloorLine, width: Int, height: Int) {
            self.width = width
            self.height = height
            self.floor = floor
            bottom = Double(box.y + box.height)
            top = Double(box.y)
            centreX = Double(box.x) + Double(box.width) / 2
            subjectHeight = max(1, floor.y(atX: centreX) - top)
            size = Double(max(box.width, box.height))
        }

        var canvas: PixelRect { PixelRect(x: 0, y: 0, width: width, height: height) }
    }

    /// A Gaussian blur whose cost does not grow with sigma: wide blurs run on a copy shrunk so that sigma is
    /// 2.5 px there, then enlarged back. A shadow's wide penumbra has no detail that the shrinking could lose.
    static func blur(_ image: Image, sigma: Double) throws -> Image {
        guard sigma > 5 else { return try image.blurred(sigma: max(0.4, sigma)) }
        let factor = sigma / 2.5
        let small = try image.resized(horizontal: 1 / factor, vertical: 1 / factor, kernel: .linear)
        return try small.blurred(sigma: 2.5).resized(width: image.width, height: image.height, kernel: .linear)
    }

    /// The floor direction of the shadow in the picture (x right, y down): behind is up, front is down.
    static func floorVector(_ direction: Double) -> (dx: Double, dy: Double) {
        SceneLight(azimuth: direction, elevation: 45, softness: 0).shadowVector
    }

    // MARK: - Cast shadow

    static func cast(_ alpha: [UInt8], _ g: Geometry, _ style: ShadowStyle) throws -> [Float] {
        let elevation = max(5, min(90, style.elevation)) * .pi / 180
        let length = min(maximumShadowLength, cos(elevation) / sin(elevation)) * sin(style.pose * .pi / 180)
        let (dx, dy) = floorVector(style.direction)
        // Per unit of height h above the floor, the shadow moves `across` columns and `down` rows:
        //   x' = x + h·across,  y' = floor(x) + h·down,  h = floor(x) − y.
        let across = length * dx
        let down = length * floorForeshortening * dy
        let (projected, distance) = project(alpha, g, across: across, down: down)
        // The penumbra widens with the distance from the contact to the point that casts it (the height of
        // that point × the shadow's length), in proportion to the light's size; opacity fades the same way.
        let contactSigma = g.size * (0.002 + 0.008 * style.softness)
        let farSigma = contactSigma + g.subjectHeight * max(0.25, length) * (0.015 + 0.11 * style.softness)
        let strength = style.intensity * (0.55 + 0.25 * (1 - style.softness))
        return try variableBlur(projected, distance: distance, g, contactSigma: contactSigma, farSigma: farSigma, opacity: strength)
    }

    /// The silhouette projected onto the floor along the light, and for each shadow pixel the height of the
    /// point casting it (0 = contact … 1 = the subject's top). Each floor piece is a straight line, so on it
    /// the projection is affine; every output pixel is traced back through each piece's inverse and sampled
    /// bilinearly where the trace lands on that piece.
    static func project(_ alpha: [UInt8], _ g: Geometry, across: Double, down rawDown: Double) -> (alpha: [UInt8], distance: [Float]) {
        struct Piece { let from, to, a, b, c, d, e, f, det, intercept, slope: Double }
        let pieces: [Piece] = g.floor.pieces.map { piece in
            let m = piece.slope, p = piece.intercept
            // A shadow straight to the side still has some depth on the floor, so the map never flattens.
            var down = rawDown
            let minimumDepth = 0.04
            if abs(down - m * across) < minimumDepth { down = m * across + (rawDown > 0 ? minimumDepth : -minimumDepth) }
            let a = 1 + m * across, b = -across, c = m * (1 + down), d = -down
            return Piece(from: piece.from, to: piece.to, a: a, b: b, c: c, d: d, e: p * across, f: p * (1 + down),
                         det: a * d - b * c, intercept: p, slope: m)
        }
        let width = g.width, height = g.height, subjectHeight = g.subjectHeight
        var outAlpha = [UInt8](repeating: 0, count: width * height)
        var outDistance = [Float](repeating: 0, count: width * height)
        outAlpha.withUnsafeMutableBufferPointer { alphaBuffer in
            outDistance.withUnsafeMutableBufferPointer { distanceBuffer in
                let alphaOut = alphaBuffer, distanceOut = distanceBuffer
                RowParallel.forEach(height) { rows in
                    for y in rows {
                        let py = Double(y) + 0.5
                        for x in 0..<width {
                            let px = Double(x) + 0.5
                            var best: Double = 0, bestDistance: Double = 0
                            for piece in pieces {
                                let sx = (piece.d * (px - piece.e) - piece.b * (py - piece.f)) / piece.det
                                guard sx >= piece.from - 1, sx <= piece.to + 1 else { continue }
                                let sy = (piece.a * (py - piece.f) - piece.c * (px - piece.e)) / piece.det
                                let value = bilinear(alpha, width: width, height: height, x: sx - 0.5, y: sy - 0.5)
                                if value > best {
                                    best = value
                                    bestDistance = (piece.intercept + piece.slope * sx - sy) / subjectHeight
                                }
                            }
                            if best > 0 {
                                alphaOut[y * width + x] = UInt8(min(255, best.rounded()))
                                distanceOut[y * width + x] = Float(max(0, min(1, bestDistance)))
                            }
                        }
                    }
                }
            }
        }
        return (outAlpha, outDistance)
    }

    static func bilinear(_ plane: [UInt8], width: Int, height: Int, x: Double, y: Double) -> Double {
        guard x > -1, y > -1, x < Double(width), y < Double(height) else { return 0 }
        let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
        let fx = x - Double(x0), fy = y - Double(y0)
        func at(_ xx: Int, _ yy: Int) -> Double {
            xx >= 0 && yy >= 0 && xx < width && yy < height ? Double(plane[yy * width + xx]) : 0
        }
        return (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy
    }

    /// Blurs `alpha` by a sigma that grows from `contactSigma` to `farSigma` with the distance along the shadow
    /// (0 = at the contact … 1 = the far end), blending per pixel the two nearest of a few blur levels, and
    /// fades its opacity from `opacity` to 30 % of it along the same distance. Where the blur reaches past the
    /// shadow, the distance is the blurred distance of the shadow pixels nearby.
    static func variableBlur(_ alpha: [UInt8], distance: [Float], _ g: Geometry, contactSigma: Double, farSigma: Double,
                             opacity: Double) throws -> [Float] {
        let image = try Image(pixels: alpha, width: g.width, height: g.height, bands: 1)
        let low = max(0.4, contactSigma), high = max(low * 1.01, farSigma)
        let levelCount = max(2, min(6, Int((log(high / low) / log(2)).rounded(.up)) + 1))
        var sigmas: [Double] = []
        var planes: [[UInt8]] = []
        for k in 0..<levelCount {
            let sigma = low * pow(high / low, Double(k) / Double(levelCount - 1))
            sigmas.append(sigma)
            planes.append(try blur(image, sigma: sigma).pixels())
        }
        // Distance spread like the shadow itself: blur(distance × alpha) / blur(alpha).
        let weighted = zip(distance, alpha).map { UInt8(min(255, ($0 * Float($1)).rounded())) }
        let spreadSigma = (low * high).squareRoot()
        let spreadWeighted = try blur(Image(pixels: weighted, width: g.width, height: g.height, bands: 1), sigma: spreadSigma).pixels()
        let spreadAlpha = try blur(image, sigma: spreadSigma).pixels()
        let width = g.width
        var out = [Float](repeating: 0, count: g.width * g.height)
        out.withUnsafeMutableBufferPointer { buffer in
            let output = buffer
            RowParallel.forEach(g.height) { range in
                for y in range {
                    for x in 0..<width {
                        let i = y * width + x
                        guard planes[levelCount - 1][i] > 0 || planes[0][i] > 0 else { continue }
                        let t = alpha[i] > 0 ? Double(distance[i])
                            : spreadAlpha[i] > 0 ? min(1, Double(spreadWeighted[i]) / Double(spreadAlpha[i])) : 1
                        let sigma = low + (high - low) * t
                        var k = 0
                        while k < levelCount - 2 && sigmas[k + 1] < sigma { k += 1 }
                        let w = Float(max(0, min(1, (sigma - sigmas[k]) / (sigmas[k + 1] - sigmas[k]))))
                        let value = Float(planes[k][i]) * (1 - w) + Float(planes[k + 1][i]) * w
                        output[i] = value / 255 * Float(opacity * (1 - 0.7 * t))
                    }
                }
            }
        }
        return out
    }

    // MARK: - Contact shadow

    static func contact(_ alpha: [UInt8], _ g: Geometry, _ style: ShadowStyle) throws -> [Float] {
        let tight = try flattenedBase(alpha, g, bandShare: 0.05, squash: 0.25, sigma: g.size * (0.003 + 0.01 * style.softness))
        let pool = try flattenedBase(alpha, g, bandShare: 0.15, squash: 0.22, sigma: g.size * (0.015 + 0.03 * style.softness))
        let tightOpacity = Float(min(1, 0.25 + 1.0 * style.intensity)), poolOpacity = Float(0.1 + 0.35 * style.intensity)
        var out = [Float](repeating: 0, count: tight.count)
        for i in out.indices {
            let a = Float(tight[i]) / 255 * tightOpacity, b = Float(pool[i]) / 255 * poolOpacity
            out[i] = 1 - (1 - a) * (1 - b)
        }
        return out
    }

    /// The part of the silhouette within `bandShare` of the subject's height above the floor line, squashed
    /// onto that line (and a hair below it, where the occlusion shows past the subject's edge), then blurred.
    static func flattenedBase(_ alpha: [UInt8], _ g: Geometry, bandShare: Double, squash: Double, sigma: Double) throws -> [UInt8] {
        let band = max(2, g.subjectHeight * bandShare)
        let drop = max(1, g.size * 0.004)
        var flattened = [UInt8](repeating: 0, count: alpha.count)
        // y' = floor(x) + drop + (y − floor(x))·squash. Squashing only merges rows, so a forward map leaves no
        // holes; where rows merge the most opaque wins.
        for x in 0..<g.width {
            let floor = g.floor.y(atX: Double(x) + 0.5)
            let first = max(0, Int((floor - band).rounded(.up)))
            guard first < g.height else { continue }
            for y in first..<g.height {
                let value = alpha[y * g.width + x]
                guard value > 0 else { continue }
                let target = Int((floor + drop + (Double(y) + 0.5 - floor) * squash).rounded(.down))
                guard target >= 0, target < g.height else { continue }
                let i = target * g.width + x
                if value > flattened[i] { flattened[i] = value }
            }
        }
        let image = try Image(pixels: flattened, width: g.width, height: g.height, bands: 1)
        return try blur(image, sigma: max(0.5, sigma)).pixels()
    }

    // MARK: - Flat-lay and floating

    static func dropShadow(_ alpha: Image, _ g: Geometry, _ style: ShadowStyle) throws -> [Float] {
        let (dx, dy) = floorVector(style.direction)
        let elevation = max(5, min(90, style.elevation)) * .pi / 180
        // The subject lies a little above the surface (its thickness): the offset grows as the light lowers.
        let offset = g.size * (0.006 + 0.02 * min(2.5, cos(elevation) / sin(elevation)))
        let shifted = try alpha.affine(a: 1, b: 0, c: 0, d: 1, dx: dx * offset, dy: dy * offset, output: g.canvas, background: .transparent)
        let blurred = try blur(shifted, sigma: g.size * (0.006 + 0.03 * style.softness)).pixels()
        let opacity = Float(style.intensity * 0.75) / 255
        return blurred.map { Float($0) * opacity }
    }

    static func floating(_ alpha: Image, _ g: Geometry, _ style: ShadowStyle) throws -> [Float] {
        let squash = 0.12, narrow = 0.85
        let shadowHeight = g.subjectHeight * squash
        let room = Double(g.height) - g.bottom - shadowHeight
        let gap = max(0, min(g.subjectHeight * 0.12, room - g.subjectHeight * 0.02))
        let shadowBottom = g.bottom + gap + shadowHeight
        let (dx, _) = floorVector(style.direction)
        let centre = g.centreX + dx * g.subjectHeight * 0.05
        // x' = centre + (x − centreX)·narrow, y' = shadowBottom + (y − floor)·squash
        let flattened = try alpha.affine(a: narrow, b: 0, c: 0, d: squash, dx: centre - g.centreX * narrow,
                                         dy: shadowBottom - g.bottom * squash, output: g.canvas, background: .transparent)
        let blurred = try blur(flattened, sigma: g.size * (0.02 + 0.03 * style.softness)).pixels()
        let opacity = Float(style.intensity * 0.85) / 255
        return blurred.map { Float($0) * opacity }
    }
}
