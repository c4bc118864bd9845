import Kernels
import TestSupport
import Testing

@Suite struct MatmulTests {
    /// Ragged shapes catch stride and edge bugs; M = 1 takes the sgemv path.
    static let shapes: [(m: Int, k: Int, n: Int)] = [(1, 1, 1), (1, 17, 5), (1, 64, 33), (2, 3, 4), (7, 13, 11),
                                                      (33, 65, 17), (64, 256, 96), (5, 0, 3), (128, 31, 1)]

    @Test(arguments: [RightOperand.plain, .transposed], [false, true])
    func matchesReference(op: RightOperand, accumulate: Bool) {
        var rng = SplitMix64(seed: 42)
        for (m, k, n) in Self.shapes {
            var a = randomFloats(m * k, rng: &rng)
            var b = randomFloats(k * n, rng: &rng)
            let start = randomFloats(m * n, rng: &rng)
            var fast = start, slow = start
            let bShape = op == .plain ? (k, n) : (n, k)
            withMatrices(&a, (m, k), &b, bShape, &fast, (m, n)) { av, bv, cv in
                matmul(av.readOnly, bv.readOnly, op, into: cv, accumulate: accumulate)
            }
            withMatrices(&a, (m, k), &b, bShape, &slow, (m, n)) { av, bv, cv in
                matmulReference(av.readOnly, bv.readOnly, op, into: cv, accumulate: accumulate)
            }
            #expect(mismatch(fast, slow, rtol: 1e-4, atol: 1e-5) == nil, "shape \(m)x\(k)x\(n)")
        }
    }

    @Test func stridedViewsSelectColumnBands() {
        // A is the middle 4 columns of a 3x10 buffer; C the last 2 columns of a 3x5 buffer.
        var rng = SplitMix64(seed: 3)
        var wide = randomFloats(30, rng: &rng)
        var weights = randomFloats(8, rng: &rng)  // [N=2, K=4]
        var out = [Float](repeating: 9, count: 15)
        wide.withUnsafeMutableBufferPointer { wp in
            weights.withUnsafeMutableBufferPointer { bp in
                out.withUnsafeMutableBufferPointer { op in
                    let a = MatrixView(wp.baseAddress!, rows: 3, columns: 10).columns(3..<7).readOnly
                    let b = ConstMatrixView(bp.baseAddress!, rows: 2, columns: 4)
                    let c = MatrixView(op.baseAddress!, rows: 3, columns: 5).columns(3..<5)
                    matmul(a, b, .transposed, into: c)
                }
            }
        }
        for i in 0..<3 {
            #expect(out[i * 5 + 0] == 9 && out[i * 5 + 2] == 9, "untouched columns keep their values")
            for j in 0..<2 {
                var expected: Float = 0
                for p in 0..<4 { expected += wide[i * 10 + 3 + p] * weights[j * 4 + p] }
                #expect(abs(out[i * 5 + 3 + j] - expected) < 1e-5)
            }
        }
    }
}
