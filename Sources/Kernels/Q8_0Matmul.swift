import CLowPrecision
import Foundation

/// Block-scaled int8 matmul for ggml Q8_0 weights: C[M, N] = A[M, K] · W[N, K]ᵀ (+ C), where W is
/// the raw Q8_0 tensor (N rows of K/32 blocks of 34 bytes: an f16 scale d, then 32 int8 q; the
/// weight is d·q) used in place, and A is quantized the same way per 32-element block (scale
/// max|a|/127) once per call. Each block's int8 dot product is exact in int32 (AVX512-VNNI
/// `vpdpbusd`, or the portable loop), scaled by both block scales into f32. The output columns are
/// split across the CPU's cores. Holds the quantized copy of A; one caller at a time.
public final class Q8_0GEMM: @unchecked Sendable {
    public static let blockSize = 32
    public static let bytesPerBlock = 34

    /// [M, K] int8, [M, K/32] scales and block sums; grown to the largest call.
    private var quantized: [Int8] = []
    private var scales: [Float] = []
    private var sums: [Int32] = []
    private let threads: Int

    public init(threads: Int = WorkSplit.coreCount) {
        self.threads = max(1, threads)
    }

    /// "avx512-vnni" or "portable": the kernel this CPU runs.
    public static var kernelName: String { dllm_q8_0_uses_vnni() != 0 ? "avx512-vnni" : "portable" }

    /// c = a · wᵀ (+ c when `accumulate`); `blocks` holds c.columns rows of a.columns / 32 blocks.
    /// `portable` forces the scalar kernel (tests compare the two).
    public func multiply(_ a: ConstMatrixView, q8_0 blocks: UnsafeRawPointer, into c: MatrixView,
                         accumulate: Bool = false, portable: Bool = false) {
        let (m, k, n) = (a.rows, a.columns, c.columns)
        precondition(k % Self.blockSize == 0, "Q8_0GEMM: \(k) columns is not a multiple of \(Self.blockSize)")
        precondition(c.rows == m, "Q8_0GEMM: output has \(c.rows) rows, expected \(m)")
        if m == 0 || n == 0 { return }
        if k == 0 {
            if !accumulate { for i in 0..<m { c.row(i).update(repeating: 0, count: n) } }
            return
        }
        let weights = blocks.assumingMemoryBound(to: UInt8.self)
        withQuantized(a) { q, s, t in
            // Column bands in multiples of the kernel's 4-row weight tile.
            let parts = portable ? 1 : min(threads, max(1, n / 64))
            let band = ((n + parts - 1) / parts + 3) / 4 * 4
            let output = c.base, ldc = Int64(c.rowStride)
            parallelFor(parts) { part in
                let n0 = min(n, part * band), n1 = min(n, n0 + band)
                if portable {
                    dllm_q8_0_gemm_portable(q, s, Int64(m), weights, Int64(n0), Int64(n1), Int64(k), output, ldc, accumulate ? 1 : 0)
                } else {
                    dllm_q8_0_gemm(q, s, t, Int64(m), weights, Int64(n0), Int64(n1), Int64(k), output, ldc, accumulate ? 1 : 0)
                }
            }
        }
    }

    /// Rows from which the packed kernel is used. Single-threaded at N 5632, K 2048 it beat the
    /// row-major kernel at every M measured (1.5 vs 0.4 ms at 1 row, 4.4 vs 1.6 ms at 16, with the
    /// weights in cache); below 4 rows, where both stream the weights from memory, the projection
    /// totals were within noise of each other, so those keep the kernel that needs no repacking.
    public static let packedMinimumRows = 4

    /// c = a · wᵀ (+ c) on weights repacked by `Q8_0PackedWeights`: the prefill kernel. Same
    /// activation quantization and exact int32 block dots as `multiply(_:q8_0:into:)`.
    public func multiply(_ a: ConstMatrixView, packed w: Q8_0PackedWeights, into c: MatrixView, accumulate: Bool = false) {
        let (m, k, n) = (a.rows, a.columns, c.columns)
        precondition(k == w.columns && n == w.rows, "Q8_0GEMM: packed weights are [\(w.rows), \(w.columns)], expected [\(n), \(k)]")
        precondition(c.rows == m, "Q8_0GEMM: output has \(c.rows) rows, expected \(m)")
        if m == 0 { return }
        let weights = UnsafePointer(w.bytes.assumingMemoryBound(to: UInt8.self))
        withQuantized(a) { q, s, t in
            // Column bands in multiples of the kernel's 32-column tile (two 16-row groups).
            let parts = min(threads, max(1, n / 128))
            let band = ((n + parts - 1) / parts + 31) / 32 * 32
            let output = c.base, ldc = Int64(c.rowStride)
            parallelFor(parts) { part in
                let n0 = min(n, part * band), n1 = min(n, n0 + band)
                dllm_q8_0_gemm_packed(q, s, t, Int64(m), weights, Int64(n0), Int64(n1), Int64(k), output, ldc, accumulate ? 1 : 0)
            }
        }
    }

