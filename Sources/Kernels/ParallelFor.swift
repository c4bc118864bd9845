import Foundation

/// The cores work is split over: element-wise ops, attention heads and the Q8_0 kernel's bands.
public enum WorkSplit {
    public static let coreCount = max(1, ProcessInfo.processInfo.activeProcessorCount)
}

/// Runs `body(part)` for every part in 0..<parts, concurrently when parts > 1 (Dispatch's
/// `concurrentPerform`, which uses at most one thread per core). The parts must write disjoint
/// memory; each part's arithmetic is the same as in a serial loop, so results do not depend on
/// the thread count.
public func parallelFor(_ parts: Int, _ body: (Int) -> Void) {
    if parts <= 1 {
        for part in 0..<parts { body(part) }
        return
    }
    withoutActuallyEscaping(body) { body in
        let shared = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: parts) { shared.value($0) }
    }
}

/// A value handed to concurrent parts that only read it or write disjoint parts of what it points to.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

/// Calls `body` on bands of rows 0..<rows, one band per core when the work (rows · rowWidth
/// elements) is large enough to pay for the dispatch, else once with every row. For row-wise ops
/// (RMSNorm, RoPE) whose rows do not interact, so any split gives the same bits.
public func forEachRowBand(_ rows: Int, rowWidth: Int, _ body: (Range<Int>) -> Void) {
    let parts = rows * rowWidth < 1 << 15 ? 1 : min(WorkSplit.coreCount, rows)
    parallelFor(parts) { part in body(part * rows / parts..<(part + 1) * rows / parts) }
}

/// `fastSwiGLU` over `count` elements split across the cores at multiples of its 16-lane step,
/// so every element takes the same (vector or tail) path as in one serial call.
public func parallelSwiGLU(gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
    let parts = count < 1 << 15 ? 1 : WorkSplit.coreCount
    let band = (count / parts + 15) / 16 * 16
    parallelFor(parts) { part in
        let start = min(count, part * band), end = part == parts - 1 ? count : min(count, start + band)
        fastSwiGLU(gate: gate + start, up: up + start, count: end - start)
    }
}
