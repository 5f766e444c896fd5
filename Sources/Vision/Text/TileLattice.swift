import Foundation

/// A lattice of tiles (two spacing vectors, in work pixels as (x, y)) and the fold that maps every pixel to its
/// place inside one tile: its cell, and which tile (instance) of the lattice it lies in.
struct TileLattice {
    var first: SIMD2<Double>, second: SIMD2<Double>

    /// Cell of every pixel (its position inside a tile, quantised to about a pixel), its tile, and the
    /// checkerboard parity of that tile (which splits the tiles into two halves that share no tile).
    struct Fold {
        let cellCount: Int
        let cell: [Int32]
        let tile: [Int32]
        let parity: [Bool]
    }

    func fold(width: Int, height: Int) -> Fold? {
        let determinant = first.x * second.y - second.x * first.y
        guard abs(determinant) > 1 else { return nil }
        let n1 = max(1, Int((first * first).sum().squareRoot())), n2 = max(1, Int((second * second).sum().squareRoot()))
        var cell = [Int32](repeating: 0, count: width * height), tile = cell
        var parity = [Bool](repeating: false, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                // Lattice coordinates (u, v) with (x, y) = u·first + v·second.
                let u = (Double(x) * second.y - Double(y) * second.x) / determinant
                let v = (Double(y) * first.x - Double(x) * first.y) / determinant
                let fu = u.rounded(.down), fv = v.rounded(.down)
                let i = min(n1 - 1, Int((u - fu) * Double(n1))), j = min(n2 - 1, Int((v - fv) * Double(n2)))
                let p = y * width + x
                cell[p] = Int32(i * n2 + j)
                tile[p] = Int32((Int(fu) + 512) * 1024 + Int(fv) + 512)
                parity[p] = (Int(fu) + Int(fv)) & 1 == 0
            }
        }
        return Fold(cellCount: n1 * n2, cell: cell, tile: tile, parity: parity)
    }

    /// The median of `values` per cell over the pixels of one parity (nil: all pixels); NaN where a cell has none.
    static func medians(_ values: [Float], fold: Fold, parity: Bool?) -> [Float] {
        var offsets = [Int](repeating: 0, count: fold.cellCount + 1)
        for p in values.indices where parity == nil || fold.parity[p] == parity { offsets[Int(fold.cell[p]) + 1] += 1 }
        for c in 1..<offsets.count { offsets[c] += offsets[c - 1] }
        var next = offsets, grouped = [Float](repeating: 0, count: offsets[fold.cellCount])
        for p in values.indices where parity == nil || fold.parity[p] == parity {
            let c = Int(fold.cell[p])
            grouped[next[c]] = values[p]; next[c] += 1
        }
        var out = [Float](repeating: .nan, count: fold.cellCount)
        grouped.withUnsafeMutableBufferPointer { g in
            for c in 0..<fold.cellCount where offsets[c + 1] > offsets[c] {
                // A cell holds about one value per tile, a handful: insertion sort in place.
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
        guard let fold = fold(width: width, height: height) else { return 0 }
        let a = Self.medians(values, fold: fold, parity: true), b = Self.medians(values, fold: fold, parity: false)
        let shared = a.indices.filter { !a[$0].isNaN && !b[$0].isNaN }
        return shared.count > 10 ? Self.correlation(shared.map { a[$0] }, shared.map { b[$0] }) : 0
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
