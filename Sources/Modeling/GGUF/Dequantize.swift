import Kernels

// Dequantization of one row of a ggml tensor to f32, block by block, in the formats' own element
// order. Each block function reads exactly `bytesPerBlock` bytes at `block` (no alignment assumed:
// GGUF only aligns whole tensors) and writes `blockSize` floats. Checked block by block against the
// `gguf` package's dequantizer on random and edge blocks (Tests/Fixtures/gguf, made by
// tools/reference/make_gguf_fixtures.py).

extension GGMLType {
    /// Dequantizes `columns` elements (a whole number of blocks) from `source` into `destination`.
    public func dequantizeRow(_ source: UnsafeRawPointer, columns: Int, into destination: UnsafeMutablePointer<Float>) {
        let blocks = columns / blockSize
        for b in 0..<blocks {
            let block = source + b * bytesPerBlock
            let out = destination + b * blockSize
            switch self {
            case .f32: out.pointee = block.loadUnaligned(as: Float.self)
            case .f16: out.pointee = floatFromFloat16(block.loadUnaligned(as: UInt16.self))
            case .bf16: out.pointee = floatFromBFloat16(block.loadUnaligned(as: UInt16.self))
            case .q8_0: dequantizeQ8_0(block, out)
            case .q4_0: dequantizeQ4(block, out, hasMinimum: false)
            case .q4_1: dequantizeQ4(block, out, hasMinimum: true)
            case .q5_0: dequantizeQ5(block, out, hasMinimum: false)
            case .q5_1: dequantizeQ5(block, out, hasMinimum: true)
            case .q4_K: dequantizeQ4_K(block, out)
            case .q5_K: dequantizeQ5_K(block, out)
            case .q6_K: dequantizeQ6_K(block, out)
            }
        }
    }
}

