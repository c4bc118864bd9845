import Dispatch
import CLowPrecision
import Kernels

/// A weight matrix [rows = out, columns = in] that stays in the memory map. f32 data (4-byte
/// aligned) is used in place; bf16/f16 data is widened, and GGUF block-quantized data dequantized,
/// to f32 tile by tile into a reused scratch buffer right before each sgemm, so neither a bf16
/// checkpoint nor a Q4_K file ever exists in RAM as f32.
struct WeightMatrix: @unchecked Sendable {
    let slice: TensorSlice
    let rows: Int
    let columns: Int

    init(_ slice: TensorSlice) {
        self.slice = slice
        rows = slice.shape[0]
        columns = slice.shape.count > 1 ? slice.shape[1] : 1
    }

    /// The f32 view in place, when the data is f32, aligned and stored in order.
    var inPlace: ConstMatrixView? {
        guard slice.dtype == .f32, slice.rowOrder == nil,
              Int(bitPattern: slice.bytes) % MemoryLayout<Float>.alignment == 0 else { return nil }
        return ConstMatrixView(slice.bytes.assumingMemoryBound(to: Float.self), rows: rows, columns: columns)
    }

    /// Widens (or dequantizes) rows `range` into `destination` ([range.count, columns]).
    func widenRows(_ range: Range<Int>, into destination: UnsafeMutablePointer<Float>) {
        guard let order = slice.rowOrder else {
            widenStoredRows(range, into: destination)
            return
        }
        for (i, row) in range.enumerated() {
            widenStoredRows(order[row]..<order[row] + 1, into: destination + i * columns)
        }
    }

