/// LLaDA's `get_num_transfer_tokens` (decoders.md §2.3, the linear schedule of LLaDA Eq. (8)):
/// with `m` masks and `s` steps, `base = ⌊m/s⌋`, `r = m mod s`; step `i` transfers `base + 1`
/// when `i < r`, else `base`. The counts sum to `m`.
public func transferCounts(masked m: Int, steps s: Int) -> [Int] {
    guard s > 0 else { return [] }
    let base = m / s, remainder = m % s
    return (0..<s).map { $0 < remainder ? base + 1 : base }
}

/// Dream's time grid (decoders.md §2.5): `t_i = linspace(1, eps, steps + 1)`; step `i` goes from
/// `t = t_i` to `s = t_{i+1}`.
public struct DreamTimeGrid: Sendable, Equatable {
    public let steps: Int
    public let eps: Double

    public init(steps: Int, eps: Double) {
        self.steps = steps
        self.eps = eps
    }

    public func time(_ i: Int) -> Double { 1 + (eps - 1) * Double(i) / Double(steps) }

    /// `1 − s/t` at step `i`, and exactly 1 at the last step (`origin`'s unmask probability).
    public func unmaskFraction(step i: Int) -> Double {
        i >= steps - 1 ? 1 : 1 - time(i + 1) / time(i)
    }

    /// `k = ⌊M·(1 − s/t)⌋`, and `M` at the last step (the scored algorithms). With eps > 0 and
    /// `steps == M` this is 0 in the first steps (decoders.md §2.7).
    public func transferCount(masked m: Int, step i: Int) -> Int {
        i >= steps - 1 ? m : Int((Double(m) * unmaskFraction(step: i)).rounded(.down))
    }
}
