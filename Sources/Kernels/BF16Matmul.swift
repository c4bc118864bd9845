import CLowPrecision

/// bf16 × bf16 → f32 matmul on oneDNN: C[M, N] = bf16(A)[M, K] · W[N, K]ᵀ (+ C), with W the bf16
/// weights as stored ([out, in]) used in place and A converted to bf16 once per call. Holds a
/// oneDNN engine and its primitives cached by shape, and the bf16 copy of A; one caller at a time.
public final class BF16GEMM: @unchecked Sendable {
    fileprivate let handle: OpaquePointer
    /// bf16 activations, [M, K] contiguous; grows to the largest call.
    private var activations: UnsafeMutablePointer<UInt16>
    private var capacity: Int

    /// nil when oneDNN cannot create a CPU engine.
    public init?() {
        guard let handle = dllm_bf16_gemm_create() else { return nil }
        self.handle = handle
        capacity = 0
        activations = .allocate(capacity: 1)
    }

    deinit {
        dllm_bf16_gemm_destroy(handle)
        activations.deallocate()
    }

    /// Primitives cached now (one per shape seen).
    public var cachedPrimitives: Int { Int(dllm_bf16_gemm_cached(handle)) }

    /// Fewest rows worth sending to oneDNN: below this its matmul (which repacks the weights on
    /// every call) is slower than reading the weights once in `multiplyFewRows` — at one row, 2.0 s
    /// against 0.44 s of f32 sgemv for the projections of a 1B forward (`bench --precision`).
    public static let minimumRows = 3

    /// c = a · wᵀ (+ c when `accumulate`), `weights` [c.columns, a.columns] bf16 contiguous: on
    /// oneDNN from `minimumRows` rows (activations rounded to bf16), below that `multiplyFewRows`.
    /// Returns false, leaving `c` untouched, when oneDNN refuses the shape (the caller falls back
    /// to the f32 path).
    @discardableResult
    public func multiply(_ a: ConstMatrixView, weights: UnsafePointer<UInt16>, into c: MatrixView, accumulate: Bool = false) -> Bool {
        let (m, k, n) = (a.rows, a.columns, c.columns)
        precondition(c.rows == m, "BF16GEMM: output has \(c.rows) rows, expected \(m)")
        if n == 0 || k == 0 { return false }
        if m < Self.minimumRows {
            BF16GEMM.multiplyFewRows(a, weights: weights, into: c, accumulate: accumulate)
            return true
        }
        let bf16 = roundedActivations(a)
        let status = dllm_bf16_gemm_run(handle, bf16, weights, c.base, Int64(m), Int64(n), Int64(k),
                                        Int64(c.rowStride), accumulate ? 1 : 0)
        return status == 0
    }

    /// `a` rounded to bf16 into the activation buffer ([m, k] contiguous), in row bands over the
    /// cores: each row is rounded on its own, so the split changes no bit.
    fileprivate func roundedActivations(_ a: ConstMatrixView) -> UnsafeMutablePointer<UInt16> {
        let (m, k) = (a.rows, a.columns)
        if m * k > capacity {
            activations.deallocate()
            capacity = m * k
            activations = .allocate(capacity: capacity)
        }
        let bf16 = activations
        forEachRowBand(m, rowWidth: k) { rows in
            for i in rows { dllm_f32_to_bf16(a.row(i), bf16 + i * k, k) }
        }
        return bf16
    }
}

extension BF16GEMM {
    /// c = a · wᵀ (+ c) for a few rows, reading each bf16 weight once for all of them (2 bytes per
    /// weight, where widening for sgemv moves 10), activations in f32 unrounded. Output columns are
    /// split over the cores; each output is one dot product in a fixed order (16 lane sums folded,
    /// then the tail; `bf16_gemv.c`), so the split changes no bit. `portable` forces the plain C
    /// version, which gives the same bits (tests).
    public static func multiplyFewRows(_ a: ConstMatrixView, weights: UnsafePointer<UInt16>, into c: MatrixView,
                                       accumulate: Bool = false, portable: Bool = false) {
        let (m, k, n) = (a.rows, a.columns, c.columns)
        precondition(c.rows == m, "BF16GEMM: output has \(c.rows) rows, expected \(m)")
        let parts = m * n * k < matmulSplitMinimum ? 1 : max(1, min(WorkSplit.coreCount, n / 64))
        parallelFor(parts) { part in
            dllm_bf16_gemv(a.base, a.rowStride, m, weights, part * n / parts, (part + 1) * n / parts, k,
                           c.base, c.rowStride, accumulate ? 1 : 0, portable ? 1 : 0)
        }
    }
}

/// The readable reference for `BF16GEMM.multiplyFewRows`: f32 activations times the bf16 weights,
/// products and sum in Double. c[M, N] = a[M, K] · w[N, K]ᵀ (+ c).
public func matmulBF16WeightsReference(_ a: ConstMatrixView, weights: UnsafePointer<UInt16>, into c: MatrixView,
                                       accumulate: Bool = false) {
    let (m, k, n) = (a.rows, a.columns, c.columns)
    for i in 0..<m {
        for j in 0..<n {
            var sum = accumulate ? Double(c[i, j]) : 0
            for p in 0..<k { sum += Double(a[i, p]) * Double(floatFromBFloat16(weights[j * k + p])) }
            c[i, j] = Float(sum)
        }
    }
}

