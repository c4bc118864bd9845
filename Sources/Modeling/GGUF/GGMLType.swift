/// The ggml tensor types dllm-play reads from GGUF files, with their block geometry.
///
/// Every quantized type packs the elements of one row in blocks of `blockSize` values stored in
/// `bytesPerBlock` bytes; a block never straddles two rows (ggml requires `ne0 % blockSize == 0`),
/// so a row dequantizes on its own. The numbers are those of the GGUF format (`ggml.h` type ids).
public enum GGMLType: UInt32, Sendable, CaseIterable, CustomStringConvertible {
    case f32 = 0
    case f16 = 1
    case q4_0 = 2
    case q4_1 = 3
    case q5_0 = 6
    case q5_1 = 7
    case q8_0 = 8
    case q4_K = 12
    case q5_K = 13
    case q6_K = 14
    case bf16 = 30

    /// Elements per block.
    public var blockSize: Int {
        switch self {
        case .f32, .f16, .bf16: 1
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0: 32
        case .q4_K, .q5_K, .q6_K: 256
        }
    }

    /// Bytes per block.
    public var bytesPerBlock: Int {
        switch self {
        case .f32: 4
        case .f16, .bf16: 2
        case .q4_0: 18   // f16 d, 16 bytes of 4-bit values
        case .q4_1: 20   // f16 d, f16 m, 16 bytes
        case .q5_0: 22   // f16 d, 4 bytes of high bits, 16 bytes
        case .q5_1: 24   // f16 d, f16 m, 4 bytes of high bits, 16 bytes
        case .q8_0: 34   // f16 d, 32 int8
        case .q4_K: 144  // f16 d, f16 dmin, 12 bytes of 6-bit scales/mins, 128 bytes
        case .q5_K: 176  // f16 d, f16 dmin, 12 bytes scales, 32 bytes high bits, 128 bytes
        case .q6_K: 210  // 128 bytes low 4 bits, 64 bytes high 2 bits, 16 int8 scales, f16 d
        }
    }

    /// The name llama.cpp and the `gguf` package print ("Q4_K", "BF16").
    public var description: String {
        switch self {
        case .f32: "F32"
        case .f16: "F16"
        case .bf16: "BF16"
        case .q4_0: "Q4_0"
        case .q4_1: "Q4_1"
        case .q5_0: "Q5_0"
        case .q5_1: "Q5_1"
        case .q8_0: "Q8_0"
        case .q4_K: "Q4_K"
        case .q5_K: "Q5_K"
        case .q6_K: "Q6_K"
        }
    }

    /// Bytes of a row of `columns` elements, or nil when `columns` is not a whole number of blocks
    /// or the size overflows.
    public func rowBytes(columns: Int) -> Int? {
        guard columns >= 0, columns % blockSize == 0 else { return nil }
        let (bytes, overflow) = (columns / blockSize).multipliedReportingOverflow(by: bytesPerBlock)
        return overflow ? nil : bytes
    }
}
