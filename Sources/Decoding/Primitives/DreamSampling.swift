import Foundation
import Kernels

/// Dream's `sample_tokens` knobs (decoders.md §1.4).
public struct DreamSampling: Sendable, Equatable {
    /// Logits are divided by this before top-p/top-k; 0 means greedy.
    public var temperature: Double
    /// Nucleus cut: keep the smallest prefix of sorted tokens whose mass exceeds `topP` (the first
    /// token always stays). 1 disables it.
    public var topP: Double
    /// Keep only the `topK` most probable tokens; 0 disables it.
    public var topK: Int

    public init(temperature: Double, topP: Double = 1, topK: Int = 0) {
        self.temperature = temperature
        self.topP = topP
        self.topK = topK
    }
}

/// One Dream-style draw at a position.
public struct DreamDraw: Sendable, Equatable {
    public var token: Int
    /// `probs[token]` after temperature, top-p and top-k (the `maskgit_plus` score).
    public var probability: Double
    /// Top-1 minus top-2 of the same probabilities (`topk_margin`).
    public var margin: Double
    /// `Σ p·log(p + 1e-10)`, ≤ 0, higher is more confident (`entropy`).
    public var negativeEntropy: Double
}

/// Dream-style prediction (decoders.md §1.4), in order: divide by the temperature (if > 0), top-p
/// filter, top-k filter, softmax in float64; then sample `x0 ~ probs` when the temperature is > 0,
/// else take the argmax. Unlike §1.2, the confidence is computed *after* temperature and top-p.
///
/// Both filters keep a prefix of the tokens sorted by logit (ties: lower id first), so only that
/// prefix is ranked, growing it until the nucleus is covered; with no filter the whole vocabulary
/// is used in id order. Sampling walks the kept tokens in that order.
public func dreamDraw(_ row: UnsafePointer<Float>, count: Int, sampling: DreamSampling,
                      rng: inout SplitMix64) -> DreamDraw {
    let scale = sampling.temperature > 0 ? 1 / sampling.temperature : 1
    let ids = keptTokens(row, count: count, sampling: sampling, scale: scale)
    let probabilities = softmax(ids.map { Double(row[$0]) * scale })
    var chosen = 0
    if sampling.temperature > 0 {
        let u = rng.nextUnitDouble()
        var cumulative = 0.0
        chosen = probabilities.lastIndex(where: { $0 > 0 }) ?? 0
        for (index, p) in probabilities.enumerated() {
            cumulative += p
            if u < cumulative { chosen = index; break }
        }
    } else {
        for index in probabilities.indices where probabilities[index] > probabilities[chosen] { chosen = index }
    }
    var first = 0.0, second = 0.0, negativeEntropy = 0.0
    for p in probabilities {
        if p > first { second = first; first = p } else if p > second { second = p }
        negativeEntropy += p * log(p + 1e-10)
    }
    return DreamDraw(token: ids[chosen], probability: probabilities[chosen], margin: first - second,
                     negativeEntropy: negativeEntropy)
}

/// The token ids that survive top-p then top-k: all ids in order when neither is active, else the
/// kept prefix of the logit ranking.
private func keptTokens(_ row: UnsafePointer<Float>, count: Int, sampling: DreamSampling, scale: Double) -> [Int] {
    guard sampling.topP < 1 || sampling.topK > 0 else { return Array(0..<count) }
    let limit = sampling.topK > 0 ? min(sampling.topK, count) : count
    var k = sampling.topK > 0 ? limit : min(64, count)
    let normaliser: Double = {
        var maximum = -Double.infinity
        for v in 0..<count { maximum = max(maximum, Double(row[v]) * scale) }
        var sum = 0.0
        for v in 0..<count { sum += exp(Double(row[v]) * scale - maximum) }
        return maximum + log(sum)
    }()
    while true {
        let ranked = topK(row, count: count, k: k).map(\.index)
        if sampling.topP < 1 {
            var cumulative = 0.0
            for (rank, id) in ranked.enumerated() {
                cumulative += exp(Double(row[id]) * scale - normaliser)
                if cumulative > sampling.topP { return Array(ranked.prefix(rank + 1)) }
            }
        }
        if k >= limit { return ranked }
        k = min(limit, k * 8)
    }
}

/// Float64 softmax of a Double vector; −∞ entries get probability 0.
func softmax(_ logits: [Double]) -> [Double] {
    let maximum = logits.max() ?? 0
    guard maximum > -.infinity else { return logits.map { _ in 0 } }
    let exps = logits.map { exp($0 - maximum) }
    let sum = exps.reduce(0, +)
    return exps.map { $0 / sum }
}
