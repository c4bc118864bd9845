import Foundation
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

    /// A split GEMM (sgemm, and sgemv for one row) gives the same bits on 1, 2, 3 or 5 threads,
    /// for both operand layouts, with and without accumulation, and widths that are not
    /// multiples of the band width; and it stays within float tolerance of the reference.
    @Test(arguments: [(1, 5000, 64), (5, 1000, 37), (64, 256, 96), (33, 1000, 130), (3, 100, 40)])
    func matmulSplitIsTheSameOnAnyThreadCount(shape: (Int, Int, Int)) {
        let (m, n, k) = shape
        var rng = SplitMix64(seed: UInt64(m * 7 + n))
        let a = randomFloats(m * k, rng: &rng), b = randomFloats(n * k, rng: &rng), start = randomFloats(m * n, rng: &rng)
        for op in [RightOperand.plain, .transposed] {
            for accumulate in [false, true] {
                /// C = start (+)= A·op(B) computed by `body` on views of the operands.
                func compute(_ body: (ConstMatrixView, ConstMatrixView, MatrixView) -> Void) -> [Float] {
                    var out = start
                    a.withUnsafeBufferPointer { ap in
                        b.withUnsafeBufferPointer { bp in
                            out.withUnsafeMutableBufferPointer { cp in
                                let left = ConstMatrixView(ap.baseAddress!, rows: m, columns: k)
                                let right = op == .plain ? ConstMatrixView(bp.baseAddress!, rows: k, columns: n)
                                                         : ConstMatrixView(bp.baseAddress!, rows: n, columns: k)
                                body(left, right, MatrixView(cp.baseAddress!, rows: m, columns: n))
                            }
                        }
                    }
                    return out
                }
                func run(threads: Int) -> [Float] {
                    compute { matmul($0, $1, op, into: $2, accumulate: accumulate, threads: threads) }
                }
                let serial = run(threads: 1)
                for threads in [2, 3, 5] {
                    #expect(run(threads: threads) == serial, "\(m)x\(n)x\(k) \(op) accumulate \(accumulate), \(threads) threads")
                }
                let reference = compute { matmulReference($0, $1, op, into: $2, accumulate: accumulate) }
                // Each term is below 1 in size: k·2⁻²³ per element bounds the f32 summation error.
                let worst = zip(serial, reference).map { abs($0 - $1) }.max() ?? 0
                #expect(worst <= Float(k + 2) * 0x1p-23 * 4, "\(m)x\(n)x\(k) \(op): error \(worst)")
            }
        }
    }

    /// The worker pool runs every part exactly once, over many back-to-back jobs (workers spinning
    /// and asleep), with nested splits (run serially inside a part) and with jobs started from
    /// several threads at once (one holds the pool, the others run serially).
    @Test func workerPoolRunsEveryPartOnce() {
        let parts = 7, jobs = 3000
        var counts = [Int](repeating: 0, count: parts * 3)   // parts, then 2 nested per part
        counts.withUnsafeMutableBufferPointer { p in
            let counts = p
            for job in 0..<jobs {
                parallelFor(parts) { part in
                    counts[part] += 1
                    if job % 100 == 0 { parallelFor(2) { inner in counts[parts + 2 * part + inner] += 1 } }
                }
                if job % 500 == 0 { usleep(2_000) }   // let the workers fall asleep now and then
            }
        }
        #expect(counts[0..<parts].allSatisfy { $0 == jobs })
        #expect(counts[parts...].allSatisfy { $0 == jobs / 100 })

        let callers = 4, perCaller = 500
        let totals = UnsafeMutablePointer<Int>.allocate(capacity: callers * parts)
        totals.initialize(repeating: 0, count: callers * parts)
        defer { totals.deallocate() }
        let shared = UncheckedPointer(totals)
        DispatchQueue.concurrentPerform(iterations: callers) { caller in
            for _ in 0..<perCaller {
                parallelFor(parts) { part in shared.value[caller * parts + part] += 1 }
            }
        }
        #expect((0..<callers * parts).allSatisfy { totals[$0] == perCaller })
    }
}

/// A pointer handed to concurrent callers that write disjoint elements of it.
private struct UncheckedPointer: @unchecked Sendable {
    let value: UnsafeMutablePointer<Int>
    init(_ value: UnsafeMutablePointer<Int>) { self.value = value }
}
