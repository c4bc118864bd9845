import Foundation
import Kernels
@testable import Modeling
import TestSupport
import Testing

/// The bf16 checkpoint on the native bf16 GEMM (where the CPU has one) against the float64 golden
/// logits. Activations are rounded to bf16 (relative error ≤ 2⁻⁹) before every projection, so the
/// logits move by a few bf16 steps of their own scale, not by f32 noise: the error is bounded
/// relative to the largest logit of the row rather than per element. Measured on this 2-layer
/// fixture: worst 1.8 % of the row's largest logit, relative RMS 1.4 %; the same forward with the
/// Double-accumulating `matmulBF16Reference` in place of oneDNN gives the same figures to 1e-8, so
/// the error is the rounding, not the kernel. The bounds allow 2.5× that.
@Suite struct NativeBF16Tests {
    @Test func bf16CheckpointOnNativeGEMMStaysNearGolden() throws {
        let choice = try GEMMChoice.choose(cpuFlags: OpenBLASCoreChoice.cpuFlags(fromCPUInfo: (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""),
                                           override: nil, nativeBF16: true)
        let directory = modelFixtures.appendingPathComponent("llada-tiny-bf16")
        let model = try TransformerModel.load(directory: directory, gemm: choice)
        let golden = try GoldenFile.load(directory)
        for c in golden.cases where c.mask == nil && c.buildTokens == nil {
            model.resetCache()
            let result = try model.forward(ForwardRequest(tokens: c.tokens, positions: c.positions))
            let v = golden.vocabularySize
            var worst = 0.0, rms = 0.0, refRMS = 0.0
            for row in 0..<c.tokens.count {
                let scale = (0..<v).map { abs(Double(c.logits[row * v + $0])) }.max()!
                for j in 0..<v {
                    let e = abs(Double(result.logits[row * v + j]) - Double(c.logits[row * v + j]))
                    worst = max(worst, e / scale)
                    rms += e * e
                    refRMS += Double(c.logits[row * v + j]) * Double(c.logits[row * v + j])
                }
            }
            #expect(worst < 0.045, "\(c.name): worst error \(worst) of the row's largest logit")
            #expect((rms / refRMS).squareRoot() < 0.035, "\(c.name): relative RMS error")
            if choice.path == .oneDNNBF16 { #expect(worst > 1e-3, "\(c.name): bf16 rounding should show; did the native path run?") }
        }
    }
}

/// Q8_0 GGUF weights on the int8 kernel (the native path) against the same file widened to f32:
/// activations are quantized per 32-element block (half a step of max|x|/127 at most), so logits
/// move by about a percent of the largest logit, not by f32 noise. LLaDA's permuted Q/K rows are
/// packed in their logical order from 4 rows, widened below (the row-major kernel reads rows as stored).
@Suite struct NativeQ8_0Tests {
    @Test func q8_0GGUFOnInt8KernelStaysNearF32() throws {
        let native = try GEMMChoice.choose(cpuFlags: ["avx512_bf16"], override: nil, nativeBF16: true)
        for config in GGUFWriterTests.families {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("q8-\(UUID().uuidString).gguf")
            defer { try? FileManager.default.removeItem(at: url) }
            try RandomGGUF.write(path: url.path, config: config, types: .all(.q8_0), seed: 5, std: 0.1)
            let fast = try TransformerModel.load(gguf: url, gemm: native)
            let exact = try TransformerModel.load(gguf: url, gemm: .requestedF32)
            #expect(fast.projectionGEMM.contains("q8_0-int8"), "\(fast.projectionGEMM)")
            let a = try probeLogits(fast), b = try probeLogits(exact)
            let scale = b.map { abs(Double($0)) }.max()!
            let worst = zip(a, b).map { abs(Double($0) - Double($1)) }.max()! / scale
            // Measured 1.3 % (LLaDA) and 1.4 % (Dream) of the largest logit; bound 2.5× that.
            #expect(worst < 0.035, "\(config.family): worst error \(worst) of the largest logit")
            #expect(worst > 1e-4, "\(config.family): the int8 kernel should leave a trace; did it run?")
        }
    }

    /// A 24-token prefill: from `Q8_0GEMM.packedMinimumRows` rows the projections run on the packed
    /// (prefill) kernel, which must stay as near the f32 path as the row-major kernel does.
    @Test func q8_0PrefillOnPackedKernelStaysNearF32() throws {
        let native = try GEMMChoice.choose(cpuFlags: ["avx512_bf16"], override: nil, nativeBF16: true)
        let length = 24
        #expect(length >= Q8_0GEMM.packedMinimumRows)
        for config in GGUFWriterTests.families {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("q8p-\(UUID().uuidString).gguf")
            defer { try? FileManager.default.removeItem(at: url) }
            try RandomGGUF.write(path: url.path, config: config, types: .all(.q8_0), seed: 6, std: 0.1)
            let tokens = (0..<length).map { ($0 * 29 + 3) % min(config.vocabularySize, 90) }
            let request = ForwardRequest(tokens: tokens, positions: Array(0..<length))
            let a = try TransformerModel.load(gguf: url, gemm: native).forward(request).logits
            let b = try TransformerModel.load(gguf: url, gemm: .requestedF32).forward(request).logits
            let scale = b.map { abs(Double($0)) }.max()!
            let worst = zip(a, b).map { abs(Double($0) - Double($1)) }.max()! / scale
            #expect(worst < 0.035, "\(config.family): worst error \(worst) of the largest logit")
            #expect(worst > 1e-4, "\(config.family): the int8 kernel should leave a trace; did it run?")
        }
    }
}

/// GGUF's 4- to 6-bit block types on the native path: tiles dequantized, rounded to bf16 and
/// multiplied on oneDNN (activations rounded to bf16 too), against the same file widened to f32.
/// The weights' bf16 rounding is far below their quantization step; the activations' rounding
/// moves the logits by about a percent of the largest, as on the bf16 checkpoint.
@Suite struct NativeDequantizedBF16Tests {
    @Test(arguments: [RandomGGUF.Types.q4_K_M, .all(.q4_0), .all(.q5_1), .all(.q6_K)])
    func subByteTypesOnBF16TilesStayNearF32(types: RandomGGUF.Types) throws {
        let native = try GEMMChoice.choose(cpuFlags: ["avx512_bf16"], override: nil, nativeBF16: true)
        for config in GGUFWriterTests.families {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("tiles-\(UUID().uuidString).gguf")
            defer { try? FileManager.default.removeItem(at: url) }
            try RandomGGUF.write(path: url.path, config: config, types: types, seed: 7, std: 0.1)
            let fast = try TransformerModel.load(gguf: url, gemm: native)
            let exact = try TransformerModel.load(gguf: url, gemm: .requestedF32)
            #expect(fast.projectionGEMM.contains("bf16 tiles"), "\(fast.projectionGEMM)")
            #expect(exact.projectionGEMM.contains("dequantized"), "\(exact.projectionGEMM)")
            // A prefill of `dequantizedBF16MinimumRows` rows runs on the tiles.
            let length = dequantizedBF16MinimumRows
            let tokens = (0..<length).map { ($0 * 29 + 3) % min(config.vocabularySize, 40) }
            let request = ForwardRequest(tokens: tokens, positions: Array(0..<length))
            let a = try fast.forward(request).logits, b = try exact.forward(request).logits
            let scale = b.map { abs(Double($0)) }.max()!
            let worst = zip(a, b).map { abs(Double($0) - Double($1)) }.max()! / scale
            // The bf16 checkpoint's bound (activation rounding), measured there at 1.8 %.
            #expect(worst < 0.045, "\(types) \(config.family): worst error \(worst) of the largest logit")
            if native.path == .oneDNNBF16 && BF16GEMM() != nil {
                #expect(worst > 1e-4, "\(types) \(config.family): bf16 rounding should show; did the tiles run?")
            }
        }
    }
}

/// A BF16 GGUF on the native path: LLaDA's Q/K rows are stored in the converter's permuted order,
/// and the packing gathers them, so every projection of a prefill runs packed on oneDNN.
@Suite struct NativeBF16GGUFTests {
    @Test func bf16GGUFWithPermutedRowsRunsPackedAndStaysNearF32() throws {
        let native = try GEMMChoice.choose(cpuFlags: ["avx512_bf16"], override: nil, nativeBF16: true)
        for config in GGUFWriterTests.families {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("bf16-\(UUID().uuidString).gguf")
            defer { try? FileManager.default.removeItem(at: url) }
            try RandomGGUF.write(path: url.path, config: config, types: .all(.bf16), seed: 8, std: 0.1)
            let fast = try TransformerModel.load(gguf: url, gemm: native)
            let exact = try TransformerModel.load(gguf: url, gemm: .requestedF32)
            let length = 24
            let tokens = (0..<length).map { ($0 * 29 + 3) % min(config.vocabularySize, 40) }
            let request = ForwardRequest(tokens: tokens, positions: Array(0..<length))
            let a = try fast.forward(request).logits, b = try exact.forward(request).logits
            let scale = b.map { abs(Double($0)) }.max()!
            let worst = zip(a, b).map { abs(Double($0) - Double($1)) }.max()! / scale
            #expect(worst < 0.045, "\(config.family): worst error \(worst) of the largest logit")
            if native.path == .oneDNNBF16, let gemm = BF16GEMM(),
               gemm.pack(weights: [UInt16](repeating: 0x3f80, count: 256 * 64), rows: 256, columns: 64) != nil {
                // Q, K, V, O, gate, up, down and the LM head (Dream ties it to the embedding).
                let expected = 7 * config.layerCount + 1
                #expect(fast.scratch.packedBF16Count == expected, "\(config.family): \(fast.scratch.packedBF16Count) packed")
                #expect(worst > 1e-4, "\(config.family): bf16 rounding should show")
            }
        }
    }
}
