import Kernels
import Modeling
import Recording

/// Fast-dLLM (Wu et al. 2025, arXiv 2505.22618; NVlabs/Fast-dLLM `llada/generate.py` and
/// `dream/model/generation_utils_block.py`), decoders.md §3.1–§3.6.
///
/// Semi-AR blocks decoded until empty. Each block starts with a full forward (which builds or
/// refreshes the KV cache), then forwards only what the cache mode needs. Every step commits the
/// block's masked positions allowed by the threshold rule (`c ≥ τ`, plus the top-1) or the
/// factor rule. On the Dream family the block-start forward commits only the block's first
/// position (§3.4 "Dream variant"). A block is re-checked for masks before any forward (FD-new).
public final class FastDLLM: ConfigurableDecoder {
    public enum Rule: String, CaseIterable, Sendable { case threshold, factor }

    public struct Config: Sendable, Equatable {
        /// Fast-dLLM eval scripts (`llada/eval_gsm8k.sh`) and paper §4.1: 32.
        public var blockLength = 32
        /// The paper's default is the threshold rule; the factor rule came with FD-new.
        public var rule = Rule.threshold
        /// τ: eval scripts and paper §4.1: 0.9.
        public var threshold = 0.9
        /// f: `get_transfer_index_dynamic` default and derived eval scripts: 1.0.
        public var factor = 1.0
        /// Paper default: PrefixCache; DualCache gives the largest speed-ups.
        public var cache = BlockCacheMode.prefix
        /// Gumbel temperature (LLaDA family) or Dream's sampling temperature. Eval scripts: 0.
        public var temperature = 0.0
        public init() {}
    }

    public static let decoderID = "fast-dllm"
    public static let summary = "Fast-dLLM: block-wise KV cache (prefix or dual) and confidence-aware parallel commits (arXiv 2505.22618)"
    public static var defaultConfig: Config { Config() }
    public static var parameterTable: [Parameter<Config>] {[
        .length("block_length", \.blockLength, in: 1...100_000, when: .nextBlock, "semi-autoregressive block size",
                 source: "Fast-dLLM llada/eval_gsm8k.sh; paper §4.1"),
        .choice("rule", \.rule, "threshold: c ≥ τ plus the top-1; factor: longest prefix with (n+1)(1−c_n) < f",
                source: "Fast-dLLM generate.py get_transfer_index / get_transfer_index_dynamic"),
        .number("threshold", \.threshold, in: 0...1, step: 0.05, "τ of the threshold rule", source: "Fast-dLLM eval scripts; paper §4.1"),
        .number("factor", \.factor, in: 0...100, step: 0.1, "f of the factor rule", source: "Fast-dLLM generate.py (FD-new)"),
        .choice("cache", \.cache, "KV cache: none, prefix (PrefixCache) or dual (DualCache); a switch rebuilds at the next forward", source: "Fast-dLLM paper §3.2, eval scripts"),
        .number("temperature", \.temperature, in: 0...100, step: 0.1, "sampling temperature (0 = greedy)", source: "Fast-dLLM eval scripts"),
    ]}

    public var config: Config
    /// R² (decoders.md §6.3) runs its extra rules after the base commit, on the same logits.
    var afterBaseCommit: ((_ logits: Logits, _ canvas: Canvas, _ span: Range<Int>, _ candidates: [Int],
                           _ predictions: CandidatePredictions, _ base: [Commit], _ rng: inout SplitMix64) -> [Event])?

    private var cursor = BlockCursor(answer: 0..<0)
    private var family = ModelDescriptor.Family.llada
    /// The mode the engine's cache was last built or used for (`none` after an uncached forward).
    private var cacheBuiltFor = BlockCacheMode.none

    public init(config: Config = Config()) { self.config = config }

    public func start(canvas: Canvas, descriptor: ModelDescriptor) throws(DecoderError) {
        try BlockLayout.requireDivisible(answerLength: canvas.answerRange.count, blockLength: config.blockLength)
        cursor = BlockCursor(answer: canvas.answerRange)
        family = descriptor.family
        cacheBuiltFor = .none
    }

    public func step(canvas: Canvas, predictor: any MaskPredictor, rng: inout SplitMix64) throws -> [Event]? {
        guard !cursor.isFinished else { return nil }
        var events: [Event] = []
        let atBlockStart = !cursor.isOpen
        if atBlockStart { events.append(cursor.open(length: config.blockLength)) }
        let span = cursor.span
        let candidates = maskedPositions(canvas, in: span)
        // A live cache switch (prefix → dual, none → prefix, ...) rebuilds what the new mode needs now.
        let rebuild = !atBlockStart && config.cache != .none && config.cache != cacheBuiltFor
        let (logits, forwardEvents) = try blockCachedForward(predictor, canvas: canvas, span: span, mode: config.cache,
                                                             atBlockStart: atBlockStart || rebuild, firstBlock: cursor.index == 0,
                                                             logitPositions: candidates,
                                                             refreshReason: rebuild ? "cache-mode" : nil)
        cacheBuiltFor = config.cache
        events += forwardEvents
        events.append(logits.predictions(candidates))

        // Candidate token and confidence per masked position: LLaDA style (§1.2) or Dream style (§1.4).
        let predictions = predictCandidates(candidates, logits: logits, style: .of(family, temperature: config.temperature),
                                            rng: &rng)
        var commits: [Commit]
        if family == .dream && atBlockStart {
            commits = candidates.first == span.lowerBound ? [predictions[span.lowerBound].commit(.blockStartFirstToken)] : []
        } else {
            let chosen = config.rule == .threshold ? thresholdRule(predictions.byConfidence, threshold: config.threshold)
                                                   : factorRule(predictions.byConfidence, factor: config.factor)
            commits = chosen.map { predictions[$0.0.position].commit($0.1) }
        }
        events.append(.commit(commits))
        var committed = commits.count
        if let afterBaseCommit {
            let extra = afterBaseCommit(logits, canvas, span, candidates, predictions, commits, &rng)
            events += extra
            committed += extra.reduce(0) { if case .commit(let c) = $1 { $0 + c.count } else { $0 } }
        }
        if committed >= candidates.count {
            events.append(cursor.close())
        }
        return events
    }
}
