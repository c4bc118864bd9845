import CParallel
import Foundation

/// The threads work is split over (the cores this process may run on): GEMM column bands,
/// attention heads, element-wise bands and the Q8_0 kernel's bands.
public enum WorkSplit {
    public static let coreCount = max(1, Int(dllm_parallel_threads()))
}

/// Runs `body(part)` for every part in 0..<parts on the engine's worker pool (`CParallel`: the
/// caller and one worker per further core; workers spin ~50 µs between jobs, then sleep). One
/// pool serves every split, and OpenBLAS runs serially inside the parts (`BLASRuntime`), because
/// two pools spinning on two cores slowed the embedded model's L = 512 pass from 44 to 51–60 ms.
/// A split inside a part runs serially. The parts must write disjoint memory; each part's
/// arithmetic is the same as in a serial loop, so results do not depend on the thread count.
public func parallelFor(_ parts: Int, _ body: (Int) -> Void) {
    if parts <= 1 {
        for part in 0..<parts { body(part) }
        return
    }
    withoutActuallyEscaping(body) { body in
        var job = body
        withUnsafeMutablePointer(to: &job) { pointer in
            dllm_parallel_run(parts, { context, part in
                guard let context else { return }   // never nil: the pointer below
                context.assumingMemoryBound(to: ((Int) -> Void).self).pointee(Int(part))
            }, pointer)
        }
    }
}

/// `(0..<count).map(transform)`, with the elements computed in contiguous runs over the cores
/// when `parallel` is true (the caller says whether the work pays for the split). `transform` must
/// only read shared state; each element is computed exactly as in the serial map.
public func parallelMap<T>(_ count: Int, parallel: Bool, _ transform: (Int) -> T) -> [T] {
    let parts = parallel ? min(count, WorkSplit.coreCount) : 1
    if parts <= 1 { return (0..<count).map(transform) }
    return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
        let base = buffer.baseAddress!
        parallelFor(parts) { part in
            for i in part * count / parts..<(part + 1) * count / parts { (base + i).initialize(to: transform(i)) }
        }
        initialized = count
    }
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
