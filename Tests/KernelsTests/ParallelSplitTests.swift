import Kernels
import TestSupport
import Testing

/// Splitting work over the cores must not change a single bit: the decoding goldens depend on it.
@Suite struct ParallelSplitTests {
    @Test(arguments: [0, 3, 7])
    func attentionSplitOverHeadsIsBitIdentical(maskSeed: Int) {
        let (n, m) = maskSeed == 3 ? (257, 400) : (300, 300)
        let shape = AttentionShape(heads: 6, kvHeads: 2, headDim: 16)
        var rng = SplitMix64(seed: 11)
        var q = randomFloats(n * 96, rng: &rng), k = randomFloats(m * 32, rng: &rng), v = randomFloats(m * 32, rng: &rng)
        let allowed: [Bool]? = maskSeed == 0 ? nil : (0..<n * m).map { ($0 * 31 + maskSeed) % 5 != 0 }
        let mask = allowed.map { UnsafeMutablePointer<Bool>.allocate(capacity: $0.count) }
        if let allowed, let mask { mask.initialize(from: allowed, count: allowed.count) }
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: 2 * n * m)
        defer { scores.deallocate(); mask?.deallocate() }
        func run(bands: Int) -> [Float] {
            var out = [Float](repeating: 0, count: n * 96)
            q.withUnsafeMutableBufferPointer { qp in
                k.withUnsafeMutableBufferPointer { kp in
                    v.withUnsafeMutableBufferPointer { vp in
                        out.withUnsafeMutableBufferPointer { op in
                            let (kb, vb) = (kp.baseAddress!, vp.baseAddress!), half = m / 2
                            let segments = [KeyValueSegment(keys: ConstMatrixView(kb, rows: half, columns: 32),
                                                            values: ConstMatrixView(vb, rows: half, columns: 32)),
                                            KeyValueSegment(keys: ConstMatrixView(kb + half * 32, rows: m - half, columns: 32),
                                                            values: ConstMatrixView(vb + half * 32, rows: m - half, columns: 32))]
                            attention(queries: ConstMatrixView(qp.baseAddress!, rows: n, columns: 96), segments: segments, shape: shape,
                                      allowed: mask.map { UnsafePointer($0) }, scores: MatrixView(scores, rows: bands * n, columns: m),
                                      into: MatrixView(op.baseAddress!, rows: n, columns: 96))
                        }
                    }
                }
            }
            return out
        }
        let serial = run(bands: 1), split = run(bands: 2)
        #expect(serial == split)
        #expect(serial.contains { $0 != 0 })
    }

    @Test func swiGLUSplitIsBitIdentical() {
        var rng = SplitMix64(seed: 12)
        for count in [40_000, 65_539, 100_003] {
            let gate = randomFloats(count, scale: 6, rng: &rng), up = randomFloats(count, rng: &rng)
            var serial = gate, split = gate
            serial.withUnsafeMutableBufferPointer { fastSwiGLU(gate: $0.baseAddress!, up: up, count: count) }
            split.withUnsafeMutableBufferPointer { parallelSwiGLU(gate: $0.baseAddress!, up: up, count: count) }
            #expect(serial == split, "count \(count)")
        }
    }

    @Test func rowBandsCoverEveryRowOnce() {
        for rows in [1, 7, 300, 1001] {
            var seen = [Int](repeating: 0, count: rows)
            seen.withUnsafeMutableBufferPointer { p in
                forEachRowBand(rows, rowWidth: 256) { band in for r in band { p[r] += 1 } }
            }
            #expect(seen.allSatisfy { $0 == 1 }, "rows \(rows)")
        }
    }
}
