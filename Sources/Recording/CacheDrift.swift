/// Cache drift (docs/analysis.md): how many answer positions end with a different token when the
/// same decode runs with its KV cache (`cached`) and without (`uncached`), same prompt and seed.
/// Positions one canvas has and the other lacks count as different, so two answers of different
/// lengths never report less drift than they have. A still-masked position holds the mask id, so
/// masked against written counts too.
public func cacheDrift(cached: Canvas, uncached: Canvas) -> Int {
    let a = cached.cells[cached.answerRange].map(\.token), b = uncached.cells[uncached.answerRange].map(\.token)
    return zip(a, b).filter { $0 != $1 }.count + abs(a.count - b.count)
}
