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
public func dreamDraw(_ row: UnsafePointer<Float>, count: Int, sampling: DreamSampling,
                      rng: inout SplitMix64) -> DreamDraw {
    let scale = sampling.temperature > 0 ? 1 / sampling.temperature : 1
    var logits = (0..<count).map { Double(row[$0]) * scale }
    if sampling.topP < 1 || sampling.topK > 0 {
        let order = (0..<count).sorted { logits[$0] != logits[$1] ? logits[$0] > logits[$1] : $0 < $1 }
        var keep = count
        if sampling.topK > 0 { keep = min(keep, sampling.topK) }
        if sampling.topP < 1 {
            let probabilities = softmax(logits)
            var cumulative = 0.0
            for (rank, index) in order.enumerated() {
                cumulative += probabilities[index]
                if cumulative > sampling.topP { keep = min(keep, rank + 1); break }
            }
        }
        for index in order.dropFirst(keep) { logits[index] = -.infinity }
    }
    let probabilities = softmax(logits)
    var token = 0
    if sampling.temperature > 0 {
        let u = rng.nextUnitDouble()
        var cumulative = 0.0
        token = probabilities.lastIndex(where: { $0 > 0 }) ?? 0
        for (index, p) in probabilities.enumerated() {
            cumulative += p
            if u < cumulative { token = index; break }
        }
    } else {
        for index in probabilities.indices where probabilities[index] > probabilities[token] { token = index }
    }
    var first = 0.0, second = 0.0, negativeEntropy = 0.0
    for p in probabilities {
        if p > first { second = first; first = p } else if p > second { second = p }
        negativeEntropy += p * log(p + 1e-10)
    }
    return DreamDraw(token: token, probability: probabilities[token], margin: first - second,
                     negativeEntropy: negativeEntropy)
}

/// Float64 softmax of a Double vector; −∞ entries get probability 0.
func softmax(_ logits: [Double]) -> [Double] {
    let maximum = logits.max() ?? 0
    guard maximum > -.infinity else { return logits.map { _ in 0 } }
    let exps = logits.map { exp($0 - maximum) }
    let sum = exps.reduce(0, +)
    return exps.map { $0 / sum }
}