/// bf16 weights copied once into the blocked layout oneDNN's matmul picks for them (the same size
/// as the stored weights), so that no call repacks them: 1.05× at 288 rows, 1.3–1.4× at 32 rows
/// on a 5632×2048 weight. Made by `BF16GEMM.pack`; freed with the object.
public final class BF16PackedWeights: @unchecked Sendable {
    fileprivate let handle: OpaquePointer
    public let rows: Int, columns: Int

    fileprivate init(handle: OpaquePointer, rows: Int, columns: Int) {
        self.handle = handle
        self.rows = rows
        self.columns = columns
    }

    deinit { dllm_bf16_packed_destroy(handle) }

    /// Bytes of the packed copy.
    public var byteCount: Int { dllm_bf16_packed_bytes(handle) }

    /// The packed bytes, for tests.
    public var bytes: [UInt16] { Array(UnsafeBufferPointer(start: dllm_bf16_packed_data(handle), count: byteCount / 2)) }
}

extension BF16GEMM {
    /// `weights` [rows, columns] bf16 as stored, packed once; nil when oneDNN keeps the stored
    /// layout for this shape or cannot reorder it.
    /// Our copy fills the layout oneDNN picks on AVX-512 and AMX, split over the cores by column
    /// block; any other layout goes through oneDNN's reorder (`withOneDNNReorder` forces it: tests
    /// compare the bytes).
    /// `rowOrder[r]` is the stored row of logical row r (GGUF's permuted LLaDA Q/K); only our copy
    /// can gather rows, so with an order and another layout the result is nil.
    public func pack(weights: UnsafePointer<UInt16>, rows: Int, columns: Int, rowOrder: [Int]? = nil,
                     withOneDNNReorder: Bool = false) -> BF16PackedWeights? {
        if let rowOrder, rowOrder.count != rows || rowOrder.contains(where: { $0 < 0 || $0 >= rows }) { return nil }
        guard let packed = dllm_bf16_pack_prepare(handle, Int64(rows), Int64(columns)) else { return nil }
        let result = BF16PackedWeights(handle: packed, rows: rows, columns: columns)
        let blocks = Int(dllm_bf16_pack_column_blocks(packed))
        if blocks > 0 && !withOneDNNReorder {
            let parts = min(blocks, WorkSplit.coreCount)
            let order = rowOrder.map { $0.map(Int64.init) }
            withOptionalPointer(order) { orderPointer in
                parallelFor(parts) { part in
                    dllm_bf16_pack_blocks(packed, weights, orderPointer, Int64(part * blocks / parts), Int64((part + 1) * blocks / parts))
                }
            }
            return result
        }
        guard rowOrder == nil else { return nil }
        return dllm_bf16_pack_reorder(handle, packed, weights) == 1 ? result : nil
    }

    /// As `multiply(_:weights:into:accumulate:)` with packed weights, from `minimumRows` rows.
    /// False, leaving `c` untouched, when oneDNN would pick another layout for this row count (or
    /// fails): the caller runs the stored weights.
    public func multiply(_ a: ConstMatrixView, packed: BF16PackedWeights, into c: MatrixView, accumulate: Bool = false) -> Bool {
        let (m, k) = (a.rows, a.columns)
        precondition(c.rows == m && c.columns == packed.rows && k == packed.columns, "BF16GEMM: packed shape mismatch")
        guard m >= Self.minimumRows else { return false }
        let bf16 = roundedActivations(a)
        return dllm_bf16_gemm_run_packed(handle, bf16, packed.handle, c.base, Int64(m), Int64(c.rowStride), accumulate ? 1 : 0) == 0
    }
}

/// Calls `body` with a pointer to the array's elements, or nil.
private func withOptionalPointer<R>(_ array: [Int64]?, _ body: (UnsafePointer<Int64>?) -> R) -> R {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0.baseAddress) }
}

/// `x` rounded to bf16 (nearest, ties to even), as `BF16GEMM` rounds its activations.
public func roundedToBFloat16(_ x: Float) -> UInt16 {
    var value = x, bits: UInt16 = 0
    dllm_f32_to_bf16(&value, &bits, 1)
    return bits
}

/// The readable reference for `BF16GEMM.multiply`: A rounded to bf16, products of the two bf16
/// values (exact in Double), summed in Double. c[M, N] = bf16(a)[M, K] · w[N, K]ᵀ (+ c).
public func matmulBF16Reference(_ a: ConstMatrixView, weights: UnsafePointer<UInt16>, into c: MatrixView, accumulate: Bool = false) {
    let (m, k, n) = (a.rows, a.columns, c.columns)
    precondition(c.rows == m, "matmulBF16Reference: bad output shape")
    for i in 0..<m {
        for j in 0..<n {
            var sum = accumulate ? Double(c[i, j]) : 0
            for p in 0..<k {
                let x = floatFromBFloat16(roundedToBFloat16(a[i, p]))
                sum += Double(x) * Double(floatFromBFloat16(weights[j * k + p]))
            }
            c[i, j] = Float(sum)
        }
    }
}
