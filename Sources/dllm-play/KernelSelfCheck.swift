import Kernels

/// A quick check that OpenBLAS computes what the reference computes, shown by `make run`.
enum KernelSelfCheck {
    static func run() -> String {
        var rng = SplitMix64(seed: 1)
        let (m, k, n) = (33, 65, 17)
        var a = (0..<(m * k)).map { _ in Float(rng.nextUnitDouble() - 0.5) }
        var b = (0..<(n * k)).map { _ in Float(rng.nextUnitDouble() - 0.5) }
        var fast = [Float](repeating: 0, count: m * n), slow = fast
        a.withUnsafeMutableBufferPointer { ap in
            b.withUnsafeMutableBufferPointer { bp in
                let av = ConstMatrixView(ap.baseAddress!, rows: m, columns: k)
                let bv = ConstMatrixView(bp.baseAddress!, rows: n, columns: k)
                fast.withUnsafeMutableBufferPointer { matmul(av, bv, .transposed, into: MatrixView($0.baseAddress!, rows: m, columns: n)) }
                slow.withUnsafeMutableBufferPointer { matmulReference(av, bv, .transposed, into: MatrixView($0.baseAddress!, rows: m, columns: n)) }
            }
        }
        let worst = zip(fast, slow).map { abs($0 - $1) }.max() ?? 0
        let verdict = worst < 1e-4 ? "ok" : "MISMATCH"
        return "kernel self-check: sgemm \(m)x\(k)x\(n) vs reference, max error \(worst): \(verdict) [\(BLASRuntime.summary)]"
    }
}
