import Kernels
import Modeling
import Recording

/// LLaDA's baseline sampler (Nie et al. 2025, arXiv 2502.09992; ML-GSAI/LLaDA `generate.py`),
/// decoders.md §2.1–§2.4 with the pitfalls of §2.7.
///
/// Semi-autoregressive blocks, each given `steps / num_blocks` forward passes of the whole
/// sequence (full attention, no cache, no early exit); at step `i` of a block the `k_i` (§2.3)
/// most confident masked positions of the block are committed (`low_confidence`), or `k_i` random
/// ones (`random`).
public final class LLaDA: ConfigurableDecoder {
    public enum Remasking: String, CaseIterable, Sendable { case lowConfidence = "low_confidence", random }

    public struct Config: Sendable, Equatable {
        /// Total forward passes; must be a multiple of gen_length / block_length. `generate()` signature: 128.
        public var steps = 128
        /// Semi-AR block size. `generate.py` `main()` and `chat.py` use 32 (the signature says 128).
        public var blockLength = 32
        /// Gumbel temperature (§1.3). Signature: 0.
        public var temperature = 0.0
        /// Unsupervised classifier-free guidance; > 0 runs a second, prompt-masked pass. Signature: 0.
        public var cfgScale = 0.0
        /// Signature: `low_confidence`.
        public var remasking = Remasking.lowConfidence
        /// End-of-text logit forced to −∞. Signature: false (EVAL.md: true for HumanEval).
        public var logitsEosInf = false
        /// The effective behaviour of the chained assignment (§2.7): at τ = 0 both end-of-text and
        /// end-of-turn leave the confidence softmax; at τ > 0 only end-of-turn. Signature: false.
        public var confidenceEosEotInf = false
        public init() {}
    }

    public static let decoderID = "llada"
    public static let summary = "LLaDA baseline: fixed per-block schedule, low-confidence or random remasking (arXiv 2502.09992)"
    public static var defaultConfig: Config { Config() }
    public static var parameterTable: [Parameter<Config>] {[
        .integer("steps", \.steps, in: 1...100_000, stepOnCanvas: LLaDA.blockCount, when: .nextBlock,
                 "total forward passes (a multiple of the number of blocks)",
                 source: "LLaDA generate.py signature"),
        .length("block_length", \.blockLength, in: 1...100_000, when: .nextBlock, "semi-autoregressive block size",
                 source: "LLaDA generate.py main(), chat.py"),
        .number("temperature", \.temperature, in: 0...100, step: 0.1, "Gumbel-max sampling temperature (0 = greedy)",
                source: "LLaDA generate.py signature"),
        .number("cfg_scale", \.cfgScale, in: 0...100, step: 0.5, "classifier-free guidance scale (0 = off; > 0 doubles the forwards)",
                source: "LLaDA generate.py signature"),
        .choice("remasking", \.remasking, "which masked positions a step commits", source: "LLaDA generate.py signature"),
        .flag("logits_eos_inf", \.logitsEosInf, "never predict end-of-text", source: "LLaDA generate.py; EVAL.md (HumanEval)"),
        .flag("confidence_eos_eot_inf", \.confidenceEosEotInf, "commit end-of-text/end-of-turn predictions last",
              source: "LLaDA generate.py; EVAL.md (GSM8K, MATH, MBPP, GPQA)"),
    ]}

    public var config: Config
    /// Prophet (decoders.md §7) wraps this decoder: it needs logits for the whole answer and the
    /// chance to replace a step's selection after the forward pass.
    var wantsWholeAnswerLogits = false
    var interceptor: ((Logits, Canvas, _ stepIndex: Int) -> (events: [Event], stop: Bool))?

    private var cursor = BlockCursor(answer: 0..<0)
    private var descriptor: ModelDescriptor?
    private var stepInBlock = 0
    private var schedule: [Int] = []
    private(set) var stepsTaken = 0

    public init(config: Config = Config()) { self.config = config }

    public func start(canvas: Canvas, descriptor: ModelDescriptor) throws(DecoderError) {
        try BlockLayout.requireDivisible(answerLength: canvas.answerRange.count, blockLength: config.blockLength)
        let blocks = canvas.answerRange.count / config.blockLength
        guard config.steps % blocks == 0 else {
            throw .incompatible("steps \(config.steps) is not a multiple of the number of blocks \(blocks) "
                                + "(gen length / block_length); valid steps: multiples of \(blocks)")
        }
        self.descriptor = descriptor
        cursor = BlockCursor(answer: canvas.answerRange)
        stepInBlock = 0
        schedule = []
        stepsTaken = 0
    }

