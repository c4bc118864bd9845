import CVectorMath

/// Vectorised exp, softmax and SwiGLU for the forward pass. Scalar `expf` costs about as much as
/// a fifth of a whole forward pass at L = 256 (16.7 M exps in attention, 23 M in the MLP of a 1B
/// model); these run 16 lanes at a time. The Swift functions here are the definitions (and the
/// readable references); the forward pass calls `CVectorMath`, which computes the same bits at
/// the CPU's full vector width (Swift code here is built for baseline x86-64: 4-lane SSE).
///
/// exp(x) = 2^n · e^r with n = round(x·log₂e) and r = x − n·ln2 (|r| ≤ ln2/2, ln2 split in two
/// parts for accuracy), e^r by its Taylor series to degree 7 (relative error below 2e-7), 2^n
/// built in the exponent bits. Inputs are clamped to [−87.3, 88]; below that the result is 0.

public typealias FloatLanes = SIMD16<Float>

@inline(__always) public func exp(lanes x: FloatLanes) -> FloatLanes {
    let lowest: Float = -87.3
    let highest: Float = 88
    let low = x .< lowest
    let clamped = select(x .> highest, FloatLanes(repeating: highest), select(low, FloatLanes(repeating: lowest), x))
    // Round to nearest by adding 1.5·2²³: the integer lands in the low mantissa bits, which also
    // gives n as an Int32 without a (slow, per-lane) float-to-int conversion.
    let magic: Float = 12_582_912
    let shifted = clamped * 1.442_695_04 + magic
    let n = shifted - magic
    var r = clamped - n * 0.693_145_75      // ln2, high part
    r = r - n * 1.428_606_8e-6              // ln2, low part
    var p = FloatLanes(repeating: 1.0 / 5040)
    p = p * r + 1.0 / 720
    p = p * r + 1.0 / 120
    p = p * r + 1.0 / 24
    p = p * r + 1.0 / 6
    p = p * r + 0.5
    p = p * r + 1
    p = p * r + 1
    let integer = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- Int32(bitPattern: magic.bitPattern)
    let exponent = (integer &+ 127) &<< 23
    let scale = unsafeBitCast(exponent, to: FloatLanes.self)
    return select(low, FloatLanes(repeating: 0), p * scale)
}

/// Lane-wise `mask ? a : b` through bit operations (the library's `replacing(with:where:)` and
/// `clamped` run lane by lane).
@inline(__always) func select(_ mask: SIMDMask<SIMD16<Int32>>, _ a: FloatLanes, _ b: FloatLanes) -> FloatLanes {
    let m = unsafeBitCast(mask, to: SIMD16<Int32>.self)
    let ai = unsafeBitCast(a, to: SIMD16<Int32>.self), bi = unsafeBitCast(b, to: SIMD16<Int32>.self)
    return unsafeBitCast((ai & m) | (bi & ~m), to: FloatLanes.self)
}

/// exp of `count` values in place (`CVectorMath`; the same bits as `expInPlaceReference`).
public func expInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
    dllm_exp_inplace(x, count)
}

/// The definition of `expInPlace`: `exp(lanes:)` over 16-lane blocks, the tail padded.
public func expInPlaceReference(_ x: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    let raw = UnsafeMutableRawPointer(x)
    while i + 16 <= count {
        let v = raw.loadUnaligned(fromByteOffset: 4 * i, as: FloatLanes.self)
        raw.storeBytes(of: exp(lanes: v), toByteOffset: 4 * i, as: FloatLanes.self)
        i += 16
    }
    if i < count {
        var tail = FloatLanes(repeating: 0)
        for j in i..<count { tail[j - i] = x[j] }
        tail = exp(lanes: tail)
        for j in i..<count { x[j] = tail[j - i] }
    }
}

/// Attention's row step in place: row[i] = allowed[i] ? row[i]·scale : −∞ (all allowed when
/// `allowed` is nil), then `fastSoftmaxReference` (`CVectorMath`; the same bits as
/// `scaledSoftmaxReference`).
public func scaledSoftmaxInPlace(_ row: UnsafeMutablePointer<Float>, count: Int, scale: Float, allowed: UnsafePointer<Bool>?) {
    dllm_scaled_softmax_row(row, count, scale, allowed)
}

/// The definition of `scaledSoftmaxInPlace`.
public func scaledSoftmaxReference(_ row: UnsafeMutablePointer<Float>, count: Int, scale: Float, allowed: UnsafePointer<Bool>?) {
    if let allowed {
        for c in 0..<count { row[c] = allowed[c] ? row[c] * scale : -.infinity }
    } else {
        for c in 0..<count { row[c] *= scale }
    }
    fastSoftmaxReference(row, count: count)
}

/// Softmax of `count` values in place with the lane exp; an all −∞ row becomes zeros. The sum runs
/// in index order.
public func fastSoftmaxReference(_ row: UnsafeMutablePointer<Float>, count: Int) {
    guard count > 0 else { return }
    let maximum = maxElement(row, count: count)
    if maximum == -.infinity {
        row.update(repeating: 0, count: count)
        return
    }
    for i in 0..<count { row[i] -= maximum }
    expInPlaceReference(row, count: count)
    var sum: Float = 0
    for i in 0..<count { sum += row[i] }
    let inverse = 1 / sum
    for i in 0..<count { row[i] *= inverse }
}

/// SwiGLU in place (`CVectorMath`; the same bits as `fastSwiGLUReference`).
public func fastSwiGLU(gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
    dllm_swiglu(gate, up, count)
}

/// Which `CVectorMath` variant runs on this CPU: "avx512f", "avx2" or "scalar".
public var vectorMathVariant: String { String(cString: dllm_vector_math_variant()) }

/// Switches `CVectorMath` to a variant this CPU can run (tests); false if it cannot.
public func useVectorMathVariant(_ name: String) -> Bool { dllm_vector_math_use(name) == 1 }

/// The definition of `fastSwiGLU`: gate[i] = gate[i] · σ(gate[i]) · up[i], 16-lane blocks with the
/// lane exp, the last count mod 16 with `silu` (libm's expf).
public func fastSwiGLUReference(gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
    let g = UnsafeMutableRawPointer(gate), u = UnsafeRawPointer(up)
    var i = 0
    while i + 16 <= count {
        let x = g.loadUnaligned(fromByteOffset: 4 * i, as: FloatLanes.self)
        let y = u.loadUnaligned(fromByteOffset: 4 * i, as: FloatLanes.self)
        let sigmoid = 1 / (1 + exp(lanes: -x))
        g.storeBytes(of: x * sigmoid * y, toByteOffset: 4 * i, as: FloatLanes.self)
        i += 16
    }
    for j in i..<count { gate[j] = silu(gate[j]) * up[j] }
}
