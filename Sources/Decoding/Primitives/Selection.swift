import Modeling
import Recording

/// A candidate position and its score (confidence, negative entropy, random draw...).
public struct Scored: Sendable, Equatable {
    public var position: Int
    public var score: Double
    public init(position: Int, score: Double) {
        self.position = position
        self.score = score
    }
}

/// Highest score first; equal scores go to the **lower position** first (decoders.md §1.6: PyTorch's
/// `topk` leaves tie order unspecified, this is our documented rule). NaN scores sort last.
public func rankDescending(_ candidates: [Scored]) -> [Scored] {
    candidates.sorted { a, b in
        if a.score.isNaN != b.score.isNaN { return !a.score.isNaN }
        return a.score != b.score ? a.score > b.score : a.position < b.position
    }
}

/// The `k` best candidates by `rankDescending` (LLaDA's top-`k_i`, decoders.md §2.4 step 7).
public func topPositions(_ candidates: [Scored], count k: Int) -> [Scored] {
    Array(rankDescending(candidates).prefix(max(0, k)))
}

/// Fast-dLLM's threshold rule `get_transfer_index` (decoders.md §3.3): commit the best candidate
/// unconditionally (reason `forced-top1` when it is below τ) and every candidate with `c ≥ τ`
/// (reason `threshold`).
public func thresholdRule(_ candidates: [Scored], threshold: Double) -> [(Scored, CommitReason)] {
    let ranked = rankDescending(candidates)
    guard let best = ranked.first else { return [] }
    var chosen = [(best, best.score >= threshold ? CommitReason.threshold : .forcedTop1)]
    for candidate in ranked.dropFirst() where candidate.score >= threshold { chosen.append((candidate, .threshold)) }
    return chosen
}

/// Fast-dLLM's factor rule `get_transfer_index_dynamic` (decoders.md §3.3, FD-new): with the
/// confidences sorted descending, `θ_1 = −1` and `θ_n = 1 − f/(n+1)`; commit the longest prefix
/// with `c_n ≥ θ_n`.
///
/// Reproduces the reference quirk (§3.6): the loop stops at the first failing 0-based index `i`
/// and then adds one when `i` is 0 or N−1, so when **only the last** candidate fails, all N are
/// committed, the failing one included.
public func factorRule(_ candidates: [Scored], factor: Double) -> [(Scored, CommitReason)] {
    let ranked = rankDescending(candidates)
    let n = ranked.count
    guard n > 0 else { return [] }
    var stop = 0
    for i in 0..<n {
        stop = i
        let threshold = i == 0 ? -1 : 1 - factor / Double(i + 2)
        if ranked[i].score < threshold { break }
    }
    if stop == 0 || stop == n - 1 { stop += 1 }
    return ranked.prefix(stop).map { ($0, .factor) }
}

/// The entropy rule of d3LLM and dParallel (decoders.md §4.4 step 6, §4.7, §7 "dParallel"): with
/// candidates scored by **negative** entropy (lowest entropy first), commit every candidate with
/// `H ≤ θ` (reason `entropy`) and, in the LLaDA form, the lowest-entropy candidate even when it
/// fails θ (reason `global-min-entropy`). The Dream form is strict (`H < θ`) and has no fallback.
public func entropyRule(_ candidates: [Scored], threshold: Double,
                        family: ModelDescriptor.Family = .llada) -> [(Scored, CommitReason)] {
    var chosen: [(Scored, CommitReason)] = []
    for (rank, candidate) in rankDescending(candidates).enumerated() {
        let entropy = -candidate.score
        if family == .dream {
            if entropy < threshold { chosen.append((candidate, .entropy)) }
        } else if entropy <= threshold {
            chosen.append((candidate, .entropy))
        } else if rank == 0 {
            chosen.append((candidate, .globalMinEntropy))
        }
    }
    return chosen
}
