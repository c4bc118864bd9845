import Foundation

/// Element types the engine reads: the three of safetensors, and the ggml block-quantized types
/// of GGUF files (named as llama.cpp names them).
public enum TensorDType: String, Sendable, Codable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16"
    case q8_0 = "Q8_0", q4_0 = "Q4_0", q4_1 = "Q4_1", q5_0 = "Q5_0", q5_1 = "Q5_1"
    case q4_K = "Q4_K", q5_K = "Q5_K", q6_K = "Q6_K"

    /// Bytes per element of the unquantized types (safetensors reads only these).
    public var byteSize: Int { self == .f32 ? 4 : 2 }

    /// GGUF's 4- to 6-bit block types (everything quantized but Q8_0).
    public var isSubByteBlockQuantized: Bool {
        switch self {
        case .q4_0, .q4_1, .q5_0, .q5_1, .q4_K, .q5_K, .q6_K: return true
        case .f32, .f16, .bf16, .q8_0: return false
        }
    }

    /// Whether a safetensors file may hold it.
    public var isSafetensorsType: Bool { self == .f32 || self == .f16 || self == .bf16 }
}

/// One tensor inside a mapped safetensors file: its bytes stay in the map.
public struct TensorSlice: @unchecked Sendable {
    public let name: String
    public let dtype: TensorDType
    public let shape: [Int]
    /// First byte of the tensor's data inside the map.
    public let bytes: UnsafeRawPointer
    public let byteCount: Int
    /// Keeps the map alive as long as the slice is.
    public let file: MappedFile
    /// Row r of the tensor is stored row `rowOrder[r]` (GGUF's permuted LLaDA Q/K); nil: in order.
    public var rowOrder: [Int]? = nil

    public var elementCount: Int { shape.reduce(1, *) }

    /// Whether the bytes live in a file-backed map (so their pages may be released and re-read),
    /// as opposed to anonymous memory (random and converted in-memory checkpoints).
    public var isFileBacked: Bool { file.isFileBacked }

    /// Releases the resident pages of this tensor's bytes when they are file-backed; a no-op on
    /// anonymous memory. See `MappedFile.releaseResidentPages(from:byteCount:)`.
    @discardableResult
    public func releaseResidentPages() -> Bool {
        isFileBacked && file.releaseResidentPages(from: bytes, byteCount: byteCount)
    }
}

/// A safetensors file: 8-byte little-endian header length N, N bytes of JSON header
/// `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}`, then the data
/// section, offsets relative to its start. The header is untrusted: every offset, shape and dtype
/// is checked against the file before a pointer is formed.
public struct SafetensorsFile: Sendable {
    public let file: MappedFile
    public let tensors: [String: TensorSlice]
    public let headerLength: Int

    public init(path: String) throws {
        try self.init(file: MappedFile(path: path))
    }

    public init(file: MappedFile) throws {
        let path = file.path
        guard file.size >= 8, let base = file.bytes else { throw ModelError.fileTooSmall(path: path, size: file.size) }
        let declared = file.littleEndianUInt64(at: 0)
        guard declared <= UInt64(file.size - 8) else {
            throw ModelError.headerBeyondFile(path: path, headerLength: declared, fileSize: file.size)
        }
        let headerLength = Int(declared)
        let headerData = Data(bytes: base + 8, count: headerLength)
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: headerData) } catch {
            throw ModelError.malformedHeader(path: path, reason: "not JSON (\(error.localizedDescription))")
        }
        guard let entries = json as? [String: Any] else {
            throw ModelError.malformedHeader(path: path, reason: "top level is not an object")
        }
        let dataStart = 8 + headerLength
        let dataLength = file.size - dataStart
        var tensors: [String: TensorSlice] = [:]
        for (name, value) in entries where name != "__metadata__" {
            guard let entry = value as? [String: Any], let dtypeName = entry["dtype"] as? String,
                  let shapeValues = entry["shape"] as? [Any], let offsetValues = entry["data_offsets"] as? [Any]
            else { throw ModelError.malformedHeader(path: path, reason: "tensor \(name) lacks dtype, shape or data_offsets") }
            guard let dtype = TensorDType(rawValue: dtypeName), dtype.isSafetensorsType else {
                throw ModelError.unknownDType(path: path, tensor: name, dtype: dtypeName)
            }
            let shape = try shapeValues.map { try Self.integer($0, path: path, what: "shape of \(name)") }
            let offsets = try offsetValues.map { try Self.integer($0, path: path, what: "data_offsets of \(name)") }
            guard offsets.count == 2, shape.allSatisfy({ $0 >= 0 }) else {
                throw ModelError.malformedHeader(path: path, reason: "tensor \(name): shape \(shape), data_offsets \(offsets)")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end else {
                throw ModelError.offsetsOutOfBounds(path: path, tensor: name, begin: begin, end: end, dataLength: dataLength)
            }
            var elements = 1
            for extent in shape {
                let (product, overflow) = elements.multipliedReportingOverflow(by: extent)
                guard !overflow else { throw ModelError.malformedHeader(path: path, reason: "tensor \(name): shape \(shape) overflows") }
                elements = product
            }
            let expected = elements.multipliedReportingOverflow(by: dtype.byteSize)
            guard !expected.overflow, expected.partialValue == end - begin else {
                throw ModelError.byteLengthMismatch(path: path, tensor: name, shape: shape, dtype: dtypeName,
                                                    expectedBytes: expected.partialValue, foundBytes: end - begin)
            }
            guard end <= dataLength else {
                throw ModelError.truncatedFile(path: path, tensor: name, needed: dataStart + end, fileSize: file.size)
            }
            tensors[name] = TensorSlice(name: name, dtype: dtype, shape: shape, bytes: base + dataStart + begin,
                                        byteCount: end - begin, file: file)
        }
        try Self.checkTiling(tensors.values.map { (name: $0.name, begin: base.distance(to: $0.bytes) - dataStart, end: base.distance(to: $0.bytes) - dataStart + $0.byteCount) },
                             dataLength: dataLength, path: path)
        self.file = file
        self.tensors = tensors
        self.headerLength = headerLength
    }

    /// The format requires the tensors to cover the data section exactly: no gap, no overlap,
    /// nothing after the last one. A header whose length is off by a byte or two still parses as
    /// JSON, but then every tensor is shifted, and only this check notices.
    static func checkTiling(_ spans: [(name: String, begin: Int, end: Int)], dataLength: Int, path: String) throws {
        var covered = 0
        var previous = "the start of the data section"
        for span in spans.sorted(by: { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }) {
            guard span.begin == covered else {
                let problem = span.begin > covered ? "a gap of \(span.begin - covered) bytes" : "an overlap of \(covered - span.begin) bytes"
                throw ModelError.malformedHeader(path: path, reason: "tensor \(span.name) starts at data offset \(span.begin), "
                    + "leaving \(problem) after \(previous) (expected \(covered); is the header length right?)")
            }
            covered = span.end
            previous = "tensor \(span.name)"
        }
        guard covered == dataLength else {
            throw ModelError.malformedHeader(path: path, reason: "the tensors cover \(covered) bytes of a \(dataLength)-byte data section "
                + "(expected them to cover it exactly; is the header length right?)")
        }
    }

    /// A JSON number that is an exact integer (JSONSerialization yields NSNumber / Int / Double).
    private static func integer(_ value: Any, path: String, what: String) throws -> Int {
        if let int = value as? Int { return int }
        if let double = value as? Double, double == double.rounded(), abs(double) < 9e15 { return Int(double) }
        throw ModelError.malformedHeader(path: path, reason: "\(what): \(value) is not an integer")
    }
}
