import Foundation
import Kernels

/// Gumbel-max sampling with temperature τ (decoders.md §1.3, LLaDA `add_gumbel_noise`).
///
/// τ = 0 returns the plain argmax (first maximal index, as PyTorch's `argmax`). Otherwise, in
/// float64 and in log space, each entry scores `ℓ_v/τ − ln(−ln u_v)` with `u_v` uniform in (0, 1)
/// from `rng`, and the argmax is returned: an exact draw from `softmax(ℓ/τ)`. One uniform is drawn
/// for every vocabulary entry, in id order, so the RNG stream depends only on the vocabulary size.
/// Ids in `excluded` never win (LLaDA's `logits_eos_inf`).
public func gumbelArgmax(_ row: UnsafePointer<Float>, count: Int, temperature: Double,
                         rng: inout SplitMix64, excluding excluded: [Int] = []) -> Int {
    var best = 0, bestScore = -Double.infinity
    if temperature <= 0 {
        for v in 0..<count where !excluded.contains(v) && Double(row[v]) > bestScore {
            best = v
            bestScore = Double(row[v])
        }
        return best
    }
    for v in 0..<count {
        let u = rng.nextOpenUnitDouble()
        if excluded.contains(v) { continue }
        let score = Double(row[v]) / temperature - log(-log(u))
        if score > bestScore {
            best = v
            bestScore = score
        }
    }
    return best
}

/// Gumbel-top-k over scores: draws `k` distinct indices without replacement from
/// `softmax(scores/τ)` (Dream's `alg_temp > 0` position sampling, decoders.md §2.5 step 4). Ties in
/// the perturbed score go to the lower index.
public func gumbelTopK(_ scores: [Double], k: Int, temperature: Double, rng: inout SplitMix64) -> [Int] {
    let perturbed = scores.map { $0 / temperature - log(-log(rng.nextOpenUnitDouble())) }
    return rankDescending(perturbed.enumerated().map { Scored(position: $0.offset, score: $0.element) })
        .prefix(k).map(\.position)
}
