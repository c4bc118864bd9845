import CLowPrecision
import Foundation
import Kernels
import TestSupport
import Testing

/// bf16 and Q8_0 GEMM against their readable references. Tolerances follow the arithmetic: the fast
/// kernels sum in f32 where the references sum in Double, so they may differ by the recursive
/// summation bound k·2⁻²⁴·Σ|terms|; the references differ from f32 maths by the input rounding
/// (bf16: 2⁻⁹ relative per activation; Q8_0: half a quantization step per activation).
@Suite struct LowPrecisionTests {
    /// Ragged shapes: M = 1 (one decode row), edges of the 4×4 Q8_0 tile, a wide K.
    static let shapes: [(m: Int, k: Int, n: Int)] = [(1, 32, 1), (1, 64, 33), (2, 64, 8), (3, 96, 5), (7, 128, 13), (17, 320, 37), (64, 256, 96), (9, 64, 300)]

    /// Σ|a_ip|·|w_jp| for every output, the scale of the summation error bound.
    private func magnitudes(_ a: [Float], _ w: [Float], m: Int, k: Int, n: Int) -> [Double] {
        var out = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { for p in 0..<k { out[i * n + j] += Double(abs(a[i * k + p] * w[j * k + p])) } } }
        return out
    }

    private func expectWithin(_ actual: [Float], _ expected: [Float], bound: [Double], factor: Double, _ label: String) {
        let worst = actual.indices.map { abs(Double(actual[$0]) - Double(expected[$0])) - factor * bound[$0] - 1e-7 }.max() ?? 0
        #expect(worst <= 0, "\(label): error exceeds bound by \(worst)")
    }

    // MARK: bf16

    @Test(arguments: [false, true])
    func bf16MatchesReference(accumulate: Bool) throws {
        guard let gemm = BF16GEMM() else { Issue.record("oneDNN created no CPU engine"); return }
        var rng = SplitMix64(seed: 23)
        for (m, k, n) in Self.shapes {
            let a = randomFloats(m * k, rng: &rng)
            let w = randomFloats(n * k, rng: &rng).map(roundedToBFloat16)
            let start = randomFloats(m * n, rng: &rng)
            var fast = start, slow = start
            var ran = false
            var av = a
            av.withUnsafeMutableBufferPointer { ap in
                w.withUnsafeBufferPointer { wp in
                    let x = ConstMatrixView(ap.baseAddress!, rows: m, columns: k)
                    fast.withUnsafeMutableBufferPointer { ran = gemm.multiply(x, weights: wp.baseAddress!, into: MatrixView($0.baseAddress!, rows: m, columns: n), accumulate: accumulate) }
                    slow.withUnsafeMutableBufferPointer { matmulBF16Reference(x, weights: wp.baseAddress!, into: MatrixView($0.baseAddress!, rows: m, columns: n), accumulate: accumulate) }
                }
            }
            // Too few rows go to multiplyFewRows (its own test below); without native bf16 oneDNN
            // may refuse any shape.
            if m < BF16GEMM.minimumRows { #expect(ran, "\(m) rows run on the few-row kernel"); continue }
            if try GEMMChoice.forThisProcess().path == .oneDNNBF16 { #expect(ran, "oneDNN refused \(m)x\(k)x\(n)") }
            if !ran { continue }
            let bound = magnitudes(a.map { floatFromBFloat16(roundedToBFloat16($0)) }, w.map(floatFromBFloat16), m: m, k: k, n: n)
                .enumerated().map { $0.element + (accumulate ? Double(abs(start[$0.offset])) : 0) }
            expectWithin(fast, slow, bound: bound, factor: Double(k + 1) * 0x1p-24, "bf16 \(m)x\(k)x\(n)")
        }
    }

    /// bf16 weights packed once into oneDNN's layout give the same result as the stored weights
    /// (the same kernel, without the per-call copy), within the f32 summation bound of the reference.
    @Test(arguments: [false, true])
    func bf16PackedWeightsMatchStoredWeights(accumulate: Bool) throws {
        guard let gemm = BF16GEMM() else { Issue.record("oneDNN created no CPU engine"); return }
        var rng = SplitMix64(seed: 31)
        var packedAny = false
        for (m, k, n) in [(3, 96, 5), (7, 128, 13), (17, 320, 37), (64, 256, 96), (9, 64, 300), (40, 512, 200), (5, 37, 100), (4, 2050, 130)] {
            let a = randomFloats(m * k, rng: &rng)
            let w = randomFloats(n * k, rng: &rng).map(roundedToBFloat16)
            let start = randomFloats(m * n, rng: &rng)
            var viaPacked = start, viaStored = start, slow = start
            var ranPacked = false, ranStored = false
            a.withUnsafeBufferPointer { ap in
                w.withUnsafeBufferPointer { wp in
                    let x = ConstMatrixView(ap.baseAddress!, rows: m, columns: k)
                    guard let packed = gemm.pack(weights: wp.baseAddress!, rows: n, columns: k) else { return }
                    packedAny = true
                    #expect(packed.byteCount >= n * k * 2)
                    // Our copy and oneDNN's reorder write the same bytes, padding included.
                    let reordered = gemm.pack(weights: wp.baseAddress!, rows: n, columns: k, withOneDNNReorder: true)
                    #expect(reordered?.bytes == packed.bytes, "packed bytes \(m)x\(k)x\(n)")
                    viaPacked.withUnsafeMutableBufferPointer {
                        ranPacked = gemm.multiply(x, packed: packed, into: MatrixView($0.baseAddress!, rows: m, columns: n), accumulate: accumulate)
                    }
                    viaStored.withUnsafeMutableBufferPointer {
                        ranStored = gemm.multiply(x, weights: wp.baseAddress!, into: MatrixView($0.baseAddress!, rows: m, columns: n), accumulate: accumulate)
                    }
                    slow.withUnsafeMutableBufferPointer {
                        matmulBF16Reference(x, weights: wp.baseAddress!, into: MatrixView($0.baseAddress!, rows: m, columns: n), accumulate: accumulate)
                    }
                }
            }
            guard ranPacked, ranStored else { continue }
            #expect(viaPacked.map(\.bitPattern) == viaStored.map(\.bitPattern), "packed vs stored \(m)x\(k)x\(n)")
            let bound = magnitudes(a.map { floatFromBFloat16(roundedToBFloat16($0)) }, w.map(floatFromBFloat16), m: m, k: k, n: n)
                .enumerated().map { $0.element + (accumulate ? Double(abs(start[$0.offset])) : 0) }
            expectWithin(viaPacked, slow, bound: bound, factor: Double(k + 1) * 0x1p-24, "bf16 packed \(m)x\(k)x\(n)")
        }
        if try GEMMChoice.forThisProcess().path == .oneDNNBF16 { #expect(packedAny, "oneDNN packed no weight on a bf16 CPU") }
    }

    /// Packing with a row order (GGUF's permuted LLaDA Q/K) writes the bytes of packing the rows
    /// physically permuted; an invalid order packs nothing.
    @Test func bf16PackingGathersARowOrder() {
        guard let gemm = BF16GEMM() else { Issue.record("oneDNN created no CPU engine"); return }
        var rng = SplitMix64(seed: 37)
        let (n, k) = (130, 100)
        let w = randomFloats(n * k, rng: &rng).map(roundedToBFloat16)
        let order = (0..<n).map { ($0 * 7 + 3) % n }   // 7 and 130 are coprime: a permutation
        let permuted = order.flatMap { w[$0 * k..<($0 + 1) * k] }
        w.withUnsafeBufferPointer { wp in
            permuted.withUnsafeBufferPointer { pp in
                let gathered = gemm.pack(weights: wp.baseAddress!, rows: n, columns: k, rowOrder: order)
                let physical = gemm.pack(weights: pp.baseAddress!, rows: n, columns: k)
                #expect(gathered?.bytes == physical?.bytes)
                if physical != nil { #expect(gathered != nil) }
                #expect(gemm.pack(weights: wp.baseAddress!, rows: n, columns: k, rowOrder: Array(order.dropLast()) + [n]) == nil)
            }
        }
    }

    /// The few-row kernel (1–3 rows; bf16 weights read once, f32 activations) against its Double
    /// reference within the f32 summation bound; its AVX-512 and plain C versions give the same
    /// bits; and a column split over the cores changes none (`matmulSplitMinimum` is passed).
    @Test(arguments: [false, true])
    func bf16FewRowsMatchReference(accumulate: Bool) {
        var rng = SplitMix64(seed: 29)
        for (m, k, n) in [(1, 32, 1), (1, 100, 33), (2, 64, 8), (3, 96, 5), (5, 47, 9), (1, 2048, 700), (2, 1040, 300)] {
            let a = randomFloats(m * k, rng: &rng)
            let w = randomFloats(n * k, rng: &rng).map(roundedToBFloat16)
            let start = randomFloats(m * n, rng: &rng)
            var fast = start, plain = start, slow = start
            a.withUnsafeBufferPointer { ap in
                w.withUnsafeBufferPointer { wp in
                    let x = ConstMatrixView(ap.baseAddress!, rows: m, columns: k)
                    fast.withUnsafeMutableBufferPointer {
                        BF16GEMM.multiplyFewRows(x, weights: wp.baseAddress!, into: MatrixView($0.baseAddress!, rows: m, columns: n), accumulate: accumulate)
                    }
                    plain.withUnsafeMutableBufferPointer {
                        BF16GEMM.multiplyFewRows(x, weights: wp.baseAddress!, into: MatrixView($0.baseAddress!, rows: m, columns: n),
                                                 accumulate: accumulate, portable: true)
                    }
                    slow.withUnsafeMutableBufferPointer {
                        matmulBF16WeightsReference(x, weights: wp.baseAddress!, into: MatrixView($0.baseAddress!, rows: m, columns: n), accumulate: accumulate)
                    }
                }
            }
            #expect(fast.map(\.bitPattern) == plain.map(\.bitPattern), "AVX-512 vs plain C, \(m)x\(k)x\(n)")
            let bound = magnitudes(a, w.map(floatFromBFloat16), m: m, k: k, n: n)
                .enumerated().map { $0.element + (accumulate ? Double(abs(start[$0.offset])) : 0) }
            expectWithin(fast, slow, bound: bound, factor: Double(k + 1) * 0x1p-24, "bf16 few rows \(m)x\(k)x\(n)")
        }
    }

    @Test func bf16ReferenceIsF32UpToActivationRounding() {
        var rng = SplitMix64(seed: 5)
        let (m, k, n) = (5, 64, 7)
        var a = randomFloats(m * k, rng: &rng)
        let bits = randomFloats(n * k, rng: &rng).map(roundedToBFloat16)
        var w = bits.map(floatFromBFloat16)
        var exact = [Float](repeating: 0, count: m * n), rounded = exact
        withMatrices(&a, (m, k), &w, (n, k), &exact, (m, n)) { matmulReference($0.readOnly, $1.readOnly, .transposed, into: $2) }
        a.withUnsafeMutableBufferPointer { ap in
            bits.withUnsafeBufferPointer { bp in
                rounded.withUnsafeMutableBufferPointer {
                    matmulBF16Reference(ConstMatrixView(ap.baseAddress!, rows: m, columns: k), weights: bp.baseAddress!,
                                        into: MatrixView($0.baseAddress!, rows: m, columns: n))
                }
            }
        }
        let bound = magnitudes(a, w, m: m, k: k, n: n)
        expectWithin(rounded, exact, bound: bound, factor: 0x1p-9 + 0x1p-20, "bf16 reference vs f32")
        #expect(rounded != exact, "activation rounding should show at bf16 precision")
    }

    @Test func bf16PrimitivesAreCachedByShape() {
        guard let gemm = BF16GEMM() else { Issue.record("oneDNN created no CPU engine"); return }
        var a = [Float](repeating: 0.5, count: 4 * 64)
        let w = [UInt16](repeating: roundedToBFloat16(0.25), count: 8 * 64)
        var c = [Float](repeating: 0, count: 4 * 8)
        var ran = true
        for _ in 0..<5 {
            a.withUnsafeMutableBufferPointer { ap in
                w.withUnsafeBufferPointer { wp in
                    c.withUnsafeMutableBufferPointer {
                        ran = ran && gemm.multiply(ConstMatrixView(ap.baseAddress!, rows: 4, columns: 64), weights: wp.baseAddress!,
                                                   into: MatrixView($0.baseAddress!, rows: 4, columns: 8))
                    }
                }
            }
        }
        guard ran else { return }
        #expect(gemm.cachedPrimitives == 1)
        #expect(c.allSatisfy { $0 == 8 }, "64 · 0.5 · 0.25 = 8 exactly in bf16")
    }

    // MARK: Q8_0

    /// Random Q8_0 rows: scales as f16 bit patterns around 2⁻⁸..2⁻⁴, values over the full int8 range
    /// (−128 included, which ggml's quantizer never writes but a file may hold).
    private func randomQ8_0(rows: Int, columns: Int, rng: inout SplitMix64) -> (bytes: [UInt8], dequantized: [Float]) {
        var bytes: [UInt8] = [], values: [Float] = []
        for _ in 0..<rows * columns / 32 {
            let scaleBits = UInt16(0x1C00 + Int(rng.next() % 0x0C00))
            let d = floatFromFloat16(scaleBits)
            bytes += [UInt8(scaleBits & 0xFF), UInt8(scaleBits >> 8)]
            for _ in 0..<32 {
                let q = Int8(truncatingIfNeeded: Int(rng.next() % 256) - 128)
                bytes.append(UInt8(bitPattern: q))
                values.append(d * Float(q))
            }
        }
        return (bytes, values)
    }

    /// "rowMajor" (VNNI or scalar by CPU), "portable" (scalar) and "packed" (the prefill kernel on
    /// repacked weights, VNNI only) all against the reference.
    @Test(arguments: [false, true], ["rowMajor", "portable", "packed"])
    func q8_0MatchesReference(accumulate: Bool, kernel: String) {
        let portable = kernel == "portable"
        // The packed kernel exists only on AVX512-VNNI; elsewhere its weights refuse to build.
        if kernel == "packed" && Q8_0GEMM.kernelName != "avx512-vnni" { return }
        let gemm = Q8_0GEMM(threads: 2)
        var rng = SplitMix64(seed: 80)
        for (m, k, n) in Self.shapes {
            var a = randomFloats(m * k, rng: &rng)
            let (blocks, w) = randomQ8_0(rows: n, columns: k, rng: &rng)
            let start = randomFloats(m * n, rng: &rng)
            var fast = start, slow = start
            a.withUnsafeMutableBufferPointer { ap in
                blocks.withUnsafeBytes { bp in
                    let x = ConstMatrixView(ap.baseAddress!, rows: m, columns: k)
                    fast.withUnsafeMutableBufferPointer {
                        let out = MatrixView($0.baseAddress!, rows: m, columns: n)
                        if kernel == "packed" {
                            let packed = Q8_0PackedWeights(q8_0: bp.baseAddress!, rows: n, columns: k)!
                            gemm.multiply(x, packed: packed, into: out, accumulate: accumulate)
                        } else {
                            gemm.multiply(x, q8_0: bp.baseAddress!, into: out, accumulate: accumulate, portable: portable)
                        }
                    }
                    slow.withUnsafeMutableBufferPointer { matmulQ8_0Reference(x, q8_0: bp.baseAddress!, into: MatrixView($0.baseAddress!, rows: m, columns: n), accumulate: accumulate) }
                }
            }
            // Per-block terms are exact integers times two scales; only their f32 sum differs.
            let bound = magnitudes(a, w, m: m, k: k, n: n).enumerated().map { 1.01 * $0.element + (accumulate ? Double(abs(start[$0.offset])) : 0) }
            expectWithin(fast, slow, bound: bound, factor: Double(k / 32 + 8) * 0x1p-22, "q8_0 \(m)x\(k)x\(n) \(kernel)")
        }
    }

    /// Packing with a row order (GGUF's permuted Q/K) equals packing the rows moved into that order.
    @Test func q8_0PackedRowOrderEqualsPermutedRows() throws {
        guard Q8_0GEMM.kernelName == "avx512-vnni" else { return }
        let (m, k, n) = (5, 64, 37)
        var rng = SplitMix64(seed: 82)
        let a = randomFloats(m * k, rng: &rng)
        let (blocks, _) = randomQ8_0(rows: n, columns: k, rng: &rng)
        let order = (0..<n).map { ($0 * 11 + 3) % n }
        let rowBytes = k / 32 * Q8_0GEMM.bytesPerBlock
        let moved = order.flatMap { blocks[$0 * rowBytes..<($0 + 1) * rowBytes] }
        let gemm = Q8_0GEMM(threads: 1)
        func run(_ bytes: [UInt8], _ rowOrder: [Int]?) throws -> [Float] {
            var out = [Float](repeating: 0, count: m * n)
            let packed = try #require(bytes.withUnsafeBytes { Q8_0PackedWeights(q8_0: $0.baseAddress!, rows: n, columns: k, rowOrder: rowOrder) })
            a.withUnsafeBufferPointer { ap in
                out.withUnsafeMutableBufferPointer {
                    gemm.multiply(ConstMatrixView(ap.baseAddress!, rows: m, columns: k), packed: packed, into: MatrixView($0.baseAddress!, rows: m, columns: n))
                }
            }
            return out
        }
        let viaOrder = try run(blocks, order), viaCopy = try run(moved, nil), plain = try run(blocks, nil)
        #expect(viaOrder == viaCopy)
        #expect(viaOrder != plain)
        #expect(blocks.withUnsafeBytes { Q8_0PackedWeights(q8_0: $0.baseAddress!, rows: n, columns: k, rowOrder: [0]) } == nil)
    }

    /// The kernels' activation quantizer (vectorized where the CPU allows) against the reference's
    /// formula, ties included: amax 127 makes the scale 1, so ±k.5 must round away from zero.
    @Test func q8_0ActivationQuantizationMatchesReferenceFormula() {
        var rng = SplitMix64(seed: 81)
        var x = randomFloats(3 * 64, rng: &rng)
        for e in 0..<32 { x[e] = e == 0 ? 127 : Float(e % 2 == 0 ? 1 : -1) * (Float(e) + 0.5) }
        for e in 32..<64 { x[e] = 0 }
        var q = [Int8](repeating: 0, count: x.count), s = [Float](repeating: 0, count: x.count / 32)
        var t = [Int32](repeating: 0, count: x.count / 32)
        dllm_q8_0_quantize_rows(x, 3, 64, 64, &q, &s, &t)
        for b in 0..<x.count / 32 {
            let amax = x[b * 32..<b * 32 + 32].map(abs).max()!
            let scale = amax / 127, inverse: Float = scale > 0 ? 1 / scale : 0
            let expected = (0..<32).map { Int8(min(127, max(-127, (x[b * 32 + $0] * inverse).rounded()))) }
            #expect(Array(q[b * 32..<b * 32 + 32]) == expected, "block \(b)")
            #expect(s[b] == scale && t[b] == Int32(expected.reduce(0) { $0 + Int($1) }), "block \(b)")
        }
    }

    @Test func q8_0ReferenceIsF32UpToActivationQuantization() {
        var rng = SplitMix64(seed: 8)
        let (m, k, n) = (3, 128, 9)
        var a = randomFloats(m * k, rng: &rng)
        let (blocks, wValues) = randomQ8_0(rows: n, columns: k, rng: &rng)
        var w = wValues
        var exact = [Float](repeating: 0, count: m * n), quantized = exact
        withMatrices(&a, (m, k), &w, (n, k), &exact, (m, n)) { matmulReference($0.readOnly, $1.readOnly, .transposed, into: $2) }
        a.withUnsafeMutableBufferPointer { ap in
            blocks.withUnsafeBytes { bp in
                quantized.withUnsafeMutableBufferPointer {
                    matmulQ8_0Reference(ConstMatrixView(ap.baseAddress!, rows: m, columns: k), q8_0: bp.baseAddress!,
                                        into: MatrixView($0.baseAddress!, rows: m, columns: n))
                }
            }
        }
        // |a − s·q| ≤ s/2 per element, s = max|a|/127 of its block: error ≤ Σ_b (s_b/2)·Σ_{e∈b}|w_e|.
        var bound = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                for b in 0..<k / 32 {
                    let s = Double((0..<32).map { abs(a[i * k + b * 32 + $0]) }.max()!) / 127
                    bound[i * n + j] += s / 2 * (0..<32).reduce(0) { $0 + Double(abs(w[j * k + b * 32 + $1])) }
                }
            }
        }
        expectWithin(quantized, exact, bound: bound, factor: 1.001, "q8_0 reference vs f32")
        #expect(quantized != exact)
    }

    // MARK: choice

    @Test func choiceFollowsCPUFeaturesAndOverride() throws {
        let zen4: Set<String> = ["avx512f", "avx512_bf16", "avx512_vnni"]
        #expect(try GEMMChoice.choose(cpuFlags: zen4, override: nil, nativeBF16: true).description == "onednn-bf16 (avx512_bf16)")
        #expect(try GEMMChoice.choose(cpuFlags: zen4.union(["amx_bf16"]), override: "auto", nativeBF16: true).reason == "amx_bf16")
        #expect(try GEMMChoice.choose(cpuFlags: zen4, override: "f32", nativeBF16: true).path == .openBLASF32)
        #expect(try GEMMChoice.choose(cpuFlags: ["avx2", "fma"], override: nil, nativeBF16: false).path == .openBLASF32)
        #expect(try GEMMChoice.choose(cpuFlags: zen4, override: nil, nativeBF16: false).path == .openBLASF32)
        #expect(throws: GEMMChoiceError.self) { try GEMMChoice.choose(cpuFlags: zen4, override: "fp8", nativeBF16: true) }
    }
}
