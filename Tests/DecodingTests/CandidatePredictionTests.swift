import Decoding
import Foundation
import Kernels
import Modeling
import Recording
import Testing
import TestSupport

/// The shared per-candidate scoring (`predictCandidates`) and the entropy rule, against the row
/// functions they are built from.
@Suite struct CandidatePredictionTests {
    /// Three candidate rows over a vocabulary of 8, at positions 5, 6, 7.
    private let rows: [[Float]] = [peaked(2, 0.9), peaked(4, 0.4), peaked(6, 0.6)]

    private func logits() -> Logits {
        Logits(result: ForwardResult(logits: rows.flatMap { $0 }, rows: [0, 1, 2], vocabularySize: 8, cache: .none, seconds: 0),
               positions: [5, 6, 7])
    }

    @Test("LLaDA style: Gumbel token and untempered confidence per candidate, RNG drawn in candidate order")
    func lladaStyle() {
        var rng = SplitMix64(seed: 3), reference = SplitMix64(seed: 3)
        let predictions = predictCandidates([7, 5, 6], logits: logits(), style: .llada(temperature: 0.7), withEntropy: true, rng: &rng)
        #expect(predictions.all.map(\.position) == [7, 5, 6])
        for (position, row) in [(7, rows[2]), (5, rows[0]), (6, rows[1])] {
            row.withUnsafeBufferPointer { r in
                let token = gumbelArgmax(r.baseAddress!, count: 8, temperature: 0.7, rng: &reference)
                #expect(predictions[position].token == token)
                #expect(predictions[position].confidence == lladaConfidence(r.baseAddress!, count: 8, token: token))
                #expect(predictions[position].entropy == d3llmEntropy(r.baseAddress!, count: 8))
            }
        }
        #expect(rng.next() == reference.next())
    }

    @Test("Dream style takes the confidence after temperature; scores rank by confidence or entropy")
    func dreamStyleAndScores() {
        var rng = SplitMix64(seed: 1)
        let predictions = predictCandidates([5, 6, 7], logits: logits(), style: .dream(DreamSampling(temperature: 0)), rng: &rng)
        #expect(predictions.all.map(\.token) == [2, 4, 6])
        #expect(abs(predictions[5].confidence - 0.9) < 1e-6 && predictions[5].entropy == nil)
        #expect(rankDescending(predictions.byConfidence).map(\.position) == [5, 7, 6])
        let withEntropy = predictCandidates([5, 6, 7], logits: logits(), style: .llada(temperature: 0), withEntropy: true, rng: &rng)
        #expect(rankDescending(withEntropy.byNegativeEntropy).map(\.position) == [5, 7, 6])
        #expect(withEntropy[6].commit(.entropy) == Commit(position: 6, token: 4, confidence: withEntropy[6].confidence,
                                                           entropy: withEntropy[6].entropy, reason: .entropy))
    }

    @Test("entropy rule: H ≤ θ commits, the global minimum always (LLaDA); Dream is strict with no fallback")
    func entropyRuleForms() {
        let scored = [Scored(position: 1, score: -0.8), Scored(position: 2, score: -0.5), Scored(position: 3, score: -0.6)]
        let llada = entropyRule(scored, threshold: 0.5)
        #expect(llada.map(\.0.position) == [2] && llada.map(\.1) == [.entropy])
        let none = entropyRule(scored, threshold: 0.1)
        #expect(none.map(\.0.position) == [2] && none.map(\.1) == [.globalMinEntropy])
        #expect(entropyRule(scored, threshold: 0.5, family: .dream).isEmpty)
        #expect(entropyRule(scored, threshold: 0.7, family: .dream).map(\.0.position) == [2, 3])
    }

    /// Rows large enough to be scored over the cores (40 × 5000 logits) give exactly the per-row
    /// functions' numbers, tokens drawn in candidate order, and ghost predictions in position order.
    @Test("scores computed over the cores equal the serial row functions")
    func scoresOverTheCoresEqualTheRowFunctions() {
        let vocabulary = 5000, count = 40
        var data = SplitMix64(seed: 9)
        let table = (0..<count * vocabulary).map { _ in Float(data.nextUnitDouble() * 8 - 4) }
        let positions = (0..<count).map { 100 + $0 }
        let logits = Logits(result: ForwardResult(logits: table, rows: Array(0..<count), vocabularySize: vocabulary,
                                                  cache: .none, seconds: 0), positions: positions)
        let order = positions.reversed().map { $0 }
        var rng = SplitMix64(seed: 4), reference = SplitMix64(seed: 4)
        let predictions = predictCandidates(order, logits: logits, style: .llada(temperature: 0.5, confidenceExcluded: [7]),
                                            withEntropy: true, rng: &rng)
        #expect(predictions.all.map(\.position) == order)
        table.withUnsafeBufferPointer { t in
            for position in order {
                let row = t.baseAddress! + (position - 100) * vocabulary
                let token = gumbelArgmax(row, count: vocabulary, temperature: 0.5, rng: &reference)
                #expect(predictions[position].token == token)
                #expect(predictions[position].confidence == lladaConfidence(row, count: vocabulary, token: token, excluding: [7]))
                #expect(predictions[position].entropy == d3llmEntropy(row, count: vocabulary))
            }
            guard case .predict(let ghosts) = logits.predictions(positions) else {
                Issue.record("predictions is not a predict event")
                return
            }
            #expect(ghosts.map(\.position) == positions)
            for (i, ghost) in ghosts.enumerated() {
                #expect(ghost == ghostPrediction(t.baseAddress! + i * vocabulary, count: vocabulary, position: positions[i]))
            }
        }
        #expect(rng.next() == reference.next())
    }
}
