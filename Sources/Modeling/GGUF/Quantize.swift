// Quantization of one f32 row to a ggml block type: the inverse of Dequantize.swift, for writing
// GGUF files (bench models generated on the fly, test models of every type). The simple block
// types follow ggml's reference rounding; the K-quants use per-sub-block min/max scales rounded to
// 6 bits (not llama.cpp's scale search), which is a valid file of that type with a little more
// error. Whatever is written, the model computes with what `dequantizeRow` reads back.

extension GGMLType {
    /// Quantizes `columns` floats (a whole number of blocks) from `source` into `destination`
    /// (`rowBytes(columns:)` bytes).
    public func quantizeRow(_ source: UnsafePointer<Float>, columns: Int, into destination: UnsafeMutableRawPointer) {
        for b in 0..<columns / blockSize {
            let x = source + b * blockSize
            let block = destination + b * bytesPerBlock
            switch self {
            case .f32: block.storeBytes(of: x.pointee, as: Float.self)
            case .f16: block.storeBytes(of: Float16(x.pointee).bitPattern, as: UInt16.self)
            case .bf16: block.storeBytes(of: bfloat16Bits(x.pointee), as: UInt16.self)
            case .q8_0: quantizeQ8_0(x, block)
            case .q4_0, .q4_1: quantizeQ4(x, block, hasMinimum: self == .q4_1)
            case .q5_0, .q5_1: quantizeQ5(x, block, hasMinimum: self == .q5_1)
            case .q4_K, .q5_K: quantizeQ45_K(x, block, bits: self == .q4_K ? 4 : 5)
            case .q6_K: quantizeQ6_K(x, block)
            }
        }
    }
}

/// Round to nearest even of the top 16 bits (NaN stays NaN).
private func bfloat16Bits(_ value: Float) -> UInt16 {
    let bits = value.bitPattern
    if value.isNaN { return UInt16(bits >> 16) | 0x40 }
    return UInt16((bits &+ 0x7FFF &+ ((bits >> 16) & 1)) >> 16)
}

private func storeHalf(_ value: Float, _ block: UnsafeMutableRawPointer, _ offset: Int) {
    block.storeBytes(of: Float16(value).bitPattern, toByteOffset: offset, as: UInt16.self)
}

/// The value of largest magnitude, with its sign.
private func signedMaximum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var best: Float = 0
    for i in 0..<n where abs(x[i]) > abs(best) { best = x[i] }
    return best
}

private func quantizeQ8_0(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
    var amax: Float = 0
    for i in 0..<32 { amax = max(amax, abs(x[i])) }
    let d = amax / 127, id: Float = d > 0 ? 1 / d : 0
    storeHalf(d, block, 0)
    for i in 0..<32 { block.storeBytes(of: Int8(clamping: Int((x[i] * id).rounded())), toByteOffset: 2 + i, as: Int8.self) }
}

/// The shared part of Q4_0/Q4_1/Q5_0/Q5_1: one 32-value block to levels 0..<2^bits, its f16 scale
/// (and minimum, with `hasMinimum`) stored at the block's start. Without a minimum the levels are
/// centred: d = max/−2^(bits−1), q = x/d + 2^(bits−1); with one, d = (max − min)/(2^bits − 1).
private func quantizeLevels(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer, bits: Int, hasMinimum: Bool) -> [Int] {
    let top = (1 << bits) - 1, half = Float(1 << (bits - 1))
    var q = [Int](repeating: 0, count: 32)
    if hasMinimum {
        var low = x[0], high = x[0]
        for i in 0..<32 { low = min(low, x[i]); high = max(high, x[i]) }
        let d = (high - low) / Float(top), id: Float = d > 0 ? 1 / d : 0
        storeHalf(d, block, 0)
        storeHalf(low, block, 2)
        for i in 0..<32 { q[i] = min(top, max(0, Int((x[i] - low) * id + 0.5))) }
    } else {
        let d = signedMaximum(x, 32) / -half, id: Float = d != 0 ? 1 / d : 0
        storeHalf(d, block, 0)
        for i in 0..<32 { q[i] = min(top, max(0, Int(x[i] * id + (half + 0.5)))) }
    }
    return q
}

/// Q4_0: d = max/−8, q = x/d + 8; Q4_1: d = (max − min)/15, q = (x − min)/d. Byte j holds j and j + 16.
private func quantizeQ4(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer, hasMinimum: Bool) {
    let q = quantizeLevels(x, block, bits: 4, hasMinimum: hasMinimum)
    let quants = hasMinimum ? 4 : 2
    for j in 0..<16 { block.storeBytes(of: UInt8(q[j] | q[j + 16] << 4), toByteOffset: quants + j, as: UInt8.self) }
}

