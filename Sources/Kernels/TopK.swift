/// One entry of a top-k selection.
public struct RankedIndex: Equatable, Sendable {
    public let index: Int
    public let value: Float
    public init(index: Int, value: Float) { self.index = index; self.value = value }
}

/// The `k` largest values of a row, largest first. Ties go to the lower index (decoders.md §1.6:
/// PyTorch's `topk` leaves tie order unspecified; we document ours). NaNs are never selected.
/// Cost O(n·k) with a small sorted buffer, which beats a full sort for the k ≤ 16 the UI uses.
public func topK(_ row: UnsafePointer<Float>, count: Int, k: Int) -> [RankedIndex] {
    let k = min(k, count)
    guard k > 0 else { return [] }
    var best: [RankedIndex] = []
    best.reserveCapacity(k + 1)
    for i in 0..<count {
        let v = row[i]
        if v.isNaN { continue }
        if best.count == k, v <= best[k - 1].value { continue }  // equal value: lower index already kept
        var slot = best.count
        while slot > 0, best[slot - 1].value < v { slot -= 1 }
        best.insert(RankedIndex(index: i, value: v), at: slot)
        if best.count > k { best.removeLast() }
    }
    return best
}

/// Reference top-k: a full stable sort by (value descending, index ascending).
public func topKReference(_ values: [Float], k: Int) -> [RankedIndex] {
    let ranked = values.enumerated()
        .filter { !$0.element.isNaN }
        .sorted { $0.element != $1.element ? $0.element > $1.element : $0.offset < $1.offset }
    return ranked.prefix(k).map { RankedIndex(index: $0.offset, value: $0.element) }
}
