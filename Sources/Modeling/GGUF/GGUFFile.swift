/// One tensor of a GGUF file: its bytes stay in the map.
public struct GGUFTensor: @unchecked Sendable {
    public let name: String
    public let type: GGMLType
    /// [rows, columns] order as in HF checkpoints: the reverse of GGUF's `ne` (where `ne[0]` is the
    /// contiguous dimension).
    public let shape: [Int]
    /// Offset of the data from the start of the data section.
    public let offset: Int
    public let byteCount: Int
    public let bytes: UnsafeRawPointer

    public var elementCount: Int { shape.reduce(1, *) }
    /// Elements per row (the contiguous dimension).
    public var columns: Int { shape.last ?? 1 }
    public var rows: Int { elementCount / max(1, columns) }

    /// The whole tensor widened to f32, row-major [rows, columns].
    public func floats() -> [Float] {
        let rowBytes = type.rowBytes(columns: columns)!
        return [Float](unsafeUninitializedCapacity: elementCount) { buffer, count in
            for r in 0..<rows {
                type.dequantizeRow(bytes + r * rowBytes, columns: columns, into: buffer.baseAddress! + r * columns)
            }
            count = elementCount
        }
    }
}

/// A GGUF file (versions 2 and 3): magic "GGUF", u32 version, u64 tensor count, u64 metadata count,
/// the metadata key/values, the tensor infos (name, dimensions, ggml type, offset), then the data
/// section at the next multiple of `general.alignment` (32 by default). The file is untrusted: every
/// count, string length, dimension, offset and extent is bounds-checked, and the tensors must tile
/// the data section in offset order (each starting at the aligned end of the one before, nothing
/// overlapping, nothing past the end), so a header that is off by a byte is refused, not misread.
public struct GGUFFile: Sendable {
    public let file: MappedFile
    public let version: UInt32
    /// Metadata in file order.
    public let metadata: [(key: String, value: GGUFValue)]
    public let tensors: [GGUFTensor]
    public let alignment: Int
    public let dataOffset: Int

    public static let magic: [UInt8] = Array("GGUF".utf8)

    public init(path: String) throws {
        try self.init(file: MappedFile(path: path))
    }

    public init(file: MappedFile) throws(GGUFError) {
        self.file = file
        let path = file.path
        var reader = GGUFByteReader(path: path, base: file.bytes, size: file.size)
        guard file.size >= 4, let bytes = file.bytes,
              (0..<4).allSatisfy({ bytes.load(fromByteOffset: $0, as: UInt8.self) == Self.magic[$0] }) else {
            let shown = (0..<min(4, file.size)).map { String(format2: file.bytes!.load(fromByteOffset: $0, as: UInt8.self)) }
            throw .notGGUF(path: path, magic: shown.isEmpty ? "(empty file)" : shown.joined(separator: " "))
        }
        _ = try reader.u32("magic")
        version = try reader.u32("version")
        guard version == 2 || version == 3 else { throw .unsupportedVersion(path: path, version: version) }
        // A tensor info takes at least 8 + 4 + 8 + 4 + 8 bytes and a key/value at least 8 + 4 + 1.
        let tensorCount = try reader.count("tensor count", atMost: reader.remaining / 32)
        let keyCount = try reader.count("metadata count", atMost: reader.remaining / 13)

        var metadata: [(key: String, value: GGUFValue)] = []
        var seen: Set<String> = []
        for index in 0..<keyCount {
            let key = try reader.string("metadata key \(index)", maxLength: 65_535)
            guard seen.insert(key).inserted else { throw .duplicateKey(path: path, key: key) }
            let type = try reader.u32("type of \"\(key)\"")
            metadata.append((key, try reader.value(type: type, key: key)))
        }
        self.metadata = metadata

        var alignment = 32
        if let value = metadata.first(where: { $0.key == "general.alignment" })?.value {
            guard case .unsigned(let a, "uint32") = value else {
                throw .wrongKeyType(path: path, key: "general.alignment", expected: "uint32", found: value.typeName)
            }
            guard a > 0, a & (a - 1) == 0, a <= 1 << 20 else {
                throw .invalidValue(path: path, offset: 0, what: "general.alignment", reason: "\(a) is not a power of two up to 2^20")
            }
            alignment = Int(a)
        }
        self.alignment = alignment

        var infos: [(name: String, ne: [Int], type: GGMLType, offset: Int)] = []
        var names: Set<String> = []
        for index in 0..<tensorCount {
            let name = try reader.string("name of tensor \(index)", maxLength: 1024)
            guard names.insert(name).inserted else { throw .duplicateTensor(path: path, tensor: name) }
            let dimensionsAt = reader.offset
            let dimensionCount = try reader.u32("dimension count of \(name)")
            guard (1...4).contains(dimensionCount) else {
                throw .invalidValue(path: path, offset: dimensionsAt, what: "dimension count of \(name)", reason: "\(dimensionCount), expected 1…4")
            }
            var ne: [Int] = []
            for d in 0..<Int(dimensionCount) {
                let at = reader.offset
                let n = try reader.u64("dimension \(d) of \(name)")
                guard n >= 1, n <= UInt64(Int32.max) else {
                    throw .invalidValue(path: path, offset: at, what: "dimension \(d) of \(name)", reason: "\(n), expected 1…\(Int32.max)")
                }
                ne.append(Int(n))
            }
            let typeID = try reader.u32("type of \(name)")
            guard let type = GGMLType(rawValue: typeID) else { throw .unsupportedTensorType(path: path, tensor: name, typeID: typeID) }
            let offsetAt = reader.offset
            let offset = try reader.u64("offset of \(name)")
            guard offset <= UInt64(file.size) else {
                throw .invalidValue(path: path, offset: offsetAt, what: "offset of \(name)", reason: "\(offset) is beyond the file (\(file.size) bytes)")
            }
            infos.append((name, ne, type, Int(offset)))
        }
        let headerEnd = reader.offset
        dataOffset = (headerEnd + alignment - 1) / alignment * alignment
        guard dataOffset <= file.size else {
            throw .truncated(path: path, offset: headerEnd, what: "padding before the data section", needed: dataOffset - headerEnd,
                             fileSize: file.size)
        }
        tensors = try Self.placeTensors(infos, bytes: bytes + dataOffset, dataLength: file.size - dataOffset, alignment: alignment, path: path)
    }

