import Kernels
import Modeling
import Recording

/// Prophet early-commit decoding (arXiv 2508.19982; [3rd] the `pixeli99/Prophet` copy and a
/// paper note), decoders.md §7 "Prophet".
///
/// Vanilla LLaDA decoding, and after every forward the top-1 minus top-2 **logit** gap averaged
/// over an answer region, `ḡ`, is compared with a threshold that falls with progress `t/T`
/// (7.5 before 0.33, 5.0 before 0.67, then 2.5; the code's `t/T`, not the note's `(T−t)/T`).
/// When `ḡ` reaches it, every remaining mask is filled with its argmax at once and decoding stops.
public final class Prophet: ConfigurableDecoder {
    public struct Config: Sendable, Equatable {
        /// The LLaDA base: 256-step-style schedule with block 32, low confidence (§7).
        public var base = LLaDA.Config()
        /// First answer position of the region, relative to the answer start (caller-supplied in the code).
        public var answerStart = 0
        /// Region length: the code uses 5 positions.
        public var regionLength = 5
        /// Gap thresholds for the three progress phases (logit units), from the code.
        public var thresholdEarly = 7.5
        public var thresholdMiddle = 5.0
        public var thresholdLate = 2.5
        public init() {}
    }

    public static let decoderID = "prophet"
    public static let summary = "Prophet: LLaDA decoding that commits everything once the answer-region logit gap is large (arXiv 2508.19982)"
    public static var defaultConfig: Config { Config() }
    public static var parameterTable: [Parameter<Config>] {[
        .integer("steps", \.base.steps, in: 1...100_000, stepOnCanvas: { LLaDA.blockCount($0.base, $1) }, when: .nextBlock,
                 "total forward passes of the LLaDA base", source: "LLaDA generate.py"),
        .length("block_length", \.base.blockLength, in: 1...100_000, when: .nextBlock, "semi-AR block size", source: "Prophet setting (block 32)"),
        .number("temperature", \.base.temperature, in: 0...100, step: 0.1, "Gumbel temperature", source: "LLaDA generate.py"),
        .choice("remasking", \.base.remasking, "base remasking", source: "LLaDA generate.py"),
        .integer("answer_start", \.answerStart, in: 0...100_000, "answer region start, relative to the answer", source: "Prophet code (caller-supplied)"),
        .integer("region_length", \.regionLength, in: 1...100_000, "answer region length", source: "Prophet code (5)"),
        .number("threshold_early", \.thresholdEarly, in: 0...1_000, step: 0.5, "gap threshold while progress < 0.33", source: "Prophet code"),
        .number("threshold_middle", \.thresholdMiddle, in: 0...1_000, step: 0.5, "gap threshold while progress < 0.67", source: "Prophet code"),
        .number("threshold_late", \.thresholdLate, in: 0...1_000, step: 0.5, "gap threshold afterwards", source: "Prophet code"),
    ]}

    public var config: Config { didSet { base.config = config.base } }
    private let base: LLaDA

    public init(config: Config = Config()) {
        self.config = config
        base = LLaDA(config: config.base)
        base.wantsWholeAnswerLogits = true
        base.interceptor = { [unowned self] logits, canvas, stepIndex in self.earlyCommit(logits, canvas, stepIndex) }
    }

    public func start(canvas: Canvas, descriptor: ModelDescriptor) throws(DecoderError) {
        try base.start(canvas: canvas, descriptor: descriptor)
    }

    public func liveProblem(_ updated: Config, key: String, canvas: Canvas) -> String? {
        base.liveProblem(updated.base, key: key, canvas: canvas)
    }

    public func step(canvas: Canvas, predictor: any MaskPredictor, rng: inout SplitMix64) throws -> [Event]? {
        try base.step(canvas: canvas, predictor: predictor, rng: &rng)
    }

    /// The gauge of this step, plus the force-fill when `ḡ` reaches the threshold.
    private func earlyCommit(_ logits: Logits, _ canvas: Canvas, _ stepIndex: Int) -> (events: [Event], stop: Bool) {
        let answer = canvas.answerRange
        let lower = min(answer.lowerBound + config.answerStart, answer.upperBound - 1)
        let region = lower..<min(lower + config.regionLength, answer.upperBound)
        let vocabulary = logits.vocabularySize
        let gap = region.reduce(0.0) { sum, p in sum + logits.withRow(p) { logitGap($0, count: vocabulary) } } / Double(region.count)
        // The reference increments `global_step` before `should_early_exit`, so the first step has
        // progress 1/T (decoders.md §7).
        let progress = Double(stepIndex + 1) / Double(config.base.steps)
        let threshold = progress < 0.33 ? config.thresholdEarly : progress < 0.67 ? config.thresholdMiddle : config.thresholdLate
        let gauge = Event.gauge(Gauge(name: "answer-gap", value: gap, threshold: threshold, positions: Array(region)))
        guard gap >= threshold else { return ([gauge], false) }
        let fills = canvas.maskedPositions.map { p in
            logits.withRow(p) { row -> Commit in
                let top = topK(row, count: vocabulary, k: 1)[0].index
                return Commit(position: p, token: top, confidence: lladaConfidence(row, count: vocabulary, token: top), reason: .earlyCommit)
            }
        }
        return ([gauge, .forceFill(fills)], true)
    }
}
