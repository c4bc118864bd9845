import Decoding
import Foundation
import Kernels
import Modeling
import Recording
import Testing
import TestSupport

/// A finished decode on the synthetic predictor.
struct DecodeRun {
    var outputs: [SessionOutput]
    var session: Session
    var predictor: SyntheticPredictor

    var steps: [StepRecord] { outputs.compactMap { if case .step(let s) = $0 { s } else { nil } } }
    var end: EndRecord { session.endRecord! }
    var events: [Event] { steps.flatMap(\.events) }
    var forwardEvents: Int { events.filter { if case .forward = $0 { true } else { false } }.count }

    /// The trajectory as JSON Lines, timings zeroed.
    func jsonLines() throws -> String {
        let encoder = TrajectoryCoding.makeEncoder()
        return try outputs.map { output -> String in
            let data: Data
            switch output {
            case .header(let h): data = try encoder.encode(h)
            case .step(let s): data = try encoder.encode(s)
            case .end(let e): data = try encoder.encode(e)
            }
            return String(decoding: data, as: UTF8.self)
        }.joined(separator: "\n") + "\n"
    }
}

let testPrompt = [3, 4, 5, 6]

func decode(_ id: String, _ settings: [String] = [], answerLength: Int = 32, seed: UInt64 = 7,
            options: SyntheticPredictor.Options = SyntheticPredictor.Options()) throws -> DecodeRun {
    let predictor = SyntheticPredictor(options)
    let decoder = try DecoderRegistry.make(id, settings: settings)
    let setup = SessionSetup(promptTokens: testPrompt, promptText: "synthetic", answerLength: answerLength, seed: seed,
                             tokenizer: "synthetic", tokenText: { "t\($0)" }, writer: "dllm-play tests",
                             maxSteps: 2_000, recordsTimings: false)
    let session = try Session(decoder: decoder, predictor: predictor, setup: setup)
    var outputs: [SessionOutput] = []
    session.addConsumer { outputs.append($0) }
    session.run()
    return DecodeRun(outputs: outputs, session: session, predictor: predictor)
}

/// Compares `text` with the stored golden file `Tests/Fixtures/decoding/<name>`; writes it instead
/// when DLLM_PLAY_REGENERATE_GOLDENS=1.
func expectGolden(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = fixturesDirectory().appendingPathComponent("decoding/\(name)")
    if ProcessInfoEnvironment.value("DLLM_PLAY_REGENERATE_GOLDENS") == "1" {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    guard let stored = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("missing golden \(url.path); run with DLLM_PLAY_REGENERATE_GOLDENS=1", sourceLocation: sourceLocation)
        return
    }
    if stored != text {
        let a = stored.split(separator: "\n", omittingEmptySubsequences: false)
        let b = text.split(separator: "\n", omittingEmptySubsequences: false)
        let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        Issue.record("golden \(name) differs at line \(line + 1) (stored \(a.count) lines, got \(b.count))",
                     sourceLocation: sourceLocation)
    }
}