@inline(__always) private func half(_ block: UnsafeRawPointer, _ offset: Int) -> Float {
    floatFromFloat16(block.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
}

@inline(__always) private func byte(_ block: UnsafeRawPointer, _ offset: Int) -> Int {
    Int(block.load(fromByteOffset: offset, as: UInt8.self))
}

/// Q8_0: y = d · q, q int8.
private func dequantizeQ8_0(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
    let d = half(block, 0)
    for i in 0..<32 { out[i] = d * Float(block.load(fromByteOffset: 2 + i, as: Int8.self)) }
}

/// Q4_0: y = d · (q − 8); Q4_1: y = d · q + m. Byte j holds element j (low nibble) and j + 16.
private func dequantizeQ4(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>, hasMinimum: Bool) {
    let d = half(block, 0)
    let m = hasMinimum ? half(block, 2) : -8 * d
    let quants = hasMinimum ? 4 : 2
    for j in 0..<16 {
        let q = byte(block, quants + j)
        out[j] = Float(q & 0x0F) * d + m
        out[j + 16] = Float(q >> 4) * d + m
    }
}

/// Q5_0: y = d · (q − 16); Q5_1: y = d · q + m. The fifth bit of element j is bit j of `qh`.
private func dequantizeQ5(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>, hasMinimum: Bool) {
    let d = half(block, 0)
    let m = hasMinimum ? half(block, 2) : -16 * d
    let highOffset = hasMinimum ? 4 : 2
    let qh = block.loadUnaligned(fromByteOffset: highOffset, as: UInt32.self).littleEndian
    for j in 0..<16 {
        let q = byte(block, highOffset + 4 + j)
        let low = (q & 0x0F) | Int((qh >> UInt32(j)) & 1) << 4
        let high = (q >> 4) | Int((qh >> UInt32(j + 16)) & 1) << 4
        out[j] = Float(low) * d + m
        out[j + 16] = Float(high) * d + m
    }
}

/// The 6-bit scale and minimum of sub-block `j` (0..<8) of a Q4_K/Q5_K super-block, packed in 12 bytes.
@inline(__always) private func scaleAndMinimum(_ scales: UnsafeRawPointer, _ j: Int) -> (Float, Float) {
    if j < 4 {
        return (Float(byte(scales, j) & 63), Float(byte(scales, j + 4) & 63))
    }
    let scale = (byte(scales, j + 4) & 0x0F) | ((byte(scales, j - 4) >> 6) << 4)
    let minimum = (byte(scales, j + 4) >> 4) | ((byte(scales, j) >> 6) << 4)
    return (Float(scale), Float(minimum))
}

/// Q4_K: 8 sub-blocks of 32; y = d·scale·q − dmin·min. Each 32-byte group of `qs` holds two
/// sub-blocks: low nibbles, then high nibbles.
private func dequantizeQ4_K(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
    let d = half(block, 0), dmin = half(block, 2)
    let scales = block + 4, qs = block + 16
    for group in 0..<4 {
        let (s1, m1) = scaleAndMinimum(scales, 2 * group)
        let (s2, m2) = scaleAndMinimum(scales, 2 * group + 1)
        for l in 0..<32 {
            let q = byte(qs, 32 * group + l)
            out[64 * group + l] = d * s1 * Float(q & 0x0F) - dmin * m1
            out[64 * group + 32 + l] = d * s2 * Float(q >> 4) - dmin * m2
        }
    }
}

/// Q5_K: as Q4_K with a fifth bit per element from `qh` (bit 2·group for the low half, 2·group+1
/// for the high half of each 64-element group).
private func dequantizeQ5_K(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
    let d = half(block, 0), dmin = half(block, 2)
    let scales = block + 4, qh = block + 16, qs = block + 48
    for group in 0..<4 {
        let (s1, m1) = scaleAndMinimum(scales, 2 * group)
        let (s2, m2) = scaleAndMinimum(scales, 2 * group + 1)
        for l in 0..<32 {
            let q = byte(qs, 32 * group + l), h = byte(qh, l)
            let low = (q & 0x0F) + ((h >> (2 * group)) & 1) * 16
            let high = (q >> 4) + ((h >> (2 * group + 1)) & 1) * 16
            out[64 * group + l] = d * s1 * Float(low) - dmin * m1
            out[64 * group + 32 + l] = d * s2 * Float(high) - dmin * m2
        }
    }
}

/// Q6_K: 16 sub-blocks of 16 with int8 scales; y = d·scale·(q − 32), q = 4 low bits from `ql`
/// and 2 high bits from `qh`. Each half (128 elements) uses 64 bytes of `ql` and 32 of `qh`.
private func dequantizeQ6_K(_ block: UnsafeRawPointer, _ out: UnsafeMutablePointer<Float>) {
    let ql = block.assumingMemoryBound(to: UInt8.self), qh = ql + 128
    let scales = (block + 192).assumingMemoryBound(to: Int8.self)
    let d = half(block, 208)
    for half in 0..<2 {
        let low = ql + 64 * half, high = qh + 32 * half
        let y = out + 128 * half
        // Elements l, l+32, l+64, l+96 of this half use scales 8·half + l/16 + 0, 2, 4, 6.
        for sub in 0..<2 {
            let base = 8 * half + sub
            let s0 = d * Float(scales[base]), s2 = d * Float(scales[base + 2])
            let s4 = d * Float(scales[base + 4]), s6 = d * Float(scales[base + 6])
            for l in 16 * sub..<16 * sub + 16 {
                let h = Int32(high[l]), a = Int32(low[l]), b = Int32(low[l + 32])
                y[l] = s0 * Float(((a & 0x0F) | (h & 3) << 4) - 32)
                y[l + 32] = s2 * Float(((b & 0x0F) | ((h >> 2) & 3) << 4) - 32)
                y[l + 64] = s4 * Float(((a >> 4) | ((h >> 4) & 3) << 4) - 32)
                y[l + 96] = s6 * Float(((b >> 4) | ((h >> 6) & 3) << 4) - 32)
            }
        }
    }
}
