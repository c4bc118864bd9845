/// Widening of 16-bit floats as stored in safetensors checkpoints (little-endian bit patterns).

/// bfloat16 → Float: the bf16 bits are the high half of the f32 bits.
@inline(__always) public func floatFromBFloat16(_ bits: UInt16) -> Float {
    Float(bitPattern: UInt32(bits) << 16)
}

/// IEEE binary16 → Float, by bit manipulation (handles zero, subnormals, infinities and NaN).
@inline(__always) public func floatFromFloat16(_ bits: UInt16) -> Float {
    let sign = UInt32(bits & 0x8000) << 16
    let exponent = Int(bits >> 10) & 0x1F
    let mantissa = UInt32(bits & 0x03FF)
    switch exponent {
    case 0:
        if mantissa == 0 { return Float(bitPattern: sign) }
        // Subnormal: value = mantissa · 2^-24.
        let magnitude = Float(mantissa) * Float(bitPattern: 0x3380_0000)  // 2^-24
        return sign == 0 ? magnitude : -magnitude
    case 0x1F:
        return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    default:
        return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
    }
}

/// Widens `count` bf16 values to f32.
public func widenBFloat16(_ source: UnsafePointer<UInt16>, into destination: UnsafeMutablePointer<Float>, count: Int) {
    let out = UnsafeMutableRawPointer(destination).assumingMemoryBound(to: UInt32.self)
    for i in 0..<count { out[i] = UInt32(source[i]) << 16 }
}

/// Widens `count` f16 values to f32.
public func widenFloat16(_ source: UnsafePointer<UInt16>, into destination: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { destination[i] = floatFromFloat16(source[i]) }
}
