import Decoding
import Modeling
import Recording
import Testing
import TestSupport

/// The registry's one defaults rule (what `run`, `play`, `bench`, compare lanes and the
/// playground's decoder switch all use): every decoder with no settings runs on any canvas.
@Suite struct DefaultsRuleTests {
    /// The CLI's default canvas, then the lengths a user is likely to try.
    static let lengths = [64, 16, 48, 96, 128]

    @Test("every decoder with no settings finishes on every canvas length, on both model families",
          arguments: DecoderRegistry.ids)
    func defaultsRun(id: String) throws {
        for family in [ModelDescriptor.Family.llada, .dream] {
            for length in Self.lengths {
                var options = SyntheticPredictor.Options()
                options.family = family
                let setup = SessionSetup(promptTokens: testPrompt, answerLength: length, seed: 3, maxSteps: 2_000, recordsTimings: false)
                let (end, canvas) = try Session.decode(id, predictor: SyntheticPredictor(options), setup: setup)
                #expect(end.reason == .finished || end.reason == .earlyStop, "\(id) \(family) G=\(length): \(end.message ?? "")")
                #expect(canvas.isComplete, "\(id) \(family) G=\(length)")
                let decoder = try DecoderRegistry.make(id, answerLength: length)
                let config = decoder.configuration
                if let block = config["block_length"].flatMap(Int.init) {
                    #expect(block <= length && length % block == 0, "\(id) G=\(length): block_length \(block)")
                }
                if let steps = config["steps"] {
                    // One token per step of the actual canvas, and the forwards follow (no early exit in LLaDA).
                    #expect(steps == String(length), "\(id) G=\(length): steps \(steps)")
                    if id == "llada" { #expect(end.nfe == length, "llada G=\(length): NFE \(end.nfe)") }
                }
            }
        }
    }

    @Test("the rule: a block longer than the canvas shrinks to it, one that does not divide takes the nearest divisor")
    func blockLengths() {
        #expect(DecoderRegistry.fittedBlockLength(128, answerLength: 64) == 64)
        #expect(DecoderRegistry.fittedBlockLength(32, answerLength: 64) == 32)
        #expect(DecoderRegistry.fittedBlockLength(32, answerLength: 48) == 24)
        #expect(DecoderRegistry.fittedBlockLength(32, answerLength: 53) == 53)
        #expect(DecoderRegistry.fittedBlockLength(32, answerLength: 16) == 16)
    }

    @Test("settings the user names are left alone; the others are fitted and shown in the configuration")
    func namedSettingsWin() throws {
        #expect(try DecoderRegistry.fittedDefaults("wino", settings: [], answerLength: 64) == ["block_length=64"])
        #expect(try DecoderRegistry.fittedDefaults("llada", settings: ["steps=32"], answerLength: 64).isEmpty)
        #expect(try DecoderRegistry.fittedDefaults("llada", settings: [], answerLength: 96) == ["steps=96"])
        #expect(try DecoderRegistry.fittedDefaults("dream", settings: [], answerLength: 48) == ["steps=48"])
        #expect(try DecoderRegistry.fittedDefaults("fast-dllm", settings: [], answerLength: 64).isEmpty)
        let wino = try DecoderRegistry.make("wino", settings: ["threshold=0.5"], answerLength: 16)
        #expect(wino.configuration["block_length"] == "16" && wino.configuration["threshold"] == "0.5")
        // An explicit value that does not fit is still an error, naming the valid ones.
        let setup = SessionSetup(promptTokens: testPrompt, answerLength: 64, seed: 0)
        #expect(throws: DecoderError.self) {
            _ = try Session.decode("wino", settings: ["block_length=128"], predictor: SyntheticPredictor(), setup: setup)
        }
    }
}
