import Decoding
import Foundation
import Modeling
import Recording
import Testing
import TestSupport

/// Every decoder on the engine's tiny random LLaDA and Dream checkpoints: the cache uses, shadow
/// attention masks and logit rows they request must be ones the real engine serves.
@Suite struct TinyTransformerTests {
    static let cases: [(model: String, id: String, settings: [String])] = [
        ("llada-tiny", "llada", ["steps=8", "block_length=8"]),
        ("llada-tiny", "fast-dllm", ["block_length=8", "cache=prefix"]),
        ("llada-tiny", "fast-dllm", ["block_length=8", "cache=dual", "rule=factor"]),
        ("llada-tiny", "d3llm", ["block_length=8", "cache_delay_iter=1", "refresh_interval=2"]),
        ("llada-tiny", "wino", ["block_length=8"]),
        ("llada-tiny", "r2", ["block_length=8"]),
        ("llada-tiny", "dparallel", ["block_length=8"]),
        ("llada-tiny", "prophet", ["steps=16", "block_length=8"]),
        ("dream-tiny", "dream", ["steps=8"]),
        ("dream-tiny", "fast-dllm", ["block_length=8", "cache=dual"]),
    ]

    @Test("decodes finish on the real tiny transformer", arguments: cases.indices)
    func decodeOnTinyModel(index: Int) throws {
        let c = Self.cases[index]
        let model = try TransformerModel.load(directory: fixturesDirectory().appendingPathComponent("modeling/\(c.model)"))
        let decoder = try DecoderRegistry.make(c.id, settings: c.settings)
        let prompt = [5, 6, 7, 8, 9]
        let session = try Session(decoder: decoder, predictor: model,
                                  setup: SessionSetup(promptTokens: prompt, answerLength: 16, seed: 3, recordsTimings: false))
        var forwards = 0
        session.addConsumer { output in
            if case .step(let step) = output {
                forwards += step.events.filter { if case .forward = $0 { true } else { false } }.count
            }
        }
        let end = session.run()
        #expect(end.reason == .finished || end.reason == .earlyStop, "\(c.id) on \(c.model): \(end.message ?? "")")
        #expect(session.canvas.isComplete)
        #expect(end.nfe == forwards)
    }
}