/// Q5_0: d = max/−16, q = x/d + 16; Q5_1: d = (max − min)/31. The fifth bits go to `qh`.
private func quantizeQ5(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer, hasMinimum: Bool) {
    let q = quantizeLevels(x, block, bits: 5, hasMinimum: hasMinimum)
    let highOffset = hasMinimum ? 4 : 2
    var qh: UInt32 = 0
    for j in 0..<16 {
        qh |= UInt32((q[j] >> 4) & 1) << UInt32(j) | UInt32((q[j + 16] >> 4) & 1) << UInt32(j + 16)
        block.storeBytes(of: UInt8((q[j] & 15) | (q[j + 16] & 15) << 4), toByteOffset: highOffset + 4 + j, as: UInt8.self)
    }
    block.storeBytes(of: qh.littleEndian, toByteOffset: highOffset, as: UInt32.self)
}

/// Q4_K / Q5_K: 8 sub-blocks of 32, y = d·scale·q − dmin·min with 6-bit scale and min.
private func quantizeQ45_K(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer, bits: Int) {
    let top = Float((1 << bits) - 1)
    var scale = [Float](repeating: 0, count: 8), minimum = [Float](repeating: 0, count: 8)
    for j in 0..<8 {
        var low: Float = 0, high = x[32 * j]
        for l in 0..<32 { low = min(low, x[32 * j + l]); high = max(high, x[32 * j + l]) }
        scale[j] = (high - low) / top
        minimum[j] = -low
    }
    let d = Float(Float16((scale.max() ?? 0) / 63)), dmin = Float(Float16((minimum.max() ?? 0) / 63))
    storeHalf(d, block, 0)
    storeHalf(dmin, block, 2)
    var sc = [Int](repeating: 0, count: 8), mn = [Int](repeating: 0, count: 8)
    for j in 0..<8 {
        sc[j] = d > 0 ? min(63, Int((scale[j] / d).rounded())) : 0
        mn[j] = dmin > 0 ? min(63, Int((minimum[j] / dmin).rounded())) : 0
    }
    for j in 0..<4 {
        block.storeBytes(of: UInt8((sc[j] & 63) | (sc[j + 4] >> 4) << 6), toByteOffset: 4 + j, as: UInt8.self)
        block.storeBytes(of: UInt8((mn[j] & 63) | (mn[j + 4] >> 4) << 6), toByteOffset: 8 + j, as: UInt8.self)
        block.storeBytes(of: UInt8((sc[j + 4] & 15) | (mn[j + 4] & 15) << 4), toByteOffset: 12 + j, as: UInt8.self)
    }
    var q = [Int](repeating: 0, count: 256)
    for j in 0..<8 {
        let step = d * Float(sc[j]), offset = dmin * Float(mn[j])
        for l in 0..<32 {
            q[32 * j + l] = step > 0 ? min(Int(top), max(0, Int(((x[32 * j + l] + offset) / step).rounded()))) : 0
        }
    }
    let qs = bits == 4 ? 16 : 48
    if bits == 5 {
        for l in 0..<32 {
            var h = 0
            for group in 0..<4 { h |= ((q[64 * group + l] >> 4) & 1) << (2 * group) | ((q[64 * group + 32 + l] >> 4) & 1) << (2 * group + 1) }
            block.storeBytes(of: UInt8(h), toByteOffset: 16 + l, as: UInt8.self)
        }
    }
    for group in 0..<4 {
        for l in 0..<32 {
            block.storeBytes(of: UInt8((q[64 * group + l] & 15) | (q[64 * group + 32 + l] & 15) << 4),
                             toByteOffset: qs + 32 * group + l, as: UInt8.self)
        }
    }
}

/// Q6_K: 16 sub-blocks of 16 with int8 scales, y = d·scale·(q − 32), q 6 bits (4 in `ql`, 2 in `qh`).
private func quantizeQ6_K(_ x: UnsafePointer<Float>, _ block: UnsafeMutableRawPointer) {
    var scale = [Float](repeating: 0, count: 16)
    for j in 0..<16 {
        var amax: Float = 0
        for l in 0..<16 { amax = max(amax, abs(x[16 * j + l])) }
        scale[j] = amax / 31
    }
    let d = Float(Float16((scale.max() ?? 0) / 127))
    storeHalf(d, block, 208)
    var q = [Int](repeating: 32, count: 256)
    for j in 0..<16 {
        let sc = d > 0 ? min(127, Int((scale[j] / d).rounded())) : 0
        block.storeBytes(of: Int8(sc), toByteOffset: 192 + j, as: Int8.self)
        let step = d * Float(sc)
        for l in 0..<16 where step > 0 { q[16 * j + l] = min(63, max(0, Int((x[16 * j + l] / step).rounded()) + 32)) }
    }
    for half in 0..<2 {
        let y = 128 * half
        for l in 0..<32 {
            let q1 = q[y + l], q2 = q[y + l + 32], q3 = q[y + l + 64], q4 = q[y + l + 96]
            block.storeBytes(of: UInt8((q1 & 15) | (q3 & 15) << 4), toByteOffset: 64 * half + l, as: UInt8.self)
            block.storeBytes(of: UInt8((q2 & 15) | (q4 & 15) << 4), toByteOffset: 64 * half + l + 32, as: UInt8.self)
            block.storeBytes(of: UInt8(q1 >> 4 | (q2 >> 4) << 2 | (q3 >> 4) << 4 | (q4 >> 4) << 6),
                             toByteOffset: 128 + 32 * half + l, as: UInt8.self)
        }
    }
}
