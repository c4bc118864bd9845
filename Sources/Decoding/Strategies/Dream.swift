import Kernels
import Modeling
import Recording

/// Dream's `diffusion_generate` samplers (Ye et al. 2025, arXiv 2508.15487; DreamLM/Dream, copy in
/// NVlabs/Fast-dLLM `dream/model/generation_utils.py`), decoders.md §2.5 and §2.7.
///
/// No blocks: the whole answer is one block. Step `i` of the time grid `linspace(1, eps, steps+1)`
/// forwards the whole sequence (the engine applies Dream's logit shift) and either unmasks each
/// position with probability `1 − s/t` (`origin`) or commits the `⌊M(1 − s/t)⌋` best positions by
/// score (`maskgit_plus`, `topk_margin`, `entropy`), every remaining one at the last step. The
/// first steps may commit nothing; the decode stops early once no mask is left.
public final class Dream: ConfigurableDecoder {
    public enum Algorithm: String, CaseIterable, Sendable {
        case origin, maskgitPlus = "maskgit_plus", topkMargin = "topk_margin", entropy
    }

    public struct Config: Sendable, Equatable {
        /// Diffusion steps; 0 means the answer length (`eval_instruct/eval.sh`: steps = max_new_tokens).
        public var steps = 0
        /// `eval_instruct/eval.sh`: entropy.
        public var algorithm = Algorithm.entropy
        /// `eval_instruct/eval.sh`: 0.1 (README example 0.2).
        public var temperature = 0.1
        /// `eval_instruct/eval.sh`: 0.9 (README 0.95).
        public var topP = 0.9
        /// 0 = off (not set by the eval scripts).
        public var topK = 0
        /// Position-sampling temperature; 0 = top-k by score (README example: 0).
        public var algorithmTemperature = 0.0
        /// Time-grid end: `diffusion_generate` default 1e-3.
        public var eps = 1e-3
        public init() {}
    }

    public static let decoderID = "dream"
    public static let summary = "Dream samplers: origin, maskgit_plus, topk_margin, entropy over a linear time grid (arXiv 2508.15487)"
    public static var defaultConfig: Config { Config() }
    public static var parameterTable: [Parameter<Config>] {[
        .integer("steps", \.steps, in: 0...100_000, zeroMeansAnswerLength: true, "diffusion steps (0 = answer length)", source: "Dream eval_instruct/eval.sh"),
        .choice("alg", \.algorithm, "which positions a step unmasks", source: "Dream eval_instruct/eval.sh"),
        .number("temperature", \.temperature, in: 0...100, step: 0.1, "sampling temperature (0 = greedy)", source: "Dream eval_instruct/eval.sh"),
        .number("top_p", \.topP, in: 0...1, step: 0.05, "nucleus cut (1 = off)", source: "Dream eval_instruct/eval.sh"),
        .integer("top_k", \.topK, in: 0...1_000_000, "top-k cut (0 = off)", source: "Dream diffusion_generate"),
        .number("alg_temp", \.algorithmTemperature, in: 0...100, step: 0.1, "position-sampling temperature (0 = top-k by score)",
                source: "Dream README example"),
        .number("eps", \.eps, in: 0...0.999, step: 0.001, "time grid end", source: "Dream diffusion_generate"),
    ]}

    public var config: Config
    private var stepIndex = 0

    public init(config: Config = Config()) { self.config = config }

    public func start(canvas: Canvas, descriptor: ModelDescriptor) throws(DecoderError) {
        stepIndex = 0
    }

    /// The time grid may change length mid-decode, but not to a length already reached.
    public func liveProblem(_ updated: Config, key: String, canvas: Canvas) -> String? {
        guard key == "steps" else { return nil }
        let steps = updated.steps > 0 ? updated.steps : canvas.answerRange.count
        guard steps <= stepIndex else { return nil }
        return "steps \(updated.steps) is no more than the \(stepIndex) steps already taken; at least \(stepIndex + 1)"
    }

    public func step(canvas: Canvas, predictor: any MaskPredictor, rng: inout SplitMix64) throws -> [Event]? {
        let masked = canvas.maskedPositions
        let steps = config.steps > 0 ? config.steps : canvas.answerRange.count
        guard !masked.isEmpty, stepIndex < steps else { return nil }
        let grid = DreamTimeGrid(steps: steps, eps: config.eps)
        var events: [Event] = stepIndex == 0 ? [.block(BlockChange(.open, block: 0, span: PositionRange(canvas.answerRange)))] : []
        let (logits, forward) = try forwardSlice(predictor, tokens: canvas.tokens, slice: 0..<canvas.count, cache: .none,
                                                 mode: .full, logitPositions: masked)
        events += [forward, logits.predictions(masked)]
        let sampling = DreamSampling(temperature: config.temperature, topP: config.topP, topK: config.topK)
        let draws = masked.map { p in logits.withRow(p) { dreamDraw($0, count: logits.vocabularySize, sampling: sampling, rng: &rng) } }

        var chosen: [Int] = []  // indices into `masked`
        if config.algorithm == .origin {
            let fraction = grid.unmaskFraction(step: stepIndex)
            chosen = masked.indices.filter { _ in rng.nextUnitDouble() < fraction }
        } else {
            let scores = draws.map { draw -> Double in
                switch config.algorithm {
                case .maskgitPlus, .origin: draw.probability
                case .topkMargin: draw.margin
                case .entropy: draw.negativeEntropy
                }
            }
            let k = grid.transferCount(masked: masked.count, step: stepIndex)
            if config.algorithmTemperature > 0 {
                chosen = gumbelTopK(scores, k: k, temperature: config.algorithmTemperature, rng: &rng)
            } else {
                chosen = topPositions(scores.enumerated().map { Scored(position: $0.offset, score: $0.element) }, count: k).map(\.position)
            }
        }
        let reason: CommitReason = config.algorithm == .origin ? .random : .scheduleTopK
        events.append(.commit(chosen.sorted().map {
            Commit(position: masked[$0], token: draws[$0].token, confidence: draws[$0].probability, reason: reason)
        }))
        stepIndex += 1
        return events
    }
}
