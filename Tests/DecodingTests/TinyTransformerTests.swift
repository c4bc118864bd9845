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

extension TinyTransformerTests {
    /// What a decode decided, without any floating-point value: forward modes and windows, and
    /// each commit/draft/remask/fill as position:token:reason. Robust to last-bit differences
    /// between BLAS kernels unless two candidates are within rounding of each other.
    static func decisions(_ records: [StepRecord]) -> String {
        records.map { record in
            record.events.compactMap { event -> String? in
                switch event {
                case .forward(let f): "\(f.mode.rawValue)[\(f.window.lower),\(f.window.upper))"
                case .commit(let c): "commit " + c.map { "\($0.position):\($0.token):\($0.reason.rawValue)" }.joined(separator: " ")
                case .draft(let c): "draft " + c.map { "\($0.position):\($0.token)" }.joined(separator: " ")
                case .forceFill(let c): "fill " + c.map { "\($0.position):\($0.token):\($0.reason.rawValue)" }.joined(separator: " ")
                case .remask(let r): "remask " + r.map { "\($0.position)" }.joined(separator: " ")
                case .block(let b): "block \(b.kind.rawValue) \(b.block)"
                case .cache(let c): "cache \(c.kind.rawValue) [\(c.range.lower),\(c.range.upper))"
                default: nil
                }
            }.joined(separator: " | ")
        }.joined(separator: "\n") + "\n"
    }

    @Test("decisions of Fast-dLLM (dual cache) and LLaDA on the tiny LLaDA checkpoint match the golden")
    func tinyModelGolden() throws {
        for (id, settings) in [("llada", ["steps=16", "block_length=8"]), ("fast-dllm", ["block_length=8", "cache=dual", "threshold=0.2"])] {
            let model = try TransformerModel.load(directory: fixturesDirectory().appendingPathComponent("modeling/llada-tiny"))
            let session = try Session(decoder: try DecoderRegistry.make(id, settings: settings), predictor: model,
                                      setup: SessionSetup(promptTokens: [5, 6, 7, 8, 9], answerLength: 16, seed: 3, recordsTimings: false))
            var records: [StepRecord] = []
            session.addConsumer { if case .step(let s) = $0 { records.append(s) } }
            session.run()
            try expectGolden(Self.decisions(records), named: "tiny-llada-\(id).txt")
        }
    }
}
