import Foundation

/// Keys and values of one contiguous run of attention keys, e.g. the cached prefix or the fresh
/// tokens of this pass. Both are [rows, kvHeads · headDim]; the runs are concatenated in order.
public struct KeyValueSegment {
    public let keys: ConstMatrixView
    public let values: ConstMatrixView

    public init(keys: ConstMatrixView, values: ConstMatrixView) {
        precondition(keys.rows == values.rows && keys.columns == values.columns, "keys and values differ in shape")
        self.keys = keys
        self.values = values
    }
}

/// Shapes of one attention call: `heads` query heads share `kvHeads` key/value heads (grouped-query
/// attention: query head h reads key/value head h / (heads / kvHeads)).
public struct AttentionShape: Sendable {
    public let heads: Int
    public let kvHeads: Int
    public let headDim: Int

    public init(heads: Int, kvHeads: Int, headDim: Int) {
        precondition(heads > 0 && kvHeads > 0 && heads % kvHeads == 0, "heads must be a multiple of kvHeads")
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim
    }

    @inline(__always) public func kvHead(of head: Int) -> Int { head / (heads / kvHeads) }
}

/// Scaled dot-product attention with no causal mask (masked diffusion is bidirectional).
///
/// - `queries`: [n, heads · headDim], already rotated.
/// - `segments`: the keys/values, [m_s, kvHeads · headDim] each, m = Σ m_s keys in all.
/// - `allowed`: optional [n, m] row-major; false hides key k from query q.
/// - `scores`: scratch of at least [n, m] (any row stride ≥ m); with [p·n, m] rows the heads are
///   split over p cores (at most `WorkSplit.coreCount`), each part on its own n-row band.
/// - `out`: [n, heads · headDim].
/// Per head: S = Q_h·K_hᵀ/√d on sgemm, masked softmax per row, O_h = S·V_h on sgemm. A query that
/// may see no key at all gets a zero output row. Each head's arithmetic is the same whichever part
/// runs it (the parts call a single-threaded sgemm, which splits no dot product either way), so the
/// result does not depend on the split.
public func attention(queries: ConstMatrixView, segments: [KeyValueSegment], shape: AttentionShape,
                      allowed: UnsafePointer<Bool>?, scores: MatrixView, into out: MatrixView) {
    let n = queries.rows, d = shape.headDim
    let m = segments.reduce(0) { $0 + $1.keys.rows }
    precondition(queries.columns == shape.heads * d && out.columns == shape.heads * d && out.rows == n,
                 "attention: query/output shape")
    precondition(scores.rows >= n && scores.columns >= m, "attention: scores scratch too small")
    // Below ~64k score elements per head the dispatch costs more than it saves.
    let parts = n * m < 1 << 16 ? 1 : min(WorkSplit.coreCount, shape.heads, scores.rows / max(n, 1))
    let run = { (part: Int) in
        let band = MatrixView(scores.base + part * n * scores.rowStride, rows: n, columns: m, rowStride: scores.rowStride)
        for h in part * shape.heads / parts..<(part + 1) * shape.heads / parts {
            attendHead(h, queries: queries, segments: segments, shape: shape, allowed: allowed, scores: band, into: out)
        }
    }
    if parts == 1 {
        run(0)
    } else {
        parallelFor(parts, run)
    }
}

/// One head of `attention`: S = Q_h·K_hᵀ/√d into `s` [n, m], masked softmax, O_h = S·V_h.
private func attendHead(_ h: Int, queries: ConstMatrixView, segments: [KeyValueSegment], shape: AttentionShape,
                        allowed: UnsafePointer<Bool>?, scores s: MatrixView, into out: MatrixView) {
    let n = queries.rows, m = s.columns, d = shape.headDim
    let scale = 1 / Float(d).squareRoot()
    let g = shape.kvHead(of: h)
    let q = queries.columns(h * d..<(h + 1) * d)
    var start = 0
    for segment in segments where segment.keys.rows > 0 {
        let k = segment.keys.columns(g * d..<(g + 1) * d)
        matmul(q, k, .transposed, into: s.columns(start..<start + k.rows))
        start += k.rows
    }
    for r in 0..<n {
        scaledSoftmaxInPlace(s.row(r), count: m, scale: scale, allowed: allowed.map { $0 + r * m })
    }
    let o = out.columns(h * d..<(h + 1) * d)
    start = 0
    var first = true
    for segment in segments where segment.values.rows > 0 {
        let v = segment.values.columns(g * d..<(g + 1) * d)
        matmul(s.columns(start..<start + v.rows).readOnly, v, .plain, into: o, accumulate: !first)
        first = false
        start += v.rows
    }
    if first { for r in 0..<n { o.row(r).update(repeating: 0, count: d) } }
}

/// The readable reference for `attention`: one query, one key at a time, in `Double`.
public func attentionReference(queries: ConstMatrixView, keys: ConstMatrixView, values: ConstMatrixView,
                               shape: AttentionShape, allowed: UnsafePointer<Bool>?, into out: MatrixView) {
    let n = queries.rows, m = keys.rows, d = shape.headDim
    let scale = 1 / Double(d).squareRoot()
    for h in 0..<shape.heads {
        let g = shape.kvHead(of: h)
        for q in 0..<n {
            var weights = [Double](repeating: 0, count: m)
            var maximum = -Double.infinity
            for k in 0..<m where allowed?[q * m + k] ?? true {
                var dot = 0.0
                for i in 0..<d { dot += Double(queries[q, h * d + i]) * Double(keys[k, g * d + i]) }
                weights[k] = dot * scale
                maximum = max(maximum, weights[k])
            }
            var sum = 0.0
            for k in 0..<m {
                let visible = allowed?[q * m + k] ?? true
                weights[k] = visible ? exp(weights[k] - maximum) : 0
                sum += weights[k]
            }
            for i in 0..<d {
                var acc = 0.0
                for k in 0..<m { acc += weights[k] * Double(values[k, g * d + i]) }
                out[q, h * d + i] = sum > 0 ? Float(acc / sum) : 0
            }
        }
    }
}
