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
            case .step(let s): data = try encoder.encode(StepRecord(step: s.step, events: s.events.map(rounded),
                                                                    tokenTexts: s.tokenTexts, milliseconds: s.milliseconds))
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

/// Rounds to 9 significant digits, so goldens do not depend on the last bits of a libm.
private func round9(_ x: Double) -> Double {
    guard x.isFinite, x != 0 else { return x }
    let scale = pow(10, 8 - floor(log10(abs(x))))
    return (x * scale).rounded() / scale
}

private func rounded(_ c: Commit) -> Commit {
    Commit(position: c.position, token: c.token, confidence: round9(c.confidence), entropy: c.entropy.map(round9), reason: c.reason)
}

/// The event with every floating-point payload rounded by `round9`.
func rounded(_ event: Event) -> Event {
    switch event {
    case .predict(let p):
        .predict(p.map { Prediction(position: $0.position, tokens: $0.tokens, probabilities: $0.probabilities.map(round9),
                                    entropy: round9($0.entropy)) })
    case .commit(let c): .commit(c.map(rounded))
    case .draft(let c): .draft(c.map(rounded))
    case .forceFill(let c): .forceFill(c.map(rounded))
    case .verify(let v): .verify(v.map { Verification(position: $0.position, score: round9($0.score), passed: $0.passed) })
    case .remask(let r): .remask(r.map { Remask(position: $0.position, oldToken: $0.oldToken, score: round9($0.score)) })
    case .gauge(let g): .gauge(Gauge(name: g.name, value: round9(g.value), threshold: g.threshold, positions: g.positions))
    default: event
    }
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
