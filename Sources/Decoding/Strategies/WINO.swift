import Kernels
import Modeling
import Recording

/// WINO, Wide-In Narrow-Out (Hong et al., arXiv 2507.18578; Feng-Hong/WINO-DLLM
/// `LLaDA/decoding.py decoding_wino`), decoders.md §5.1–§5.4 and §5.7.
///
/// Each step drafts every masked position of the block with confidence > τ1 (capped; at least
/// one), and in the same forward pass verifies the tokens drafted in earlier steps through a
/// *shadow* copy of the block appended to the sequence: shadow slot j shares the position id of
/// real position s+j and sees everything except that real position. Drafted tokens whose shadow
/// probability is < τ2 are re-masked (at most `last_accept − 1`, and only when ≥ 2 were drafted).
public final class WINO: ConfigurableDecoder {
    public struct Config: Sendable, Equatable {
        /// `LLaDA/configs/*.yaml`: 128 (two blocks of a 256 answer).
        public var blockLength = 128
        /// τ1, the draft threshold (c > τ1). Signature and GSM8K config: 0.6.
        public var threshold = 0.6
        /// τ2, the verify threshold (re-mask when shadow prob < τ2). Every config: 0.9.
        public var thresholdBack = 0.9
        /// Gumbel temperature. Configs: 0.
        public var temperature = 0.0
        /// Draft cap `min(max(⌊fraction·masked⌋, min), max)`: hard-coded 0.7, 5, 20 in `decoding_wino`.
        public var draftCapFraction = 0.7
        public var draftCapMin = 5
        public var draftCapMax = 20
        /// `last_accept` at each block start: hard-coded 30 in `decoding_wino`.
        public var initialLastAccept = 30
        public init() {}
    }

    public static let decoderID = "wino"
    public static let summary = "WINO: wide-in drafting, narrow-out verification through a shadow block, revokable commits (arXiv 2507.18578)"
    public static var defaultConfig: Config { Config() }
    public static var parameterTable: [Parameter<Config>] {[
        .length("block_length", \.blockLength, in: 1...100_000, when: .nextBlock, "block size", source: "WINO LLaDA/configs/*.yaml"),
        .number("threshold", \.threshold, in: 0...1, step: 0.05, "τ1: draft when confidence > τ1", source: "WINO decoding.py signature; gsm8k.yaml"),
        .number("threshold_back", \.thresholdBack, in: 0...1, step: 0.05, "τ2: re-mask a draft whose shadow probability < τ2",
                source: "WINO LLaDA/configs/*.yaml"),
        .number("temperature", \.temperature, in: 0...100, step: 0.1, "Gumbel temperature (0 = greedy)", source: "WINO configs"),
        .number("draft_cap_fraction", \.draftCapFraction, in: 0...1, step: 0.05, "draft cap: this fraction of the block's masks",
                source: "WINO decoding.py (hard-coded 0.7)"),
        .integer("draft_cap_min", \.draftCapMin, in: 1...100_000, "draft cap lower bound", source: "WINO decoding.py (hard-coded 5)"),
        .integer("draft_cap_max", \.draftCapMax, in: 1...100_000, "draft cap upper bound", source: "WINO decoding.py (hard-coded 20)"),
        .integer("initial_last_accept", \.initialLastAccept, in: 1...100_000, when: .nextBlock, "last_accept at each block start",
                 source: "WINO decoding.py (hard-coded 30)"),
    ]}

    public var config: Config
    private var cursor = BlockCursor(answer: 0..<0)
    /// Block positions holding a draft that the shadow verifies from the next step on.
    private var decided: Set<Int> = []
    private var lastAccept = 30

    public init(config: Config = Config()) { self.config = config }

    public func start(canvas: Canvas, descriptor: ModelDescriptor) throws(DecoderError) {
        try BlockLayout.requireDivisible(answerLength: canvas.answerRange.count, blockLength: config.blockLength)
        cursor = BlockCursor(answer: canvas.answerRange)
        decided = []
    }