    public func step(canvas: Canvas, predictor: any MaskPredictor, rng: inout SplitMix64) throws -> [Event]? {
        guard let descriptor else { return nil }
        var events: [Event] = []
        if schedule.isEmpty {
            // A block starts: its schedule comes from its own mask count (§2.3). Parameter changes
            // to block_length or steps take effect here.
            if cursor.isFinished { return nil }
            events.append(cursor.open(length: config.blockLength))
            // The budget left is shared by the blocks left, so a live change of steps or
            // block_length keeps the total at `steps` (without one this is steps / num_blocks).
            let blocksLeft = Self.blocksLeft(after: cursor.span.lowerBound, in: canvas.answerRange, blockLength: config.blockLength)
            schedule = transferCounts(masked: maskedPositions(canvas, in: cursor.span).count,
                                      steps: max(1, (config.steps - stepsTaken) / blocksLeft))
        }
        let span = cursor.span
        let candidates = maskedPositions(canvas, in: span)
        let logitPositions = wantsWholeAnswerLogits ? Array(canvas.answerRange) : candidates
        let (logits, forwardEvents) = try forward(canvas, predictor, logitPositions: logitPositions)
        events += forwardEvents
        events.append(logits.predictions(candidates))
        stepsTaken += 1

        if let interceptor {
            let outcome = interceptor(logits, canvas, stepsTaken - 1)
            events += outcome.events
            if outcome.stop {
                cursor.finish()
                schedule = []
                return events
            }
        }

        let k = schedule[stepInBlock]
        events.append(.commit(select(candidates, k: k, logits: logits, descriptor: descriptor, rng: &rng)))
        stepInBlock += 1
        if stepInBlock == schedule.count {
            events.append(cursor.close())
            stepInBlock = 0
            schedule = []
        }
        return events
    }

    /// Blocks of `blockLength` on an answer of `answer` positions (the nudge step of `steps`).
    static func blockCount(_ config: Config, _ answer: Int) -> Int {
        max(1, (answer + config.blockLength - 1) / max(1, config.blockLength))
    }

    /// Blocks from `position` to the answer end, the block at `position` included.
    static func blocksLeft(after position: Int, in answer: Range<Int>, blockLength: Int) -> Int {
        max(1, (answer.upperBound - position + blockLength - 1) / max(1, blockLength))
    }

    /// steps must stay a multiple of the number of blocks (as `start` requires) and leave at least
    /// one step for every block still to open; both take effect when the next block opens.
    public func liveProblem(_ updated: Config, key: String, canvas: Canvas) -> String? {
        guard key == "steps" || key == "block_length" else { return nil }
        let blocks = Self.blockCount(updated, canvas.answerRange.count)
        if updated.steps % blocks != 0 {
            return "steps \(updated.steps) is not a multiple of the number of blocks \(blocks); valid steps: multiples of \(blocks)"
        }
        // Steps already taken plus those the open block will still take, then one per block left.
        let committed = stepsTaken + (schedule.isEmpty ? 0 : schedule.count - stepInBlock)
        let next = cursor.span.upperBound  // where the next block opens
        let later = next >= canvas.answerRange.upperBound ? 0
            : Self.blocksLeft(after: next, in: canvas.answerRange, blockLength: updated.blockLength)
        if updated.steps - committed < later {
            return "steps \(updated.steps) leaves \(max(0, updated.steps - committed)) for \(later) blocks still to decode "
                + "(\(committed) taken or scheduled); at least \(committed + later)"
        }
        return nil
    }

    // MARK: - Private

    /// One forward of the whole sequence, or two with classifier-free guidance (§2.4 b.2):
    /// `ℓ = ℓ_uncond + (cfg+1)·(ℓ_cond − ℓ_uncond)`, the unconditional pass seeing the prompt masked.
    private func forward(_ canvas: Canvas, _ predictor: any MaskPredictor, logitPositions: [Int]) throws -> (Logits, [Event]) {
        let whole = 0..<canvas.count
        let (conditional, event) = try forwardSlice(predictor, tokens: canvas.tokens, slice: whole, cache: .none,
                                                    mode: .full, logitPositions: logitPositions)
        guard config.cfgScale > 0 else { return (conditional, [event]) }
        var unconditionalTokens = canvas.tokens
        for p in 0..<canvas.promptLength { unconditionalTokens[p] = canvas.maskTokenID }
        let (unconditional, secondEvent) = try forwardSlice(predictor, tokens: unconditionalTokens, slice: whole, cache: .none,
                                                            mode: .full, logitPositions: logitPositions)
        var guided = conditional.result
        let scale = Float(config.cfgScale + 1)
        for i in guided.logits.indices {
            let u = unconditional.result.logits[i]
            guided.logits[i] = u + scale * (guided.logits[i] - u)
        }
        return (Logits(result: guided, positions: logitPositions), [event, secondEvent])
    }

    /// §2.4 steps 3–7: candidate tokens (Gumbel-max), confidences, top-`k` by confidence.
    private func select(_ candidates: [Int], k: Int, logits: Logits, descriptor: ModelDescriptor,
                        rng: inout SplitMix64) -> [Commit] {
        let eos = descriptor.endOfTextID, eot = descriptor.endOfTurnID
        let sampleExcluded = config.logitsEosInf ? [eos] : []
        var confidenceExcluded = sampleExcluded
        if config.confidenceEosEotInf {
            if config.temperature == 0 { confidenceExcluded.append(eos) }
            if let eot { confidenceExcluded.append(eot) }
        }
        let predictions = predictCandidates(candidates, logits: logits,
                                            style: .llada(temperature: config.temperature, sampleExcluded: sampleExcluded,
                                                          confidenceExcluded: confidenceExcluded),
                                            rng: &rng)
        let random = config.remasking == .random
        let scored = random ? candidates.map { Scored(position: $0, score: rng.nextUnitDouble()) } : predictions.byConfidence
        return topPositions(scored, count: k).map { predictions[$0.position].commit(random ? .random : .scheduleTopK) }
    }
}
