import Foundation

/// A lattice of tiles (two spacing vectors, in work pixels as (x, y)) and the fold that maps every pixel to its
/// place inside one tile: its cell, and which tile (instance) of the lattice it lies in.
struct TileLattice {
    var first: SIMD2<Double>, second: SIMD2<Double>

    /// Cell of every pixel (its position inside a tile, quantised to about a pixel) and its tile.
    struct Fold {
        let cellCount: Int
        let cell: [Int32]
        let tile: [Int32]
    }

    /// The cell grid: the lattice's determinant and n1 × n2 cells per tile (about a pixel each); nil for a
    /// degenerate lattice.
    private var grid: (determinant: Double, n1: Int, n2: Int)? {
        let determinant = first.x * second.y - second.x * first.y
        guard abs(determinant) > 1 else { return nil }
        return (determinant, max(1, Int((first * first).sum().squareRoot())), max(1, Int((second * second).sum().squareRoot())))
    }

    /// Where pixel (x, y) lies: its cell (i · n2 + j) and its tile, the whole parts of its lattice coordinates
    /// (u, v), with (x, y) = u·first + v·second.
    @inline(__always)
    private func place(x: Int, y: Int, in grid: (determinant: Double, n1: Int, n2: Int)) -> (cell: Int, u: Int, v: Int) {
        let u = (Double(x) * second.y - Double(y) * second.x) / grid.determinant
        let v = (Double(y) * first.x - Double(x) * first.y) / grid.determinant
        let fu = u.rounded(.down), fv = v.rounded(.down)
        let i = min(grid.n1 - 1, Int((u - fu) * Double(grid.n1))), j = min(grid.n2 - 1, Int((v - fv) * Double(grid.n2)))
        return (i * grid.n2 + j, Int(fu), Int(fv))
    }

    func fold(width: Int, height: Int) -> Fold? {
        guard let grid else { return nil }
        var cell = [Int32](repeating: 0, count: width * height), tile = cell
        for y in 0..<height {
            for x in 0..<width {
                let place = place(x: x, y: y, in: grid), p = y * width + x
                cell[p] = Int32(place.cell)
                tile[p] = Int32((place.u + 512) * 1024 + place.v + 512)
            }
        }
        return Fold(cellCount: grid.n1 * grid.n2, cell: cell, tile: tile)
    }

    /// The median of `values` per cell; NaN where a cell has none.
    static func medians(_ values: [Float], fold: Fold) -> [Float] {
        groupMedians(values, groups: fold.cell, groupCount: fold.cellCount)
    }

    /// The median of `values` per group (`groups[p]` in 0..<`groupCount`); NaN where a group has none.
    static func groupMedians(_ values: [Float], groups: [Int32], groupCount: Int) -> [Float] {
        var offsets = [Int](repeating: 0, count: groupCount + 1)
        for g in groups { offsets[Int(g) + 1] += 1 }
        for c in 1..<offsets.count { offsets[c] += offsets[c - 1] }
        var next = offsets, grouped = [Float](repeating: 0, count: offsets[groupCount])
        for p in values.indices {
            let c = Int(groups[p])
            grouped[next[c]] = values[p]; next[c] += 1
        }
        var out = [Float](repeating: .nan, count: groupCount)
        grouped.withUnsafeMutableBufferPointer { g in
            for c in 0..<groupCount where offsets[c + 1] > offsets[c] {
                // A group holds about one value per tile, a handful: insertion sort in place.
                let low = offsets[c], high = offsets[c + 1]
                for i in (low + 1)..<max(low + 1, high) {
                    let v = g[i]
                    var j = i - 1
                    while j >= low && g[j] > v { g[j + 1] = g[j]; j -= 1 }
                    g[j + 1] = v
                }
                let n = high - low, mid = low + n / 2
                out[c] = n % 2 == 1 ? g[mid] : (g[mid - 1] + g[mid]) / 2
            }
        }
        return out
    }

    /// How well the template of one half of the tiles predicts that of the other half: the correlation of
    /// their per-cell medians. A pattern repeated on the lattice gives the same template from both halves;
    /// photo content differs from tile to tile and gives two unrelated ones.
    func consistency(of values: [Float], width: Int, height: Int) -> Double {
        guard let halves = halfCells(width: width, height: height) else { return 0 }
        // The search scores dozens of lattices per photo, so both halves' medians come from one grouping by
        // (cell, parity) rather than from the whole `Fold` and a `medians` pass per half.
        let both = Self.groupMedians(values, groups: halves.keys, groupCount: 2 * halves.cellCount)
        var a: [Float] = [], b: [Float] = []
        for c in 0..<halves.cellCount where !both[2 * c].isNaN && !both[2 * c + 1].isNaN {
            a.append(both[2 * c]); b.append(both[2 * c + 1])
        }
        return a.count > 10 ? Self.correlation(a, b) : 0
    }

    /// Every pixel's cell and the checkerboard parity of its tile (which splits the tiles into two halves that
    /// share no tile) as one key, 2 · cell + (0 for the even tiles, 1 for the odd); the cells are `fold`'s.
    func halfCells(width: Int, height: Int) -> (cellCount: Int, keys: [Int32])? {
        guard let grid else { return nil }
        var keys = [Int32](repeating: 0, count: width * height)
        keys.withUnsafeMutableBufferPointer { keys in
            for y in 0..<height {
                for x in 0..<width {
                    let place = place(x: x, y: y, in: grid)
                    keys[y * width + x] = Int32(2 * place.cell + ((place.u + place.v) & 1))
                }
            }
        }
        return (grid.n1 * grid.n2, keys)
    }

    /// Pearson's correlation of two equally long series (0 when either is constant).
    static func correlation(_ a: [Float], _ b: [Float]) -> Double {
        let n = Double(a.count)
        guard n > 1 else { return 0 }
        var sa = 0.0, sb = 0.0, saa = 0.0, sbb = 0.0, sab = 0.0
        for i in a.indices {
            let x = Double(a[i]), y = Double(b[i])
            sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y
        }
        let va = saa - sa * sa / n, vb = sbb - sb * sb / n
        return va > 0 && vb > 0 ? (sab - sa * sb / n) / (va * vb).squareRoot() : 0
    }

    /// The same lattice with its shortest basis (Gauss's reduction), so that a lattice is not mistaken for a
    /// coarser one that skips every other tile.
    func reduced() -> TileLattice {
        var a = first, b = second
        for _ in 0..<32 {
            if (a * a).sum() > (b * b).sum() { swap(&a, &b) }
            let m = ((a * b).sum() / (a * a).sum()).rounded()
            if m == 0 { break }
            b -= m * a
        }
        return TileLattice(first: a, second: b)
    }

    var area: Double { abs(first.x * second.y - second.x * first.y) }
    var shortestSpacing: Double { min((first * first).sum(), (second * second).sum()).squareRoot() }
}
