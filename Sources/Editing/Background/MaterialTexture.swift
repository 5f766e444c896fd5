import Foundation

/// The procedural look of each material: a function of surface coordinates (`u` across, `v` along; one
/// unit is about one canvas height at the subject's distance) that returns the surface colour before light.
/// `detail` (0…1) fades fine structure out where the floor recedes, so distant texture does not alias.
struct MaterialTexture {
    let noise: Noise
    let contrast: Double

    func color(_ material: Material, base: SceneColor, u: Double, v: Double, detail: Double) -> SceneColor {
        let k = contrast
        switch material {
        case .plaster:
            let broad = noise.fbm(u * 2.5, v * 2.5, octaves: 3)
            let fine = detail * noise.perlin(u * 60, v * 60)
            return base.scaled(1 + k * (0.035 * broad + 0.012 * fine))
        case .paper:
            let broad = noise.fbm(u * 1.5, v * 1.5, octaves: 2)
            let fibre = detail * noise.perlin(u * 140, v * 40)
            return base.scaled(1 + k * (0.02 * broad + 0.012 * fibre))
        case .marble:
            return marble(base, u, v, detail)
        case .wood, .oak, .walnut:
            return wood(base, u, v, detail, darkGrain: material == .walnut)
        case .concrete:
            let broad = noise.fbm(u * 3, v * 3, octaves: 5)
            let pores = detail * max(0, noise.perlin(u * 90, v * 90) - 0.35) * 2.2
            return base.scaled(1 + k * (0.11 * broad - 0.18 * pores))
        case .linen:
            // Over-and-under threads: two crossed sine waves, with slubs (thicker stretches) along the weft.
            let warp = sin(u * 700), weft = sin(v * 700)
            let weave = detail * 0.5 * (warp * (weft > 0 ? 1 : -1) + weft * (warp > 0 ? -1 : 1)) * 0.5
            let slub = noise.fbm(u * 3, v * 45, octaves: 2)
            return base.scaled(1 + k * (0.05 * weave + 0.05 * slub + 0.03 * noise.fbm(u * 2, v * 2, octaves: 2)))
        case .velvet:
            // Pile that catches the light in soft, broad patches.
            // Deep pile: darker than the named colour, with broad highlights where it catches the light.
            let sheen = noise.fbm(u * 1.6, v * 1.6, octaves: 3)
            let pile = base.scaled(0.72)
            return pile.scaled(1 + k * 0.3 * sheen).mixed(with: base.mixed(with: SceneColor(1, 1, 1), 0.25), k * 0.5 * max(0, sheen))
        case .sand:
            let dunes = noise.fbm(u * 2, v * 2, octaves: 4)
            let ripples = sin(v * 55 + u * 6 + 5 * noise.fbm(u * 1.5, v * 1.5, octaves: 2))
            let grain = detail * noise.perlin(u * 260, v * 260)
            return base.scaled(1 + k * (0.07 * dunes + 0.035 * ripples * detail + 0.05 * grain))
        case .water:
            let warp = noise.fbm(u * 2, v * 2, octaves: 3)
            let ripple = sin(v * 45 + u * 4 + warp * 7)
            let glint = pow(max(0, ripple), 24) * detail
            return base.scaled(1 + k * 0.12 * ripple).mixed(with: SceneColor(1, 1, 1), min(1, k * 0.55 * glint))
        case .grass:
            let blades = noise.fbm(u * 60, v * 45, octaves: 2) * detail
            let patches = noise.fbm(u * 2.5, v * 2.5, octaves: 3)
            let dry = SceneColor(0.62, 0.6, 0.3)
            return base.scaled(1 + k * (0.3 * blades + 0.12 * patches)).mixed(with: dry, k * clamp01(0.25 + patches))
        case .terrazzo:
            return terrazzo(base, u, v, detail)
        case .stone:
            let broad = noise.fbm(u * 2.2, v * 2.2, octaves: 5)
            let slab = grid(u, v, size: 0.55, line: 0.004)
            return base.scaled((1 + k * (0.13 * broad)) * (1 - k * 0.18 * slab * detail))
        case .tiles:
            // Subway tiles: twice as wide as high, every other row shifted, light grout.
            let rowHeight = 0.06, tileWidth = 0.12
            let row = (v / rowHeight).rounded(.down)
            let shifted = u + (Int(row) & 1 == 0 ? 0 : tileWidth / 2)
            let column = (shifted / tileWidth).rounded(.down)
            let line = max(edge(v / rowHeight - row, rowHeight, 0.003), edge(shifted / tileWidth - column, tileWidth, 0.003))
            let tile = noise.unit(Int32(truncatingIfNeeded: Int(column)), Int32(truncatingIfNeeded: Int(row)), 5)
            // Glaze: each tile a touch different, with a soft highlight along its top edge.
            let highlight = 1 - smoothstep(0, 0.35, v / rowHeight - row)
            let glaze = base.scaled(1 + k * (0.035 * (tile - 0.5) + 0.025 * highlight + 0.008 * noise.perlin(u * 20, v * 20)))
            return glaze.mixed(with: base.scaled(0.86), k * line * detail)
        case .brick:
            let rowHeight = 0.055, brickWidth = 0.17
            let row = (v / rowHeight).rounded(.down)
            let shifted = u + (Int(row) & 1 == 0 ? 0 : brickWidth / 2)
            let column = (shifted / brickWidth).rounded(.down)
            let mortar = max(edge(v / rowHeight - row, rowHeight, 0.005), edge(shifted / brickWidth - column, brickWidth, 0.005))
            let tone = noise.unit(Int32(truncatingIfNeeded: Int(column)), Int32(truncatingIfNeeded: Int(row)), 9)
            let brick = base.scaled(0.85 + 0.3 * tone).scaled(1 + 0.06 * noise.fbm(u * 30, v * 30, octaves: 2))
            return brick.mixed(with: SceneColor(0.78, 0.75, 0.7), mortar * detail)
        case .metal:
            // Brushed: long streaks along u, and a broad reflection band.
            let streak = noise.fbm(u * 1.5, v * 300, octaves: 2) * detail
            let band = sin(u * 2.2 + v * 0.8 + 3 * noise.fbm(u * 0.5, v * 0.5, octaves: 2))
            return base.scaled(1 + k * (0.07 * streak + 0.12 * band))
        case .sky, .foliage:
            // Drawn by the renderer as whole backdrops; as a surface they are their plain colour.
            return base
        }
    }