    /// Quantizes a (k a multiple of 32) into the reused buffers: [M, K] int8, [M, K/32] scales, sums.
    private func withQuantized(_ a: ConstMatrixView,
                               _ body: (UnsafeMutablePointer<Int8>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Int32>) -> Void) {
        let (m, k) = (a.rows, a.columns)
        let groups = k / Self.blockSize
        if quantized.count < m * k { quantized = [Int8](repeating: 0, count: m * k) }
        if scales.count < m * groups {
            scales = [Float](repeating: 0, count: m * groups)
            sums = [Int32](repeating: 0, count: m * groups)
        }
        quantized.withUnsafeMutableBufferPointer { q in
            scales.withUnsafeMutableBufferPointer { s in
                sums.withUnsafeMutableBufferPointer { t in
                    let (q, s, t) = (q.baseAddress!, s.baseAddress!, t.baseAddress!)
                    dllm_q8_0_quantize_rows(a.base, Int64(m), Int64(k), Int64(a.rowStride), q, s, t)
                    body(q, s, t)
                }
            }
        }
    }
}

/// The readable reference for `Q8_0GEMM.multiply`: A quantized per 32-block exactly as the kernel
/// does (s = max|a|/127, q = round(a/s) clamped to ±127), each weight block dequantized from its
/// f16 scale, and the sum Σ_b s_b·d_b·(q_a · q_w) taken in Double.
public func matmulQ8_0Reference(_ a: ConstMatrixView, q8_0 blocks: UnsafeRawPointer, into c: MatrixView, accumulate: Bool = false) {
    let (m, k, n) = (a.rows, a.columns, c.columns)
    let groups = k / Q8_0GEMM.blockSize
    precondition(k % Q8_0GEMM.blockSize == 0 && c.rows == m, "matmulQ8_0Reference: bad shapes")
    for i in 0..<m {
        var qa = [Int8](repeating: 0, count: k), sa = [Float](repeating: 0, count: groups)
        for g in 0..<groups {
            var amax: Float = 0
            for e in 0..<32 { amax = max(amax, abs(a[i, g * 32 + e])) }
            let s = amax / 127, inverse: Float = s > 0 ? 1 / s : 0
            sa[g] = s
            for e in 0..<32 { qa[g * 32 + e] = Int8(min(127, max(-127, (a[i, g * 32 + e] * inverse).rounded()))) }
        }
        for j in 0..<n {
            var sum = accumulate ? Double(c[i, j]) : 0
            for g in 0..<groups {
                let block = blocks + (j * groups + g) * Q8_0GEMM.bytesPerBlock
                let d = floatFromFloat16(block.loadUnaligned(as: UInt16.self))
                var dot = 0
                for e in 0..<32 { dot += Int(qa[g * 32 + e]) * Int(block.load(fromByteOffset: 2 + e, as: Int8.self)) }
                sum += Double(sa[g]) * Double(d) * Double(dot)
            }
            c[i, j] = Float(sum)
        }
    }
}

extension Q8_0GEMM {
    /// Quantizes f32 weights [rows, columns] to Q8_0 blocks as ggml's reference quantizer does
    /// (d = max|w|/127 stored as f16, q = round(w/d)); for benchmarks and tests.
    public static func quantize(_ weights: UnsafePointer<Float>, rows: Int, columns: Int) -> [UInt8] {
        precondition(columns % blockSize == 0, "Q8_0 rows must be whole blocks")
        var out = [UInt8](repeating: 0, count: rows * columns / blockSize * bytesPerBlock)
        var cursor = 0
        for start in stride(from: 0, to: rows * columns, by: blockSize) {
            var amax: Float = 0
            for e in 0..<blockSize { amax = max(amax, abs(weights[start + e])) }
            let d = amax / 127, inverse: Float = d > 0 ? 1 / d : 0
            let bits = Float16(d).bitPattern
            out[cursor] = UInt8(bits & 0xFF)
            out[cursor + 1] = UInt8(bits >> 8)
            for e in 0..<blockSize {
                out[cursor + 2 + e] = UInt8(bitPattern: Int8(max(-127, min(127, (weights[start + e] * inverse).rounded()))))
            }
            cursor += bytesPerBlock
        }
        return out
    }
}
