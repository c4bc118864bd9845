import Decoding
import Foundation
import Kernels
import Modeling
import Recording
import Testing
import TestSupport

/// Hand-worked checks of the pitfalls decoders.md lists, one rule at a time.
@Suite struct PitfallTests {
    private func session(_ id: String, _ settings: [String], _ predictor: any MaskPredictor,
                         prompt: [Int] = [3, 4], answerLength: Int) throws -> Session {
        try Session(decoder: try DecoderRegistry.make(id, settings: settings), predictor: predictor,
                    setup: SessionSetup(promptTokens: prompt, answerLength: answerLength, seed: 1, recordsTimings: false))
    }

    private func commits(_ record: StepRecord?, _ reason: CommitReason? = nil) -> [Int] {
        (record?.events ?? []).flatMap { event -> [Commit] in if case .commit(let c) = event { c } else { [] } }
            .filter { reason == nil || $0.reason == reason }.map(\.position).sorted()
    }

    @Test("R²: the window rule judges the pre-commit confidences of positions still masked after the base commit")
    func r2WindowUsesPreCommitConfidences() throws {
        // Block [2, 6): confidences 0.95 (passes τ), 0.85, 0.85, 0.3. Window [2,5) holds one
        // unmasked (u = 1) after the base commit and averages (0.85 + 0.85)/2 ≥ 0.8 → 3 and 4 commit.
        let table: [Int: Double] = [2: 0.95, 3: 0.85, 4: 0.85, 5: 0.3]
        let predictor = ScriptedPredictor { _, position, _ in peaked(3, table[position] ?? 0.5) }
        let s = try session("r2", ["block_length=4", "cache=none", "temporal_steps=0", "token_cluster=off"], predictor, answerLength: 4)
        let first = s.step()
        #expect(commits(first, .threshold) == [2])
        #expect(commits(first, .windowCluster) == [3, 4])
    }

    @Test("WINO: at most last_accept − 1 drafts are revoked, and only when ≥ 2 were drafted")
    func winoRevokeCap() throws {
        // A six-position block: call 0 drafts positions 2...5 (0.95 > τ1, the rest 0.2); call 1
        // drafts the last two, and every shadow scores the drafts ≈ 0 < τ2, so all four fail;
        // last_accept = 4 caps the revokes at 3, the lowest shadow scores (ties → lower position).
        let predictor = ScriptedPredictor { call, position, shadow in
            if shadow { return peaked(4, 0.99) }  // shadow prefers another token: low score for the draft
            if call == 0 { return peaked(3, position < 6 ? 0.95 : 0.2) }
            return peaked(3, 0.95)
        }
        let s = try session("wino", ["block_length=6"], predictor, answerLength: 6)
        let first = s.step()!
        let drafted = first.events.flatMap { event -> [Commit] in if case .draft(let c) = event { c } else { [] } }
        #expect(drafted.map(\.position) == [2, 3, 4, 5])
        let second = s.step()!
        let revoked = second.events.flatMap { event -> [Remask] in if case .remask(let r) = event { r } else { [] } }
        #expect(revoked.count == 3)
        #expect(revoked.map(\.position) == [2, 3, 4])
    }

    @Test("d3LLM: a block is fully activated (reference is_complete) long before it is done")
    func d3llmFullMeansActivated() throws {
        let predictor = ScriptedPredictor { _, _, _ in peaked(3, 0.3) }  // high entropy: nothing passes θ
        let s = try session("d3llm", ["block_length=4", "kv_cache=false", "early_stop=false"], predictor, answerLength: 8)
        let first = s.step()!
        let kinds = first.events.compactMap { if case .block(let b) = $0 { "\(b.kind.rawValue)\(b.block)" } else { nil } }
        #expect(kinds.contains("fully-activated0"))
        #expect(!kinds.contains("complete0"))
        // LLaDA: the global lowest-entropy commit plus nothing else (same block, forced not needed).
        #expect(commits(first, .globalMinEntropy) == [2])
    }

    @Test("Dream: with steps == gen length the first steps commit nothing; the last flushes every mask")
    func dreamZeroCommitFirstSteps() throws {
        let predictor = ScriptedPredictor(family: .dream) { _, _, _ in peaked(3, 0.6) }
        let s = try session("dream", ["temperature=0", "top_p=1"], predictor, answerLength: 8)
        #expect(commits(s.step()).isEmpty)
        let end = s.run()
        #expect(end.reason == .finished && s.canvas.isComplete)
    }

    @Test("Fast-dLLM Dream variant commits only the block's first position at the block start")
    func fastDllmDreamBlockStart() throws {
        let predictor = ScriptedPredictor(family: .dream) { _, _, _ in peaked(3, 0.99) }
        let s = try session("fast-dllm", ["block_length=4", "cache=dual"], predictor, answerLength: 8)
        #expect(commits(s.step(), .blockStartFirstToken) == [2])
        #expect(commits(s.step(), .threshold) == [3, 4, 5])
    }

    @Test("LLaDA confidence_eos_eot_inf: at τ = 0 an end-of-text prediction gets confidence 0 and commits last")
    func lladaEosEotConfidence() throws {
        // Position 2 predicts end-of-text (id 1) with 0.9, position 3 token 3 with 0.5.
        let predictor = ScriptedPredictor { _, position, _ in position == 2 ? peaked(1, 0.9) : peaked(3, 0.5) }
        let plain = try session("llada", ["steps=2", "block_length=2"], predictor, answerLength: 2)
        #expect(commits(plain.step(), .scheduleTopK) == [2])
        let guarded = try session("llada", ["steps=2", "block_length=2", "confidence_eos_eot_inf=true"], predictor, answerLength: 2)
        let first = guarded.step()
        #expect(commits(first, .scheduleTopK) == [3])
        let second = guarded.step()
        let eos = (second?.events ?? []).flatMap { event -> [Commit] in if case .commit(let c) = event { c } else { [] } }
        #expect(eos.map(\.token) == [1] && eos.map(\.confidence) == [0])
    }

    @Test("d3LLM early stop: everything after the first end-of-text becomes end-of-text in one force-fill")
    func d3llmEarlyStop() throws {
        // Position 3 predicts end-of-text (id 1) with near certainty; every other position is unsure.
        let predictor = ScriptedPredictor { _, position, _ in position == 3 ? peaked(1, 0.99) : peaked(3, 0.3) }
        let s = try session("d3llm", ["block_length=4", "kv_cache=false"], predictor, answerLength: 8)
        #expect(commits(s.step(), .entropy) == [3])
        let second = try #require(s.step())
        let fills = second.events.flatMap { event -> [Commit] in if case .forceFill(let c) = event { c } else { [] } }
        #expect(fills.map(\.position) == [4, 5, 6, 7, 8, 9] && fills.allSatisfy { $0.token == 1 && $0.reason == .eosFill })
        #expect(commits(second, .globalMinEntropy) == [2])
        let end = s.run()
        #expect(end.reason == .earlyStop && s.canvas.isComplete)
        #expect(end.usefulTokens == 1)
    }
}