    /// Widens rows `range` as stored in the file.
    private func widenStoredRows(_ range: Range<Int>, into destination: UnsafeMutablePointer<Float>) {
        let count = range.count * columns
        let offset = range.lowerBound * columns
        switch slice.dtype {
        case .f32:
            UnsafeMutableRawPointer(destination).copyMemory(from: slice.bytes + offset * 4, byteCount: count * 4)
        case .bf16:
            let source = UnsafeRawPointer(slice.bytes + offset * 2)
            if Int(bitPattern: source) % 2 == 0 {
                widenBFloat16(source.assumingMemoryBound(to: UInt16.self), into: destination, count: count)
            } else {
                for i in 0..<count { destination[i] = floatFromBFloat16(source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
            }
        case .f16:
            let source = UnsafeRawPointer(slice.bytes + offset * 2)
            if Int(bitPattern: source) % 2 == 0 {
                widenFloat16(source.assumingMemoryBound(to: UInt16.self), into: destination, count: count)
            } else {
                for i in 0..<count { destination[i] = floatFromFloat16(source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
            }
        case .q8_0, .q4_0, .q4_1, .q5_0, .q5_1, .q4_K, .q5_K, .q6_K:
            dequantizeRows(range, into: destination)
        }
    }

    /// GGUF block types: a row is a whole number of blocks (checked at load) and dequantizes on
    /// its own, so a large tile is split into bands of rows across the BLAS threads (the sgemm
    /// that follows uses the same cores).
    private func dequantizeRows(_ range: Range<Int>, into destination: UnsafeMutablePointer<Float>) {
        let type = slice.dtype.ggmlType, columns = columns
        let rowBytes = type.rowBytes(columns: columns) ?? 0
        let lower = range.lowerBound, count = range.count
        // Addresses as integers: the bands write disjoint rows of `destination`.
        let source = UInt(bitPattern: slice.bytes), target = UInt(bitPattern: destination)
        let bands = count * columns >= 1 << 16 ? max(1, min(count, WorkSplit.coreCount)) : 1
        let band = { @Sendable (b: Int) in
            let input = UnsafeRawPointer(bitPattern: source)!, output = UnsafeMutablePointer<Float>(bitPattern: target)!
            for i in count * b / bands..<count * (b + 1) / bands {
                type.dequantizeRow(input + (lower + i) * rowBytes, columns: columns, into: output + i * columns)
            }
        }
        if bands == 1 { band(0) } else { DispatchQueue.concurrentPerform(iterations: bands, execute: band) }
    }

    /// The whole tensor as f32 (for small vectors: norms and biases).
    func floats() -> [Float] {
        [Float](unsafeUninitializedCapacity: rows * columns) { buffer, count in
            widenRows(0..<rows, into: buffer.baseAddress!)
            count = rows * columns
        }
    }
}

/// The scratch that 16-bit weights are widened into: one buffer per model, sized for a tile of at
/// most `capacity` floats, reused by every projection. It also holds the model's low-precision
/// GEMMs: oneDNN bf16 when `gemm` chose it (nil otherwise), and the Q8_0 kernel's buffers.
final class WidenScratch: @unchecked Sendable {
    let capacity: Int
    let buffer: UnsafeMutablePointer<Float>
    let bf16: BF16GEMM?
    /// False on the f32 path (`DLLM_GEMM=f32`, or no bf16 hardware): every weight is widened.
    let lowPrecision: Bool
    private(set) lazy var q8_0 = Q8_0GEMM()
    /// bf16 weights in oneDNN's blocked layout, by address of their mapped bytes (built on the first
    /// call with enough rows; nil entries remember a shape oneDNN keeps plain).
    private var packedBF16: [UnsafeRawPointer: BF16PackedWeights?] = [:]

    /// The packed copy of a bf16 weight, nil when there is no oneDNN or it keeps the stored layout.
    /// As for Q8_0, a file-backed weight's pages are released after packing (fewer-row calls read
    /// the map and bring them back).
    func packed(bf16 w: WeightMatrix) -> BF16PackedWeights? {
        if let hit = packedBF16[w.slice.bytes] { return hit }
        guard let gemm = bf16 else { return nil }
        let packed = gemm.pack(weights: w.slice.bytes.assumingMemoryBound(to: UInt16.self), rows: w.rows, columns: w.columns,
                               rowOrder: w.slice.rowOrder)
        packedBF16[w.slice.bytes] = .some(packed)
        if packed != nil { w.slice.releaseResidentPages() }
        return packed
    }

    /// How many bf16 weights have a packed copy (tests).
    var packedBF16Count: Int { packedBF16.values.filter { $0 != nil }.count }

    /// bf16 copy of a dequantized tile (`capacity` values) for `projectDequantizedOnBF16`.
    private var bf16Tile: UnsafeMutablePointer<UInt16>?
    /// Q8_0 weights repacked for the prefill kernel, by address of their mapped bytes (which live
    /// as long as the model), built on the first call with enough rows.
    private var packedQ8_0: [UnsafeRawPointer: Q8_0PackedWeights] = [:]

    /// The packed copy of a Q8_0 weight, nil when the CPU has no packed kernel (or, when `build`
    /// is false, when none was built yet). Projections of ≥ `packedMinimumRows` rows no longer read
    /// the map, so a file-backed weight's pages are released after packing: the resident set then
    /// holds the packed copy, not both (1B Q8_0 peak RSS was 2.1 GiB with both).
    func packed(q8_0 w: WeightMatrix, build: Bool = true) -> Q8_0PackedWeights? {
        if let hit = packedQ8_0[w.slice.bytes] { return hit }
        guard build, let packed = Q8_0PackedWeights(q8_0: w.slice.bytes, rows: w.rows, columns: w.columns,
                                              rowOrder: w.slice.rowOrder) else { return nil }
        packedQ8_0[w.slice.bytes] = packed
        w.slice.releaseResidentPages()
        return packed
    }

    init(capacity: Int, gemm: GEMMChoice.Path = .openBLASF32) {
        self.capacity = max(capacity, 1)
        buffer = .allocate(capacity: self.capacity)
        bf16 = gemm == .oneDNNBF16 ? BF16GEMM() : nil
        lowPrecision = gemm == .oneDNNBF16
    }

    /// The bf16 tile, allocated on first use.
    func bf16TileBuffer() -> UnsafeMutablePointer<UInt16> {
        if let tile = bf16Tile { return tile }
        let tile = UnsafeMutablePointer<UInt16>.allocate(capacity: capacity)
        bf16Tile = tile
        return tile
    }

    deinit {
        buffer.deallocate()
        bf16Tile?.deallocate()
    }
}

/// out[n, W.rows] = x[n, W.columns] · Wᵀ (+ out when `accumulate`), through the scratch when W is
/// 16-bit: the rows of W are taken in tiles that fit the scratch, each widened and multiplied into
/// its column band of `out`.
func project(_ x: ConstMatrixView, _ w: WeightMatrix, into out: MatrixView, scratch: WidenScratch, accumulate: Bool = false) {
    if let view = w.inPlace {
        matmul(x, view, .transposed, into: out, accumulate: accumulate)
        return
    }
    if projectLowPrecision(x, w, into: out, scratch: scratch, accumulate: accumulate) { return }
    let tileRows = max(1, min(w.rows, scratch.capacity / max(w.columns, 1)))
    var start = 0
    while start < w.rows {
        let end = min(w.rows, start + tileRows)
        w.widenRows(start..<end, into: scratch.buffer)
        let tile = ConstMatrixView(scratch.buffer, rows: end - start, columns: w.columns)
        matmul(x, tile, .transposed, into: out.columns(start..<end), accumulate: accumulate)
        start = end
    }
}

/// The native paths: bf16 weights (2-byte aligned, in place) on oneDNN when the model chose it;
/// Q8_0 weights (raw 34-byte blocks, [rows, columns / 32 blocks]) on the block-scaled int8 kernel.
/// False when neither applies (or oneDNN refused the shape): the caller widens to f32.
private func projectLowPrecision(_ x: ConstMatrixView, _ w: WeightMatrix, into out: MatrixView, scratch: WidenScratch,
                                 accumulate: Bool) -> Bool {
    guard scratch.lowPrecision else { return false }
    if w.slice.dtype == .q8_0, w.columns % Q8_0GEMM.blockSize == 0,
       w.slice.byteCount >= w.rows * w.columns / Q8_0GEMM.blockSize * Q8_0GEMM.bytesPerBlock {
        // The kernel depends on the row count alone (not on whether a weight was packed before), so
        // results do not depend on call history; below the threshold the row-major kernel reads the
        // map, and released pages come back for those calls.
        if x.rows >= Q8_0GEMM.packedMinimumRows, let packed = scratch.packed(q8_0: w) {
            scratch.q8_0.multiply(x, packed: packed, into: out, accumulate: accumulate)
            return true
        }
        // The row-major kernel reads rows as stored; a permuted order (GGUF's LLaDA Q/K) widens.
        guard w.slice.rowOrder == nil else { return false }
        scratch.q8_0.multiply(x, q8_0: w.slice.bytes, into: out, accumulate: accumulate)
        return true
    }
    if w.slice.dtype.isSubByteBlockQuantized { return projectDequantizedOnBF16(x, w, into: out, scratch: scratch, accumulate: accumulate) }
    guard w.slice.dtype == .bf16, let gemm = scratch.bf16, Int(bitPattern: w.slice.bytes) % 2 == 0 else { return false }
    // From oneDNN's row threshold the packed copy runs (the layout check is per row count, so the
    // choice depends on the shape alone, never on which calls came first). Rows stored in a
    // permuted order (GGUF's LLaDA Q/K) are gathered into logical order by the packing; the
    // stored-order paths below cannot read them, so those calls widen.
    if x.rows >= BF16GEMM.minimumRows, let packed = scratch.packed(bf16: w),
       gemm.multiply(x, packed: packed, into: out, accumulate: accumulate) {
        return true
    }
    guard w.slice.rowOrder == nil else { return false }
    return gemm.multiply(x, weights: w.slice.bytes.assumingMemoryBound(to: UInt16.self), into: out, accumulate: accumulate)
}

/// Fewest activation rows for `projectDequantizedOnBF16` (prefill-sized passes).
let dequantizedBF16MinimumRows = 64

/// GGUF's 4- to 6-bit block types (Q4_0 … Q6_K) on the native path: each tile is dequantized as on
/// the f32 path, rounded to bf16 and multiplied on oneDNN, at about twice the f32 GEMM's rate.
/// Rounding a dequantized weight to bf16 (relative 2⁻⁹) is far below its quantization step (at
/// least 1/63 of its block's range). From `dequantizedBF16MinimumRows` rows: below, the extra pass
/// over the tile and oneDNN's per-call repacking cost more than the faster multiply saves (1B
/// Q4_K_M dual-cache step of 32 rows: 898 ms on tiles against 755 ms on f32 sgemm).
private func projectDequantizedOnBF16(_ x: ConstMatrixView, _ w: WeightMatrix, into out: MatrixView,
                                      scratch: WidenScratch, accumulate: Bool) -> Bool {
    guard let gemm = scratch.bf16, x.rows >= dequantizedBF16MinimumRows else { return false }
    let tile = scratch.bf16TileBuffer(), columns = w.columns
    let tileRows = max(1, min(w.rows, scratch.capacity / max(columns, 1)))
    var start = 0
    while start < w.rows {
        let end = min(w.rows, start + tileRows)
        w.widenRows(start..<end, into: scratch.buffer)
        let wide = scratch.buffer
        forEachRowBand(end - start, rowWidth: columns) { rows in
            dllm_f32_to_bf16(wide + rows.lowerBound * columns, tile + rows.lowerBound * columns, rows.count * columns)
        }
        if !gemm.multiply(x, weights: tile, into: out.columns(start..<end), accumulate: accumulate) {
            // oneDNN refused the shape: this tile on sgemm from the f32 copy still in the scratch.
            matmul(x, ConstMatrixView(wide, rows: end - start, columns: columns), .transposed,
                   into: out.columns(start..<end), accumulate: accumulate)
        }
        start = end
    }
    return true
}
