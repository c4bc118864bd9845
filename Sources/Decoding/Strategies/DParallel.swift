import Kernels
import Modeling
import Recording

/// dParallel's decoding (arXiv 2509.26488; the dParallel-style `generate` in hao-ai-lab/d3LLM
/// `utils/utils_LLaDA/generate.py`, `get_transfer_index_entropy`), decoders.md §7 "dParallel".
///
/// Entropy-threshold semi-AR decoding without a cache: in the current block, commit the
/// lowest-entropy masked position unconditionally and every masked position with entropy ≤ θ.
public final class DParallel: ConfigurableDecoder {
    public struct Config: Sendable, Equatable {
        /// d3LLM eval scripts for dParallel: 32.
        public var blockLength = 32
        /// θ in nats: 0.5 for LLaDA (`llada_gsm8k_cot.sh`); Dream uses 0.45 (`dream_gsm8k_cot.sh`).
        public var threshold = 0.5
        /// Gumbel temperature. Eval scripts: 0.
        public var temperature = 0.0
        public init() {}
    }

    public static let decoderID = "dparallel"
    public static let summary = "dParallel: entropy-threshold semi-autoregressive decoding, no cache (arXiv 2509.26488)"
    public static var defaultConfig: Config { Config() }
    public static var parameterTable: [Parameter<Config>] {[
        .length("block_length", \.blockLength, in: 1...100_000, when: .nextBlock, "block size", source: "d3LLM eval_scripts/llada_gsm8k_cot.sh"),
        .number("threshold", \.threshold, in: 0...100, step: 0.1, "entropy θ in nats (commit when H ≤ θ)",
                source: "d3LLM eval_scripts/llada_gsm8k_cot.sh (Dream: 0.45)"),
        .number("temperature", \.temperature, in: 0...100, step: 0.1, "Gumbel temperature (0 = greedy)", source: "d3LLM eval scripts"),
    ]}

    public var config: Config
    private var cursor = BlockCursor(answer: 0..<0)

    public init(config: Config = Config()) { self.config = config }

    public func start(canvas: Canvas, descriptor: ModelDescriptor) throws(DecoderError) {
        try BlockLayout.requireDivisible(answerLength: canvas.answerRange.count, blockLength: config.blockLength)
        cursor = BlockCursor(answer: canvas.answerRange)
    }

    public func step(canvas: Canvas, predictor: any MaskPredictor, rng: inout SplitMix64) throws -> [Event]? {
        guard !cursor.isFinished else { return nil }
        var events: [Event] = []
        if !cursor.isOpen { events.append(cursor.open(length: config.blockLength)) }
        let span = cursor.span
        let candidates = maskedPositions(canvas, in: span)
        let (logits, forward) = try forwardSlice(predictor, tokens: canvas.tokens, slice: 0..<canvas.count, cache: .none,
                                                 mode: .full, logitPositions: candidates)
        events += [forward, logits.predictions(candidates)]
        let predictions = predictCandidates(candidates, logits: logits, style: .llada(temperature: config.temperature),
                                            withEntropy: true, rng: &rng)
        let commits = entropyRule(predictions.byNegativeEntropy, threshold: config.threshold).map {
            predictions[$0.0.position].commit($0.1)
        }
        events.append(.commit(commits))
        if commits.count == candidates.count {
            events.append(cursor.close())
        }
        return events
    }
}
