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

    /// Packed bf16 weights on this CPU's oneDNN layout (AVX512-BF16 and AMX pick different ones):
    /// our copy must write oneDNN's reorder's bytes, and a multiply through it must match the
    /// stored weights bit for bit. nil without oneDNN or when the layout stays the stored one.
    static func bf16Packing() -> String? {
        guard let gemm = BF16GEMM() else { return nil }
        var rng = SplitMix64(seed: 2)
        var failures: [String] = []
        for (m, k, n) in [(4, 2050, 130), (40, 512, 200), (33, 96, 1000)] {
            let a = (0..<(m * k)).map { _ in Float(rng.nextUnitDouble() - 0.5) }
            let w = (0..<(n * k)).map { _ in roundedToBFloat16(Float(rng.nextUnitDouble() - 0.5)) }
            var viaPacked = [Float](repeating: 0, count: m * n), viaStored = viaPacked
            let outcome: String? = a.withUnsafeBufferPointer { ap in
                w.withUnsafeBufferPointer { wp in
                    guard let packed = gemm.pack(weights: wp.baseAddress!, rows: n, columns: k),
                          let reordered = gemm.pack(weights: wp.baseAddress!, rows: n, columns: k, withOneDNNReorder: true)
                    else { return "not packed" }
                    if packed.bytes != reordered.bytes { return "copy differs from oneDNN's reorder" }
                    let x = ConstMatrixView(ap.baseAddress!, rows: m, columns: k)
                    let ranPacked = viaPacked.withUnsafeMutableBufferPointer {
                        gemm.multiply(x, packed: packed, into: MatrixView($0.baseAddress!, rows: m, columns: n))
                    }
                    let ranStored = viaStored.withUnsafeMutableBufferPointer {
                        gemm.multiply(x, weights: wp.baseAddress!, into: MatrixView($0.baseAddress!, rows: m, columns: n))
                    }
                    if ranPacked && ranStored && viaPacked != viaStored { return "packed and stored results differ" }
                    return nil
                }
            }
            if let outcome { failures.append("\(m)x\(k)x\(n): \(outcome)") }
        }
        if !failures.isEmpty && failures.allSatisfy({ $0.hasSuffix("not packed") }) { return nil }
        return "bf16 packing self-check: " + (failures.isEmpty ? "ok" : "MISMATCH " + failures.joined(separator: "; "))
    }
}
