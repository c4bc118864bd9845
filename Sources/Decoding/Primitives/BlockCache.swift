import Modeling
import Recording

/// Fast-dLLM's approximate block-wise KV cache (decoders.md §3.4 B and C; §1.7).
public enum BlockCacheMode: String, CaseIterable, Sendable {
    /// (A) every step forwards the whole sequence.
    case none
    /// (B) PrefixCache: the block-start full forward keeps K/V of `[0, s)`; later steps forward `x[s:]`.
    case prefix
    /// (C) DualCache: the block-start full forward keeps K/V of everything; later steps forward
    /// `x[s:e]`, whose fresh K/V overwrite the cache rows `[s, e)`.
    case dual
}

/// One forward pass of a block-cached decode of the block `span`. At the block start it is a full
/// forward that (re)builds the cache; afterwards it forwards only what the mode needs.
/// Returns the logits at `logitPositions` and the forward and cache events. `refreshReason` marks
/// a full forward that rebuilds the cache mid-block (a live cache-mode switch).
func blockCachedForward(_ predictor: any MaskPredictor, canvas: Canvas, span: Range<Int>, mode: BlockCacheMode,
                        atBlockStart: Bool, firstBlock: Bool, logitPositions: [Int],
                        refreshReason: String? = nil) throws -> (Logits, [Event]) {
    let whole = 0..<canvas.count
    if atBlockStart || mode == .none {
        let cache: CacheUse = mode == .none ? .none : .build
        let (logits, forward) = try forwardSlice(predictor, tokens: canvas.tokens, slice: whole, cache: cache,
                                                 mode: .full, logitPositions: logitPositions)
        var events = [forward]
        if mode != .none {
            events.append(firstBlock && refreshReason == nil
                          ? .cache(CacheChange(.build, range: PositionRange(whole)))
                          : .cache(CacheChange(.refresh, range: PositionRange(whole), reason: refreshReason ?? "block-start")))
        }
        if mode == .prefix {
            // The prefix cache keeps the prompt and the finished blocks only (§3.4 B step 3).
            predictor.truncateCache(to: span.lowerBound)
            events.append(.cache(CacheChange(.truncate, range: PositionRange(span.lowerBound, canvas.count))))
        }
        return (logits, events)
    }
    if mode == .prefix {
        let slice = span.lowerBound..<canvas.count
        let (logits, forward) = try forwardSlice(predictor, tokens: canvas.tokens, slice: slice,
                                                 cache: .prefix(length: span.lowerBound), mode: .prefixCached,
                                                 logitPositions: logitPositions)
        return (logits, [forward])
    }
    let (logits, forward) = try forwardSlice(predictor, tokens: canvas.tokens, slice: span, cache: .window(rows: span),
                                             mode: .dualCached, logitPositions: logitPositions)
    return (logits, [forward])
}
