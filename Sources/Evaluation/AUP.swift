import Foundation

/// Accuracy Under Parallelism, d3LLM's summary of accuracy against tokens per forward
/// (decoders.md §4.8, which follows `AUP_leaderboard/aup_utils.py get_aup`).
public enum AUP {
    public struct Point: Sendable, Equatable {
        /// Tokens per forward, ρ > 0.
        public var tpf: Double
        /// Accuracy in percent, [0, 100].
        public var accuracy: Double
        public init(tpf: Double, accuracy: Double) { self.tpf = tpf; self.accuracy = accuracy }
    }

    /// α of the weight W(y) = min(exp(−α(1 − y/y_max)), 1).
    public static let alpha = 3.0
    /// Points more than this many percentage points below the slowest point's accuracy are dropped.
    public static let accuracyDropLimit = 5.0

    public static func weight(_ accuracy: Double, yMax: Double) -> Double {
        guard yMax > 0 else { return 1 }
        return min(exp(-alpha * (1 - accuracy / yMax)), 1)
    }

    /// The points that count: sorted by ρ ascending (ties keep their given order), then only those
    /// within 5 points of the accuracy at the smallest ρ.
    public static func countedPoints(_ points: [Point]) -> [Point] {
        let sorted = points.enumerated()
            .filter { $0.element.tpf > 0 && $0.element.tpf.isFinite }
            .sorted { $0.element.tpf != $1.element.tpf ? $0.element.tpf < $1.element.tpf : $0.offset < $1.offset }
            .map(\.element)
        guard let first = sorted.first else { return [] }
        return sorted.filter { $0.accuracy >= first.accuracy - accuracyDropLimit }
    }

    /// AUP = ρ₁·y₁ + ½ Σᵢ₌₂..ₘ (ρᵢ − ρᵢ₋₁)(yᵢ·W(yᵢ) + yᵢ₋₁·W(yᵢ₋₁)); the first rectangle is unweighted.
    /// `yMax` is the best accuracy of any method on the task. Zero points give 0.
    public static func score(_ points: [Point], yMax: Double) -> Double {
        let kept = countedPoints(points)
        guard let first = kept.first else { return 0 }
        var total = first.tpf * first.accuracy
        for i in kept.indices.dropFirst() {
            let a = kept[i - 1], b = kept[i]
            total += 0.5 * (b.tpf - a.tpf) * (b.accuracy * weight(b.accuracy, yMax: yMax) + a.accuracy * weight(a.accuracy, yMax: yMax))
        }
        return total
    }
}
