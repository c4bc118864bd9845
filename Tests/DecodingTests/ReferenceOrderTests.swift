import Decoding
import Foundation
import Kernels
import Modeling
import Recording
import Testing
import TestSupport

/// Regression tests for four places where a decoder once departed from the reference code's order
/// or arithmetic (decoders.md §4.6, §6.3, §7). Each test fails on the earlier behaviour.
@Suite struct ReferenceOrderTests {
    private func session(_ id: String, _ settings: [String], _ predictor: any MaskPredictor,
                         prompt: [Int] = [3, 4], answerLength: Int) throws -> Session {
        try Session(decoder: try DecoderRegistry.make(id, settings: settings), predictor: predictor,
                    setup: SessionSetup(promptTokens: prompt, answerLength: answerLength, seed: 1, recordsTimings: false))
    }

    /// Commits, drafts and force-fills of a step, in order.
    private func writes(_ record: StepRecord) -> [Commit] {
        record.events.flatMap { event -> [Commit] in
            switch event {
            case .commit(let c), .forceFill(let c), .draft(let c): c
            default: []
            }
        }
    }

    // Prompt [3, 4] at positions 0–1; answer 2..<10 in two blocks of 4. Step 1 commits end-of-text
    // (id 1) at position 3, so step 2 fills 4..<10 with end-of-text before its forward.
    private func earlyStopPredictor(second: @escaping (Int) -> [Float]) -> ScriptedPredictor {
        ScriptedPredictor { call, position, _ in
            call == 0 ? (position == 3 ? peaked(1, 0.99) : peaked(3, 0.3)) : second(position)
        }
    }

    @Test("d3LLM early stop: the forward of an iteration sees that iteration's end-of-text fill (§4.6)",
          arguments: [false, true])
    func d3llmForwardSeesFill(kvCache: Bool) throws {
        let predictor = earlyStopPredictor { _ in peaked(3, 0.3) }
        let s = try session("d3llm", ["block_length=4", "kv_cache=\(kvCache)"], predictor, answerLength: 8)
        s.step()
        s.step()
        let request = try #require(predictor.requests.dropFirst().first)
        // The second forward covers the whole canvas (no cache holds anything yet at NFE 2).
        let shown = Dictionary(uniqueKeysWithValues: zip(request.positions, request.tokens))
        #expect((4..<10).allSatisfy { shown[$0] == 1 }, "forward saw \(request.tokens), expected end-of-text at 4..<10")
        #expect(shown[2] == predictor.descriptor.maskTokenID && shown[3] == 1)
    }

    @Test("d3LLM early stop: the forced commit is chosen among the candidates taken before the fill (§4.6)")
    func d3llmForcedCommitAmongPreFillCandidates() throws {
        // Second forward: position 7 (block 2) is the global lowest entropy and commits; in block 1,
        // the first full block with masks, nothing commits, so one position is forced. The lowest
        // entropy there is position 4, which the fill has just set to end-of-text; position 2 is
        // the only one still masked. The reference forces 4 (token 5), not 2.
        let predictor = earlyStopPredictor { position in
            switch position {
            case 7: peaked(3, 0.95)
            case 4: peaked(5, 0.6)
            default: peaked(3, 0.3)
            }
        }
        let s = try session("d3llm", ["block_length=4", "kv_cache=false", "threshold=0.3"], predictor, answerLength: 8)
        s.step()
        let second = try #require(s.step())
        let forced = writes(second).filter { $0.reason == .forcedFirstFullBlock }
        #expect(forced.map(\.position) == [4] && forced.map(\.token) == [5])
        #expect(s.canvas.cells[2].state == .masked)
    }

    @Test("Prophet: progress counts from step 1, so the gap threshold drops at step ⌈0.33·T⌉ (§7)")
    func prophetProgressCountsFromOne() throws {
        // Every position has a top-1 − top-2 logit gap of 6: below the early threshold 7.5, above
        // the middle one 5.0. With T = 64 the reference's progress reaches 0.33 at step 22 (22/64).
        let gapOfSix: [Float] = [0, 6, 0, 0, 0, 0, 0, 0]
        let predictor = ScriptedPredictor { _, _, _ in gapOfSix }
        let s = try session("prophet", ["steps=64", "block_length=32"], predictor, answerLength: 64)
        let end = s.run()
        #expect(end.reason == .earlyStop)
        #expect(end.steps == 22)
    }

    @Test("R² token_cluster = mid commits offset run_length // 2: a run of 2 commits its second position (§6.3)")
    func r2MidOfEvenRun() throws {
        // Block [2, 6): 2 is the base rule's forced top-1 (token 6); 3 is unsure; 4 and 5 both
        // predict token 5 at 0.85 and 0.84 (a run of 2, max > θs = 0.8, below τ = 0.9). No window of
        // 3 reaches a mean of 0.8, so only the token-cluster rule commits, at the run's second position.
        let table: [Int: (Int, Double)] = [2: (6, 0.88), 3: (3, 0.3), 4: (5, 0.85), 5: (5, 0.84)]
        let predictor = ScriptedPredictor { _, position, _ in
            let (token, p) = table[position] ?? (3, 0.3)
            return peaked(token, p)
        }
        let s = try session("r2", ["block_length=4", "cache=none", "temporal_steps=0", "token_cluster=mid"],
                            predictor, answerLength: 4)
        let first = try #require(s.step())
        let clustered = writes(first).filter { $0.reason == .tokenCluster }
        #expect(clustered.map(\.position) == [5] && clustered.map(\.token) == [5])
        #expect(writes(first).filter { $0.reason == .windowCluster }.isEmpty)
    }
}
