import Decoding
import Foundation
import Kernels
import Recording
import Testing

@Suite struct PrimitivesTests {
    @Test("transfer counts put the remainder first and sum to the mask count")
    func transferSchedule() {
        #expect(transferCounts(masked: 10, steps: 4) == [3, 3, 2, 2])
        #expect(transferCounts(masked: 3, steps: 5) == [1, 1, 1, 0, 0])
        #expect(transferCounts(masked: 32, steps: 32).allSatisfy { $0 == 1 })
    }

    @Test("Dream's first steps commit nothing when steps == gen length, the last flushes all")
    func dreamZeroCommitFirstSteps() {
        let grid = DreamTimeGrid(steps: 256, eps: 1e-3)
        #expect(grid.transferCount(masked: 256, step: 0) == 0)
        #expect(grid.transferCount(masked: 17, step: 255) == 17)
        #expect(grid.unmaskFraction(step: 255) == 1)
    }

    @Test("ties go to the lower position")
    func tieBreak() {
        let ranked = topPositions([Scored(position: 9, score: 1), Scored(position: 4, score: 1), Scored(position: 7, score: 2)], count: 2)
        #expect(ranked.map(\.position) == [7, 4])
    }

    @Test("threshold rule: top-1 always, forced when below τ")
    func thresholdRuleForcesTop1() {
        let low = thresholdRule([Scored(position: 1, score: 0.3), Scored(position: 2, score: 0.5)], threshold: 0.9)
        #expect(low.map(\.0.position) == [2] && low.map(\.1) == [.forcedTop1])
        let high = thresholdRule([Scored(position: 1, score: 0.95), Scored(position: 2, score: 0.9), Scored(position: 3, score: 0.2)],
                                 threshold: 0.9)
        #expect(high.map(\.0.position) == [1, 2] && high.allSatisfy { $0.1 == .threshold })
    }

    @Test("factor rule: longest passing prefix, and the reference quirk when only the last fails")
    func factorRuleQuirk() {
        // θ_2 = 1 − 1/3 ≈ 0.667, θ_3 = 0.75, θ_4 = 0.8 with f = 1.
        let prefix = factorRule([0.99, 0.9, 0.5, 0.95, 0.1].enumerated().map { Scored(position: $0.offset, score: $0.element) }, factor: 1)
        // sorted 0.99, 0.95, 0.9, 0.5, 0.1: 0.5 < θ_4 fails at index 3 → 3 committed.
        #expect(prefix.map(\.0.position) == [0, 3, 1])
        // Only the last (index N−1 = 2) fails: 0.2 < 0.75, yet all three are committed.
        let quirk = factorRule([Scored(position: 5, score: 0.99), Scored(position: 6, score: 0.9), Scored(position: 7, score: 0.2)], factor: 1)
        #expect(quirk.count == 3)
        // A failure before the last keeps the plain prefix.
        let plain = factorRule([0.99, 0.3, 0.2, 0.1].enumerated().map { Scored(position: $0.offset, score: $0.element) }, factor: 1)
        #expect(plain.count == 1)
    }

    @Test("LLaDA confidence is the float64 full-vocabulary softmax; excluded ids leave it")
    func lladaConfidenceMatchesSoftmax() {
        let row: [Float] = [1, 2, 3, 0.5]
        let z = row.map { exp(Double($0)) }.reduce(0, +)
        row.withUnsafeBufferPointer { p in
            #expect(abs(lladaConfidence(p.baseAddress!, count: 4, token: 2) - exp(3) / z) < 1e-12)
            #expect(lladaConfidence(p.baseAddress!, count: 4, token: 2, excluding: [2]) == 0)
            let inflated = lladaConfidence(p.baseAddress!, count: 4, token: 1, excluding: [2])
            #expect(abs(inflated - exp(2) / (z - exp(3))) < 1e-12)
        }
    }

    @Test("d3LLM entropy uses the +1e-12 form; Gumbel at τ = 0 is the first argmax")
    func entropyAndArgmax() {
        let row: [Float] = [0, 0, 0, 0]
        var rng = SplitMix64(seed: 1)
        row.withUnsafeBufferPointer { p in
            #expect(abs(d3llmEntropy(p.baseAddress!, count: 4) - log(4)) < 1e-9)
            #expect(gumbelArgmax(p.baseAddress!, count: 4, temperature: 0, rng: &rng) == 0)
        }
        #expect(rng == SplitMix64(seed: 1))
    }

    @Test("Gumbel-max samples follow softmax(ℓ/τ)")
    func gumbelFrequencies() {
        let row: [Float] = [0, log(3)]
        var rng = SplitMix64(seed: 42)
        var ones = 0
        for _ in 0..<20_000 {
            ones += row.withUnsafeBufferPointer { gumbelArgmax($0.baseAddress!, count: 2, temperature: 1, rng: &rng) }
        }
        #expect(abs(Double(ones) / 20_000 - 0.75) < 0.02)
    }

    @Test("gen length not divisible by the block length names the valid block lengths")
    func divisibility() {
        #expect(throws: DecoderError.incompatible("gen length 12 is not divisible by block_length 5; valid block_length values: 1, 2, 3, 4, 6, 12")) {
            try BlockLayout.requireDivisible(answerLength: 12, blockLength: 5)
        }
    }
}
