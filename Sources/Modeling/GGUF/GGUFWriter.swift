import Foundation

/// A tensor to write: its name, shape in HF order ([rows, columns] or [n]) and type.
public struct GGUFTensorPlan: Sendable {
    public var name: String
    public var shape: [Int]
    public var type: GGMLType

    public init(name: String, shape: [Int], type: GGMLType) {
        self.name = name
        self.shape = shape
        self.type = type
    }

    public var columns: Int { shape.last ?? 1 }
    public var rows: Int { shape.count > 1 ? shape.dropLast().reduce(1, *) : 1 }
    public var byteCount: Int { rows * (type.rowBytes(columns: columns) ?? 0) }
}

/// Writes GGUF v3 files: header, metadata, tensor infos, then each tensor's data at the next
/// multiple of the alignment. The data is asked for a band of rows at a time (`fill` writes the
/// f32 rows, which are then quantized to the tensor's type), so an 8B-parameter file is written
/// in chunks of a few MB without ever holding a tensor whole. For benchmarks and test models.
public enum GGUFWriter {
    public static let alignment = 32
    /// Floats per band of rows handed to `fill`.
    public static let bandFloats = 1 << 22

    public static func write(path: String, metadata: [(key: String, value: GGUFValue)], tensors: [GGUFTensorPlan],
                             fill: (GGUFTensorPlan, Range<Int>, UnsafeMutablePointer<Float>) -> Void) throws {
        for plan in tensors where plan.type.rowBytes(columns: plan.columns) == nil {
            throw GGUFError.invalidTensor(path: path, tensor: plan.name,
                                          reason: "\(plan.columns) columns is not a whole number of \(plan.type) blocks")
        }
        var header = Data("GGUF".utf8)
        header.append(littleEndian: UInt32(3))
        header.append(littleEndian: UInt64(tensors.count))
        header.append(littleEndian: UInt64(metadata.count))
        for (key, value) in metadata {
            header.append(string: key)
            header.append(littleEndian: valueType(value))
            header.append(value: value)
        }
        var offset = 0
        for plan in tensors {
            header.append(string: plan.name)
            header.append(littleEndian: UInt32(plan.shape.count))
            for n in plan.shape.reversed() { header.append(littleEndian: UInt64(n)) }  // ne[0] is the contiguous dimension
            header.append(littleEndian: plan.type.rawValue)
            header.append(littleEndian: UInt64(offset))
            offset = padded(offset + plan.byteCount)
        }
        header.append(Data(count: padded(header.count) - header.count))

        guard FileManager.default.createFile(atPath: path, contents: header), let handle = FileHandle(forWritingAtPath: path) else {
            throw ModelError.fileUnreadable(path: path, reason: "cannot create the file")
        }
        defer { try? handle.close() }
        try handle.seekToEnd()
        for plan in tensors {
            let columns = plan.columns, rowBytes = plan.type.rowBytes(columns: columns) ?? 0
            let bandRows = max(1, min(plan.rows, bandFloats / max(columns, 1)))
            let floats = UnsafeMutablePointer<Float>.allocate(capacity: bandRows * columns)
            defer { floats.deallocate() }
            var bytes = Data(count: bandRows * rowBytes)
            var start = 0
            while start < plan.rows {
                let end = min(plan.rows, start + bandRows)
                fill(plan, start..<end, floats)
                bytes.withUnsafeMutableBytes { raw in
                    for r in 0..<(end - start) {
                        plan.type.quantizeRow(floats + r * columns, columns: columns, into: raw.baseAddress! + r * rowBytes)
                    }
                }
                try handle.write(contentsOf: bytes.prefix((end - start) * rowBytes))
                start = end
            }
            let padding = padded(plan.byteCount) - plan.byteCount
            if padding > 0, plan.name != tensors.last?.name { try handle.write(contentsOf: Data(count: padding)) }
        }
    }

    private static func padded(_ n: Int) -> Int { (n + alignment - 1) / alignment * alignment }

    private static func valueType(_ value: GGUFValue) -> UInt32 {
        let names = ["uint8", "int8", "uint16", "int16", "uint32", "int32", "float32", "bool", "string", "array",
                     "uint64", "int64", "float64"]
        switch value {
        case .unsigned(_, let name), .signed(_, let name), .float(_, let name): return UInt32(names.firstIndex(of: name) ?? 4)
        case .bool: return 7
        case .string: return 8
        case .array: return 9
        }
    }

    fileprivate static func elementType(_ name: String) -> UInt32 {
        valueType(name == "string" ? .string("") : name == "bool" ? .bool(false) : .unsigned(0, typeName: name))
    }
}

private extension Data {
    mutating func append<T: FixedWidthInteger>(littleEndian value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    mutating func append(string: String) {
        append(littleEndian: UInt64(string.utf8.count))
        append(contentsOf: Array(string.utf8))
    }

    mutating func append(value: GGUFValue) {
        switch value {
        case let .unsigned(v, name):
            switch name {
            case "uint8": append(littleEndian: UInt8(truncatingIfNeeded: v))
            case "uint16": append(littleEndian: UInt16(truncatingIfNeeded: v))
            case "uint64": append(littleEndian: v)
            default: append(littleEndian: UInt32(truncatingIfNeeded: v))
            }
        case let .signed(v, name):
            switch name {
            case "int8": append(littleEndian: Int8(truncatingIfNeeded: v))
            case "int16": append(littleEndian: Int16(truncatingIfNeeded: v))
            case "int64": append(littleEndian: v)
            default: append(littleEndian: Int32(truncatingIfNeeded: v))
            }
        case let .float(v, name):
            if name == "float64" { append(littleEndian: v.bitPattern) } else { append(littleEndian: Float(v).bitPattern) }
        case let .bool(flag): append(littleEndian: UInt8(flag ? 1 : 0))
        case let .string(text): append(string: text)
        case let .array(values, element):
            append(littleEndian: GGUFWriter.elementType(element))
            append(littleEndian: UInt64(values.count))
            for item in values { append(value: item) }
        }
    }
}
