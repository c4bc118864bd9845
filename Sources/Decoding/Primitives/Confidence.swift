import Foundation
import Kernels
import Recording

// Per-position scores of one logits row. Every decoder reads rows through these functions, so a
// rule about precision or ties lives in exactly one place.

/// LLaDA-style confidence (decoders.md §1.2, step 2): `softmax(ℓ)[token]` over the **full
/// vocabulary**, on the **raw logits** (no temperature), in float64. With temperature > 0 this is
/// the untempered probability of the sampled token. Ids in `excluded` count as logit −∞ (LLaDA's
/// `confidence_eos_eot_inf`, §2.7), which gives an excluded token confidence 0.
public func lladaConfidence(_ row: UnsafePointer<Float>, count: Int, token: Int, excluding excluded: [Int] = []) -> Double {
    if excluded.contains(token) { return 0 }
    var maximum = -Double.infinity
    for v in 0..<count where !excluded.contains(v) { maximum = max(maximum, Double(row[v])) }
    guard maximum > -.infinity else { return 0 }
    var sum = 0.0
    if excluded.isEmpty {
        for v in 0..<count { sum += exp(Double(row[v]) - maximum) }
    } else {
        for v in 0..<count where !excluded.contains(v) { sum += exp(Double(row[v]) - maximum) }
    }
    return exp(Double(row[token]) - maximum) / sum
}

/// d3LLM's entropy (decoders.md §1.2, step 3): `H = −Σ p·log(p + 1e-12)`, `p = softmax(ℓ)` in
/// float64, no temperature, in nats.
public func d3llmEntropy(_ row: UnsafePointer<Float>, count: Int) -> Double {
    d3llmEntropy(row, count: count, normaliser: logSumExp(row, count: count))
}

/// `d3llmEntropy` with log Σ exp(row) already computed (`logSumExp`).
func d3llmEntropy(_ row: UnsafePointer<Float>, count: Int, normaliser: Double) -> Double {
    var entropy = 0.0
    for v in 0..<count {
        let p = exp(Double(row[v]) - normaliser)
        entropy -= p * log(p + 1e-12)
    }
    return entropy
}

/// Top-1 minus top-2 probability of softmax(ℓ) (decoders.md §1.4, `margin`).
public func probabilityMargin(_ row: UnsafePointer<Float>, count: Int) -> Double {
    let top = topK(row, count: count, k: 2)
    guard let first = top.first else { return 0 }
    let normaliser = logSumExp(row, count: count)
    let p1 = exp(Double(first.value) - normaliser)
    let p2 = top.count > 1 ? exp(Double(top[1].value) - normaliser) : 0
    return p1 - p2
}

/// Top-1 minus top-2 *logit* (Prophet's gap, decoders.md §7; logit units, not probabilities).
public func logitGap(_ row: UnsafePointer<Float>, count: Int) -> Double {
    let top = topK(row, count: count, k: 2)
    guard top.count == 2 else { return 0 }
    return Double(top[0].value) - Double(top[1].value)
}

/// The "ghost" prediction of a masked position (decoders.md §9 `predict`): the top-k ids with
/// their probabilities, and the entropy of the full distribution.
public func ghostPrediction(_ row: UnsafePointer<Float>, count: Int, position: Int, topCount: Int = 3) -> Prediction {
    let normaliser = logSumExp(row, count: count)
    let top = topK(row, count: count, k: topCount)
    return Prediction(position: position, tokens: top.map(\.index),
                      probabilities: top.map { exp(Double($0.value) - normaliser) },
                      entropy: d3llmEntropy(row, count: count, normaliser: normaliser))
}
