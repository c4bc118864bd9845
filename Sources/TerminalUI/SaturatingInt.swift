/// Total conversions from `Double` for layout arithmetic: a recorded number can be anything
/// (NaN, ±∞, 1e300), and `Int(_:)` traps on those. Readers validate numbers, but rendering must
/// not depend on it.
extension Int {
    /// `value` rounded toward zero and clamped to `bounds`; NaN becomes the lower bound.
    init(clamping value: Double, to bounds: ClosedRange<Int>) {
        guard !value.isNaN else { self = bounds.lowerBound; return }
        if value <= Double(bounds.lowerBound) { self = bounds.lowerBound; return }
        if value >= Double(bounds.upperBound) { self = bounds.upperBound; return }
        self = Int(value)
    }
}
