import Kernels

/// Keys (after RoPE, at the absolute positions they were computed for) and values of every
/// layer, [capacity, kvDim] each; rows [0, length) are valid. Grown on demand, never shrunk.
final class KVCache {
    let layerCount: Int
    let kvDim: Int
    private(set) var capacity = 0
    var length = 0
    private var keys: [UnsafeMutablePointer<Float>] = []    // per layer, [capacity, kvDim]
    private var values: [UnsafeMutablePointer<Float>] = []  // per layer, [capacity, kvDim]

    init(layerCount: Int, kvDim: Int) {
        self.layerCount = layerCount
        self.kvDim = kvDim
    }

    deinit {
        keys.forEach { $0.deallocate() }
        values.forEach { $0.deallocate() }
    }

    /// Makes room for `rows` rows, keeping the first `length`.
    func reserve(_ rows: Int) {
        guard rows > capacity else { return }
        let newCapacity = max(rows, capacity * 3 / 2, 64)
        func grow(_ old: [UnsafeMutablePointer<Float>]) -> [UnsafeMutablePointer<Float>] {
            (0..<layerCount).map { l in
                let fresh = UnsafeMutablePointer<Float>.allocate(capacity: newCapacity * kvDim)
                if l < old.count {
                    fresh.update(from: old[l], count: length * kvDim)
                    old[l].deallocate()
                }
                return fresh
            }
        }
        keys = grow(keys)
        values = grow(values)
        capacity = newCapacity
    }

    func keys(layer: Int, rows: Range<Int>) -> ConstMatrixView {
        ConstMatrixView(keys[layer] + rows.lowerBound * kvDim, rows: rows.count, columns: kvDim)
    }

    func values(layer: Int, rows: Range<Int>) -> ConstMatrixView {
        ConstMatrixView(values[layer] + rows.lowerBound * kvDim, rows: rows.count, columns: kvDim)
    }

    /// Copies `k` and `v` ([n, kvDim]) into rows [row, row + n) of `layer` (within capacity).
    func write(layer: Int, at row: Int, keys k: ConstMatrixView, values v: ConstMatrixView) {
        precondition(row + k.rows <= capacity, "KV cache write beyond capacity")
        for r in 0..<k.rows {
            (keys[layer] + (row + r) * kvDim).update(from: k.row(r), count: kvDim)
            (values[layer] + (row + r) * kvDim).update(from: v.row(r), count: kvDim)
        }
    }
}

/// Work buffers of the forward pass, allocated once per model and grown on demand.
final class Workspace {
    private(set) var rows = 0, keyCapacity = 0
    let hidden: Int, kvDim: Int, intermediate: Int
    private(set) var x: UnsafeMutablePointer<Float>      // [rows, d] residual stream
    private(set) var h: UnsafeMutablePointer<Float>      // [rows, d] normed input / attention output
    private(set) var q: UnsafeMutablePointer<Float>      // [rows, d]
    private(set) var k: UnsafeMutablePointer<Float>      // [rows, kvDim]
    private(set) var v: UnsafeMutablePointer<Float>      // [rows, kvDim]
    private(set) var gate: UnsafeMutablePointer<Float>   // [rows, I]
    private(set) var up: UnsafeMutablePointer<Float>     // [rows, I]
    private(set) var scores: UnsafeMutablePointer<Float> // [bands · rows, keys]: one band per core

    init(hidden: Int, kvDim: Int, intermediate: Int) {
        self.hidden = hidden
        self.kvDim = kvDim
        self.intermediate = intermediate
        x = .allocate(capacity: 1); h = .allocate(capacity: 1); q = .allocate(capacity: 1)
        k = .allocate(capacity: 1); v = .allocate(capacity: 1); gate = .allocate(capacity: 1)
        up = .allocate(capacity: 1); scores = .allocate(capacity: 1)
    }

    deinit { [x, h, q, k, v, gate, up, scores].forEach { $0.deallocate() } }

    /// Ensures room for `n` token rows attending to `m` keys, with `scoreBands` [n, m] score bands.
    func ensure(rows n: Int, keys m: Int, scoreBands: Int = 1) {
        if n > rows {
            rows = max(n, rows * 3 / 2)
            for pointer in [x, h, q, k, v, gate, up] { pointer.deallocate() }
            x = .allocate(capacity: rows * hidden); h = .allocate(capacity: rows * hidden)
            q = .allocate(capacity: rows * hidden); k = .allocate(capacity: rows * kvDim)
            v = .allocate(capacity: rows * kvDim); gate = .allocate(capacity: rows * intermediate)
            up = .allocate(capacity: rows * intermediate)
        }
        if scoreBands * n * m > keyCapacity {
            keyCapacity = max(scoreBands * n * m, keyCapacity * 3 / 2)
            scores.deallocate()
            scores = .allocate(capacity: keyCapacity)
        }
    }

    func view(_ p: UnsafeMutablePointer<Float>, _ n: Int, _ columns: Int) -> MatrixView {
        MatrixView(p, rows: n, columns: columns)
    }
}