    /// Checks every tensor's extent and that the extents tile the data section; returns the tensors
    /// in file order.
    private static func placeTensors(_ infos: [(name: String, ne: [Int], type: GGMLType, offset: Int)], bytes: UnsafeRawPointer,
                                     dataLength: Int, alignment: Int, path: String) throws(GGUFError) -> [GGUFTensor] {
        var tensors: [GGUFTensor] = []
        for info in infos {
            guard let rowBytes = info.type.rowBytes(columns: info.ne[0]) else {
                throw .invalidTensor(path: path, tensor: info.name,
                                     reason: "\(info.ne[0]) columns is not a whole number of \(info.type) blocks of \(info.type.blockSize)")
            }
            var byteCount = rowBytes
            for n in info.ne.dropFirst() {
                let (product, overflow) = byteCount.multipliedReportingOverflow(by: n)
                guard !overflow else { throw .invalidTensor(path: path, tensor: info.name, reason: "size \(info.ne) overflows") }
                byteCount = product
            }
            guard info.offset % alignment == 0 else {
                throw .invalidTensor(path: path, tensor: info.name, reason: "offset \(info.offset) is not a multiple of the alignment \(alignment)")
            }
            guard info.offset <= dataLength, byteCount <= dataLength - info.offset else {
                throw .invalidTensor(path: path, tensor: info.name,
                                     reason: "data [\(info.offset), \(info.offset + byteCount)) runs past the data section (\(dataLength) bytes); "
                                        + "hint: the file is truncated")
            }
            tensors.append(GGUFTensor(name: info.name, type: info.type, shape: info.ne.reversed(), offset: info.offset,
                                      byteCount: byteCount, bytes: bytes + info.offset))
        }
        var expected = 0, end = 0
        for tensor in tensors.sorted(by: { $0.offset < $1.offset }) {
            guard tensor.offset == expected else {
                let problem = tensor.offset < expected ? "overlaps the tensor before it" : "leaves a gap before it"
                throw .invalidTensor(path: path, tensor: tensor.name,
                                     reason: "starts at \(tensor.offset), expected \(expected): it \(problem)")
            }
            end = tensor.offset + tensor.byteCount
            expected = (end + alignment - 1) / alignment * alignment
        }
        // Only the padding of the last tensor may follow it.
        guard dataLength - end < alignment else {
            throw .invalidValue(path: path, offset: end, what: "data section",
                                reason: "\(dataLength - end) bytes after the last tensor belong to no tensor")
        }
        return tensors
    }

    /// The metadata value of `key`, if present.
    public subscript(key: String) -> GGUFValue? { metadata.first { $0.key == key }?.value }

    public func tensor(_ name: String) -> GGUFTensor? { tensors.first { $0.name == name } }
}

private extension String {
    init(format2 byte: UInt8) {
        let digits = Array("0123456789abcdef")
        self = "0x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 15)])
    }
}