    private func marble(_ base: SceneColor, _ u: Double, _ v: Double, _ detail: Double) -> SceneColor {
        let warp = noise.fbm(u * 2.2, v * 2.2, octaves: 4)
        // Veins: where a warped diagonal sine crosses zero; a second, finer set at another angle.
        let main = 1 - abs(sin((u * 1.1 + v * 0.7) * 5 + warp * 7))
        let fine = 1 - abs(sin((u * -0.6 + v * 1.3) * 11 + warp * 9 + 1.7))
        // Soft, wide main veins with a thin core, and faint hairlines: marble's veins are diffuse, not cracks.
        let vein = pow(main, 6) * 0.4 + pow(main, 40) * 0.2 + pow(fine, 50) * 0.15 * detail
        let cloud = noise.fbm(u * 1.3 + 4, v * 1.3, octaves: 3)
        let veinColor = base.luminance > 0.5 ? base.scaled(0.68).desaturated(0.5) : base.mixed(with: SceneColor(0.92, 0.9, 0.86), 0.6)
        return base.scaled(1 + contrast * 0.04 * cloud).mixed(with: veinColor, clamp01(contrast * vein))
    }

    private func wood(_ base: SceneColor, _ u: Double, _ v: Double, _ detail: Double, darkGrain: Bool) -> SceneColor {
        // Boards run across the picture (along u); each board has its own tone and its own ring pattern.
        let boardWidth = 0.16
        let board = (v / boardWidth).rounded(.down)
        let id = Int32(truncatingIfNeeded: Int(board))
        let boardTone = noise.unit(0, id, 3) - 0.5
        let local = v - board * boardWidth
        let rings = sin((local * 90 + noise.fbm(u * 1.2 + Double(id) * 7, local * 8, octaves: 4) * 6 + noise.unit(1, id, 4) * 40))
        let fine = detail * noise.perlin(u * 8, v * 400)
        let seam = edge(v / boardWidth - board, boardWidth, 0.0025) * detail
        let grain = contrast * (0.07 * rings + 0.05 * fine + 0.08 * boardTone) * (darkGrain ? 1.3 : 1)
        return base.scaled((1 + grain) * (1 - 0.35 * seam * contrast))
    }

    private func terrazzo(_ base: SceneColor, _ u: Double, _ v: Double, _ detail: Double) -> SceneColor {
        let scale = 60.0
        let cell = noise.cellular(u * scale, v * scale)
        let chips: [SceneColor] = [.hex(0x2F2F2F), .hex(0x9A9490), .hex(0xC8654B), .hex(0xFFFFFF), .hex(0xB9B09F), .hex(0x6F7C6A)]
        let chipSize = 0.12 + 0.16 * Double(cell.id % 7) / 7
        let inChip = (1 - smoothstep(chipSize - 0.03, chipSize + 0.03, cell.distance)) * detail
        let ground = base.scaled(1 + 0.03 * noise.fbm(u * 4, v * 4, octaves: 3))
        return ground.mixed(with: chips[Int(cell.id >> 3) % chips.count], clamp01(0.8 * contrast * inChip * (cell.id % 3 == 0 ? 0 : 1)))
    }

    /// 1 on the grout lines of a square grid of `size`, 0 inside the tiles.
    private func grid(_ u: Double, _ v: Double, size: Double, line: Double) -> Double {
        let fu = u / size - (u / size).rounded(.down), fv = v / size - (v / size).rounded(.down)
        return max(edge(fu, size, line), edge(fv, size, line))
    }

    /// 1 within `line` (in units) of either end of a cell whose fractional position is `fraction`.
    private func edge(_ fraction: Double, _ size: Double, _ line: Double) -> Double {
        let distance = min(fraction, 1 - fraction) * size
        return 1 - smoothstep(line * 0.5, line * 1.5, distance)
    }
}
