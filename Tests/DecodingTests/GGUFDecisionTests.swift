import Decoding
import Foundation
import Modeling
import Recording
import Testing
import TestSupport

/// A GGUF file decodes exactly as the HF checkpoint with the same (dequantized) weights: every
/// decoder of the tiny-model cases makes the same decisions on both.
@Suite struct GGUFDecisionTests {
    /// (GGUF fixture, the HF folder with the same weights, or nil: its own weights widened to f32).
    static let pairs: [(gguf: String, folder: String?)] = [
        ("llada-tiny.f32.gguf", "llada-tiny"), ("llada-tiny.bf16.gguf", "llada-tiny-bf16"),
        ("dream-tiny.f32.gguf", "dream-tiny"), ("dream-tiny.f16.gguf", nil),
        ("llada-tok.gguf", nil), ("dream-tok.gguf", nil),
    ]

    func decisions(_ model: TransformerModel, _ id: String, _ settings: [String]) throws -> String {
        let session = try Session(decoder: try DecoderRegistry.make(id, settings: settings), predictor: model,
                                  setup: SessionSetup(promptTokens: [5, 6, 7, 8, 9], answerLength: 16, seed: 3, recordsTimings: false))
        var records: [StepRecord] = []
        session.addConsumer { if case .step(let s) = $0 { records.append(s) } }
        session.run()
        return TinyTransformerTests.decisions(records)
    }

    @Test(arguments: pairs.indices)
    func sameDecisions(index: Int) throws {
        let pair = Self.pairs[index]
        let gguf = try TransformerModel.load(gguf: fixturesDirectory().appendingPathComponent("gguf/\(pair.gguf)"), gemm: .requestedF32)
        let reference = try pair.folder.map { try TransformerModel.load(directory: fixturesDirectory().appendingPathComponent("modeling/\($0)"), gemm: .requestedF32) }
            ?? gguf.widenedToF32()
        let family = gguf.descriptor.family.rawValue
        // The block-quantized files (wider, dequantized per pass: slow in debug builds) run one decoder each.
        let cases = TinyTransformerTests.cases.filter { $0.model.hasPrefix(family) }
        for c in pair.gguf.hasSuffix("-tok.gguf") ? Array(cases.prefix(1)) : cases {
            let ours = try decisions(gguf, c.id, c.settings)
            #expect(!ours.isEmpty)
            #expect(ours == (try decisions(reference, c.id, c.settings)), "\(pair.gguf): \(c.id) \(c.settings)")
        }
    }
}