    public func step(canvas: Canvas, predictor: any MaskPredictor, rng: inout SplitMix64) throws -> [Event]? {
        guard !cursor.isFinished else { return nil }
        var events: [Event] = []
        if !cursor.isOpen {
            events.append(cursor.open(length: config.blockLength))
            decided = []
            lastAccept = config.initialLastAccept
        }
        let span = cursor.span
        let masked = maskedPositions(canvas, in: span)
        let cap = min(max(Int((config.draftCapFraction * Double(masked.count)).rounded(.down)), config.draftCapMin), config.draftCapMax)

        // §5.3: real part [0, L) at positions 0..<L, then the shadow block at positions s..<e.
        let length = canvas.count
        let shadowStart = length
        let tokens = canvas.tokens + Array(repeating: canvas.maskTokenID, count: span.count)
        let positions = Array(0..<length) + Array(span)
        var mask = AttentionMask(queries: tokens.count, keys: tokens.count, allowing: false)
        for q in 0..<length { for k in 0..<length { mask.set(q, k, true) } }
        for j in 0..<span.count {
            for k in 0..<tokens.count where k != span.lowerBound + j { mask.set(shadowStart + j, k, true) }
        }
        let rows = Array(span) + (0..<span.count).map { shadowStart + $0 }
        let result = try predictor.forward(ForwardRequest(tokens: tokens, positions: positions, attentionMask: mask,
                                                          cache: .none, logitRows: rows))
        try checkRows(result, expected: rows.count, vocabulary: predictor.descriptor.vocabularySize)
        events.append(.forward(Forward(mode: .full, window: PositionRange(0, length), milliseconds: result.seconds * 1000)))
        // Rows by canvas index: the block's real positions, then shadow slot j at index L + j.
        let logits = Logits(result: result, positions: rows)
        let vocabulary = logits.vocabularySize
        events.append(logits.predictions(masked))

        // Drafts: x0 by Gumbel-max, q = softmax(ℓ)[x0] in float64, c > τ1, capped, ≥ 1.
        let predictions = predictCandidates(masked, logits: logits, style: .llada(temperature: config.temperature), rng: &rng)
        let drafts = predictions.byConfidence
        var selected = rankDescending(drafts.filter { $0.score > config.threshold })
        var reason = CommitReason.threshold
        if selected.count > cap { selected = Array(selected.prefix(cap)) }
        if selected.isEmpty, let best = rankDescending(drafts).first {
            selected = [best]
            reason = .forcedTop1
        }

        // Verification of earlier drafts: the shadow's probability of the token now at s+j.
        let verified = decided.sorted().map { p -> Scored in
            let slot = shadowStart + (p - span.lowerBound)
            let score = logits.withRow(slot) { lladaConfidence($0, count: vocabulary, token: canvas.cells[p].token) }
            return Scored(position: p, score: score)
        }
        events.append(.verify(verified.map { Verification(position: $0.position, score: $0.score, passed: $0.score >= config.thresholdBack) }))
        var revoked: [Scored] = []
        if selected.count > 1 {
            revoked = verified.filter { $0.score < config.thresholdBack }
            if revoked.count >= lastAccept {
                revoked = Array(verified.sorted { $0.score != $1.score ? $0.score < $1.score : $0.position < $1.position }
                    .prefix(max(0, lastAccept - 1)))
            }
        }
        events.append(.draft(selected.map { predictions[$0.position].commit(reason) }))
        events.append(.remask(revoked.sorted { $0.position < $1.position }.map {
            Remask(position: $0.position, oldToken: canvas.cells[$0.position].token, score: $0.score)
        }))
        events.append(.gauge(Gauge(name: "net-drafted", value: Double(selected.count - revoked.count))))

        for s in selected { decided.insert(s.position) }
        for r in revoked { decided.remove(r.position) }
        lastAccept = selected.count
        if masked.count - selected.count + revoked.count == 0 {
            events.append(cursor.close())
        }
        return events
    }
}
