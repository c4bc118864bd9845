import Kernels
import TestSupport
import Testing

@Suite struct AttentionTests {
    /// Fast attention (sgemm per head, split key segments) against the Double reference.
    @Test(arguments: [(heads: 4, kvHeads: 4, headDim: 12, n: 7, m: 7, split: 0),
                      (heads: 6, kvHeads: 2, headDim: 8, n: 5, m: 13, split: 9),
                      (heads: 2, kvHeads: 1, headDim: 16, n: 1, m: 33, split: 32),
                      (heads: 3, kvHeads: 3, headDim: 4, n: 9, m: 2, split: 1)])
    func matchesReference(heads: Int, kvHeads: Int, headDim: Int, n: Int, m: Int, split: Int) {
        for masked in [false, true] {
            var rng = SplitMix64(seed: UInt64(heads * 100 + m))
            var q = randomFloats(n * heads * headDim, scale: 2, rng: &rng)
            var k = randomFloats(m * kvHeads * headDim, scale: 2, rng: &rng)
            var v = randomFloats(m * kvHeads * headDim, rng: &rng)
            var allowed = (0..<(n * m)).map { _ in !masked || rng.nextUnitDouble() < 0.6 }
            if masked { for c in 0..<m { allowed[c] = false } }  // query 0 sees nothing: zero output
            var fast = [Float](repeating: 7, count: n * heads * headDim), slow = fast
            var scores = [Float](repeating: 0, count: n * m)
            let shape = AttentionShape(heads: heads, kvHeads: kvHeads, headDim: headDim)
            let kv = kvHeads * headDim
            q.withUnsafeMutableBufferPointer { qp in
                k.withUnsafeMutableBufferPointer { kp in
                    v.withUnsafeMutableBufferPointer { vp in
                        allowed.withUnsafeBufferPointer { ap in
                            let qv = ConstMatrixView(qp.baseAddress!, rows: n, columns: heads * headDim)
                            let kAll = ConstMatrixView(kp.baseAddress!, rows: m, columns: kv)
                            let vAll = ConstMatrixView(vp.baseAddress!, rows: m, columns: kv)
                            let segments = [KeyValueSegment(keys: kAll.rows(0..<split), values: vAll.rows(0..<split)),
                                            KeyValueSegment(keys: kAll.rows(split..<m), values: vAll.rows(split..<m))]
                            let mask = masked ? ap.baseAddress : nil
                            scores.withUnsafeMutableBufferPointer { sp in
                                fast.withUnsafeMutableBufferPointer { fp in
                                    attention(queries: qv, segments: segments, shape: shape, allowed: mask,
                                              scores: MatrixView(sp.baseAddress!, rows: n, columns: m),
                                              into: MatrixView(fp.baseAddress!, rows: n, columns: heads * headDim))
                                }
                            }
                            slow.withUnsafeMutableBufferPointer { sp in
                                attentionReference(queries: qv, keys: kAll, values: vAll, shape: shape, allowed: mask,
                                                   into: MatrixView(sp.baseAddress!, rows: n, columns: heads * headDim))
                            }
                        }
                    }
                }
            }
            #expect(mismatch(fast, slow, rtol: 1e-4, atol: 1e-5) == nil, "masked \(masked)")
            if masked { #expect(fast.prefix(heads * headDim).allSatisfy { $0 == 0 }) }
        }
    }
}
