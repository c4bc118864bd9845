import Foundation
import Kernels
import Modeling
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
