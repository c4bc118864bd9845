import CLowPrecision

/// A Q8_0 tensor repacked for the prefill kernel (`Q8_0GEMM.multiply(_:packed:into:)`): per group
/// of 16 weight rows and per 32-column block, the 16 scales as f32 then the 16 rows' bytes
/// interleaved 4 at a time, so one AVX512-VNNI `vpdpbusd` serves 16 output columns. About 1.06× the
/// Q8_0 size (f32 instead of f16 scales, rows padded to 16); built once per weight by its owner.
public final class Q8_0PackedWeights: @unchecked Sendable {
    public let rows: Int
    public let columns: Int
    let bytes: UnsafeMutableRawPointer

    /// Packs `rows` × `columns` Q8_0 weights (raw 34-byte blocks); row r is stored row
    /// `rowOrder[r]` when given (GGUF's permuted LLaDA Q/K). Nil when the CPU lacks AVX512-VNNI
    /// (the packed kernel has no portable version), `columns` is not whole blocks, or the order
    /// is not `rows` indices below `rows`.
    public init?(q8_0 blocks: UnsafeRawPointer, rows: Int, columns: Int, rowOrder: [Int]? = nil) {
        guard dllm_q8_0_uses_vnni() != 0, rows > 0, columns > 0, columns % Q8_0GEMM.blockSize == 0 else { return nil }
        if let rowOrder, rowOrder.count != rows || rowOrder.contains(where: { $0 < 0 || $0 >= rows }) { return nil }
        self.rows = rows
        self.columns = columns
        let count = Int(dllm_q8_0_packed_bytes(Int64(rows), Int64(columns)))
        bytes = .allocate(byteCount: count, alignment: 64)
        let order = rowOrder.map { $0.map(Int64.init) }
        order.withUnsafeBufferPointerIfPresent { o in
            dllm_q8_0_pack(blocks.assumingMemoryBound(to: UInt8.self), Int64(rows), Int64(columns), o,
                           bytes.assumingMemoryBound(to: UInt8.self))
        }
    }

    deinit { bytes.deallocate() }
}

private extension Optional where Wrapped == [Int64] {
    func withUnsafeBufferPointerIfPresent(_ body: (UnsafePointer<Int64>?) -> Void) {
        if let array = self { array.withUnsafeBufferPointer { body($0.baseAddress) } } else { body(nil) }
    }
}
