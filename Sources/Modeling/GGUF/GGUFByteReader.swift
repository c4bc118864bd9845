/// A bounds-checked little-endian reader over a mapped GGUF file. Every read checks that its bytes
/// lie inside the file before touching them, and every count read from the file is checked against
/// the bytes left before anything is allocated for it, so a lying header costs an error, not memory.
struct GGUFByteReader {
    let path: String
    let base: UnsafeRawPointer?
    let size: Int
    private(set) var offset = 0

    init(path: String, base: UnsafeRawPointer?, size: Int) {
        self.path = path
        self.base = base
        self.size = size
    }

    var remaining: Int { size - offset }

    private mutating func take(_ count: Int, _ what: @autoclosure () -> String) throws(GGUFError) -> UnsafeRawPointer {
        guard count >= 0, count <= remaining, let base else {
            throw .truncated(path: path, offset: offset, what: what(), needed: count, fileSize: size)
        }
        defer { offset += count }
        return base + offset
    }

    mutating func u8(_ what: @autoclosure () -> String) throws(GGUFError) -> UInt8 {
        try take(1, what()).load(as: UInt8.self)
    }

    mutating func u32(_ what: @autoclosure () -> String) throws(GGUFError) -> UInt32 {
        UInt32(littleEndian: try take(4, what()).loadUnaligned(as: UInt32.self))
    }

    mutating func u64(_ what: @autoclosure () -> String) throws(GGUFError) -> UInt64 {
        UInt64(littleEndian: try take(8, what()).loadUnaligned(as: UInt64.self))
    }

    /// A u64 count or length that must fit both an Int and `limit` (usually what the rest of the
    /// file could hold).
    mutating func count(_ what: @autoclosure () -> String, atMost limit: Int) throws(GGUFError) -> Int {
        let start = offset
        let value = try u64(what())
        guard value <= UInt64(max(0, limit)) else {
            throw .invalidValue(path: path, offset: start, what: what(),
                                reason: "\(value) is more than the \(max(0, limit)) the rest of the file can hold")
        }
        return Int(value)
    }

    /// A GGUF string: u64 byte length, then UTF-8 bytes (invalid sequences become U+FFFD).
    mutating func string(_ what: @autoclosure () -> String, maxLength: Int = .max) throws(GGUFError) -> String {
        let length = try count("length of \(what())", atMost: min(maxLength, remaining - 8))
        let bytes = try take(length, what())
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
    }

    /// One value of GGUF value type `type` (0…12); arrays nest at most `depth` levels.
    mutating func value(type: UInt32, key: String, depth: Int = 0) throws(GGUFError) -> GGUFValue {
        let what = "value of \"\(key)\""
        switch type {
        case 0: return .unsigned(UInt64(try u8(what)), typeName: "uint8")
        case 1: return .signed(Int64(Int8(bitPattern: try u8(what))), typeName: "int8")
        case 2: return .unsigned(UInt64(UInt16(littleEndian: try take(2, what).loadUnaligned(as: UInt16.self))), typeName: "uint16")
        case 3: return .signed(Int64(Int16(bitPattern: UInt16(littleEndian: try take(2, what).loadUnaligned(as: UInt16.self)))),
                               typeName: "int16")
        case 4: return .unsigned(UInt64(try u32(what)), typeName: "uint32")
        case 5: return .signed(Int64(Int32(bitPattern: try u32(what))), typeName: "int32")
        case 6: return .float(Double(Float(bitPattern: try u32(what))), typeName: "float32")
        case 7:
            let start = offset
            let byte = try u8(what)
            guard byte <= 1 else { throw .invalidValue(path: path, offset: start, what: what, reason: "bool byte \(byte), expected 0 or 1") }
            return .bool(byte == 1)
        case 8: return .string(try string(what))
        case 9:
            let start = offset
            let elementType = try u32("element type of \"\(key)\"")
            guard depth < 3 else { throw .invalidValue(path: path, offset: start, what: what, reason: "arrays nested deeper than 3") }
            // Every element takes at least one byte, so the count cannot exceed the bytes left.
            let n = try count("element count of \"\(key)\"", atMost: remaining - 8)
            var values: [GGUFValue] = []
            values.reserveCapacity(n)
            for _ in 0..<n { values.append(try value(type: elementType, key: key, depth: depth + 1)) }
            return .array(values, elementType: Self.typeName(elementType))
        case 10: return .unsigned(try u64(what), typeName: "uint64")
        case 11: return .signed(Int64(bitPattern: try u64(what)), typeName: "int64")
        case 12: return .float(Double(bitPattern: try u64(what)), typeName: "float64")
        default:
            throw .invalidValue(path: path, offset: offset - 4, what: "type of \"\(key)\"", reason: "unknown value type \(type) (0…12)")
        }
    }

    static func typeName(_ type: UInt32) -> String {
        let names = ["uint8", "int8", "uint16", "int16", "uint32", "int32", "float32", "bool", "string", "array",
                     "uint64", "int64", "float64"]
        return Int(type) < names.count ? names[Int(type)] : "type \(type)"
    }
}
