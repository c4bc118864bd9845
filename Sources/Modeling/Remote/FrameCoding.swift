import Foundation

/// Builds one frame payload: the kind byte, then little-endian fields.
struct FrameWriter {
    private(set) var bytes: [UInt8]

    init(_ kind: EngineWire.Kind, reserving capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity + 5)
        bytes.append(kind.rawValue)
    }

    mutating func u8(_ value: UInt8) { bytes.append(value) }
    mutating func u16(_ value: UInt16) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u32(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func raw(_ data: [UInt8]) { bytes.append(contentsOf: data) }

    /// A string: u16 byte count and UTF-8, cut to the cap on a character boundary.
    mutating func string(_ text: String) {
        var utf8 = Array(text.utf8)
        while utf8.count > EngineWire.maxString { utf8 = Array(String(decoding: utf8.dropLast(), as: UTF8.self).utf8) }
        u16(UInt16(utf8.count))
        raw(utf8)
    }

    /// The frame on the wire: u32 payload length, then the payload.
    var frame: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count + 4)
        withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: bytes)
        return out
    }
}

/// Reads the fields of one received payload, never past its end: a short payload is a
/// `malformed` error naming the field, not a crash.
struct FrameReader {
    let payload: [UInt8]
    let engine: String
    private(set) var offset = 0

    init(_ payload: [UInt8], engine: String) {
        self.payload = payload
        self.engine = engine
    }

    var remaining: Int { payload.count - offset }

    private mutating func take(_ count: Int, _ field: String) throws(EngineError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else {
            throw .malformed(engine: engine, reason: "payload ends inside \(field) (needs \(count) bytes at offset \(offset), "
                             + "\(remaining) left)")
        }
        defer { offset += count }
        return payload[offset..<offset + count]
    }

    mutating func u8(_ field: String) throws(EngineError) -> UInt8 {
        let b = try take(1, field)
        return b[b.startIndex]
    }

    mutating func u16(_ field: String) throws(EngineError) -> UInt16 {
        let b = try take(2, field)
        return UInt16(b[b.startIndex]) | UInt16(b[b.startIndex + 1]) << 8
    }

    mutating func u32(_ field: String) throws(EngineError) -> UInt32 {
        let b = try take(4, field)
        var value: UInt32 = 0
        for (i, byte) in b.enumerated() { value |= UInt32(byte) << (8 * i) }
        return value
    }

    mutating func u64(_ field: String) throws(EngineError) -> UInt64 {
        let b = try take(8, field)
        var value: UInt64 = 0
        for (i, byte) in b.enumerated() { value |= UInt64(byte) << (8 * i) }
        return value
    }

    mutating func f64(_ field: String) throws(EngineError) -> Double { Double(bitPattern: try u64(field)) }

    /// A u32 that must lie within `limit` (inclusive), as an Int.
    mutating func count(_ field: String, cap limit: Int) throws(EngineError) -> Int {
        let value = Int(try u32(field))
        guard value <= limit else { throw .tooLarge(engine: engine, what: field, value: value, cap: limit) }
        return value
    }

    mutating func string(_ field: String) throws(EngineError) -> String {
        let length = Int(try u16(field))
        guard length <= EngineWire.maxString else {
            throw .tooLarge(engine: engine, what: field, value: length, cap: EngineWire.maxString)
        }
        return String(decoding: try take(length, field), as: UTF8.self)
    }

    mutating func bytes(_ count: Int, _ field: String) throws(EngineError) -> ArraySlice<UInt8> { try take(count, field) }

    /// The payload must be used up exactly.
    func finish(_ frame: String) throws(EngineError) {
        guard remaining == 0 else { throw .malformed(engine: engine, reason: "\(remaining) stray bytes after the \(frame) frame") }
    }
}
