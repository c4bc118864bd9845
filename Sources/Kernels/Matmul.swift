import CBLAS

/// How the right-hand operand of a matmul is laid out.
public enum RightOperand: Sendable {
    /// `b` is [K, N]: C = A·B.
    case plain
    /// `b` is [N, K], as weights are stored ([out, in]): C = A·Bᵀ.
    case transposed
}

/// C[M, N] = A[M, K] · op(B) (+ C when `accumulate`), on OpenBLAS `sgemm` (`sgemv` when M == 1,
/// which is 2–4× faster there). This is where the forward pass spends its time.
///
/// Work of at least `matmulSplitMinimum` multiply-adds is cut into column bands of C whose width
/// depends on N alone (`matmulBandWidth`), each band one serial OpenBLAS call, and the bands are
/// shared out over the engine's pool. OpenBLAS picks its kernels by size, so a band can round
/// differently from one call over all of N; fixing the bands by shape, never by core count, keeps
/// every result the same on every machine whatever its number of cores (`threads`: tests only).
public func matmul(_ a: ConstMatrixView, _ b: ConstMatrixView, _ op: RightOperand = .plain,
                   into c: MatrixView, accumulate: Bool = false, threads: Int? = nil) {
    let (m, k) = (a.rows, a.columns)
    let n = op == .plain ? b.columns : b.rows
    precondition((op == .plain ? b.rows : b.columns) == k, "matmul: inner dimensions differ")
    precondition(c.rows == m && c.columns == n, "matmul: output is \(c.rows)x\(c.columns), expected \(m)x\(n)")
    if m == 0 || n == 0 { return }
    let beta: Float = accumulate ? 1 : 0
    if k == 0 {
        if !accumulate { for i in 0..<m { c.row(i).update(repeating: 0, count: n) } }
        return
    }
    BLASRuntime.useCallerThreadOnly()
    let width = m * n * k < matmulSplitMinimum ? n : matmulBandWidth(columns: n)
    let bands = (n + width - 1) / width
    if bands == 1 {
        serialMatmul(a, b, op, into: c, beta: beta)
        return
    }
    let parts = min(bands, threads ?? WorkSplit.coreCount)
    parallelFor(parts) { part in
        for band in part * bands / parts..<(part + 1) * bands / parts {
            let columns = band * width..<min(n, (band + 1) * width)
            serialMatmul(a, op == .plain ? b.columns(columns) : b.rows(columns), op, into: c.columns(columns), beta: beta)
        }
    }
}

/// Below this many multiply-adds (about 1 µs of one core) a split costs more than it saves.
public let matmulSplitMinimum = 1 << 17

/// Columns per band of a split GEMM: about N/16, a multiple of 16 in [128, 4096]. Narrower bands
/// fall onto OpenBLAS's small-matrix kernels; wider ones would leave cores idle.
public func matmulBandWidth(columns n: Int) -> Int {
    min(4096, max(128, (n / 16 + 15) / 16 * 16))
}

/// `matmul` on the calling thread, after its checks: beta 0 overwrites C, 1 accumulates.
private func serialMatmul(_ a: ConstMatrixView, _ b: ConstMatrixView, _ op: RightOperand, into c: MatrixView,
                          beta: Float) {
    let (m, k) = (a.rows, a.columns)
    let n = op == .plain ? b.columns : b.rows
    if m == 1 {
        // y = op(B)ᵀ-style matrix-vector product; row-major B[N, K] with NoTrans gives B·x.
        let transB = op == .transposed ? CblasNoTrans : CblasTrans
        cblas_sgemv(CblasRowMajor, transB, Int32(b.rows), Int32(b.columns), 1, b.base, Int32(b.rowStride),
                    a.base, 1, beta, c.base, 1)
        return
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, op == .transposed ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), 1, a.base, Int32(a.rowStride), b.base, Int32(b.rowStride),
                beta, c.base, Int32(c.rowStride))
}

/// The readable reference for `matmul`: three loops, accumulating in `Double`.
public func matmulReference(_ a: ConstMatrixView, _ b: ConstMatrixView, _ op: RightOperand = .plain,
                            into c: MatrixView, accumulate: Bool = false) {
    let n = op == .plain ? b.columns : b.rows
    precondition(c.rows == a.rows && c.columns == n, "matmulReference: bad output shape")
    for i in 0..<a.rows {
        for j in 0..<n {
            var sum = accumulate ? Double(c[i, j]) : 0
            for p in 0..<a.columns {
                let bv = op == .plain ? b[p, j] : b[j, p]
                sum += Double(a[i, p]) * Double(bv)
            }
            c[i, j] = Float(sum)
        }
    }
}
