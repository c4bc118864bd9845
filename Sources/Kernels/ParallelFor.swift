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
