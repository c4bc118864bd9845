import Kernels
import Modeling
import Recording

/// d3LLM's entropy-based multi-block decoding (arXiv 2601.07568; hao-ai-lab/d3LLM
/// `d3llm_llada_generate_util.py` `generate_multi_block[_kv_cache]`, `d3llm_dream_generate_util.py`),
/// decoders.md §4.2–§4.7 and §4.11.
///
/// Several blocks are open at once; any open masked position whose entropy is below θ commits.
/// Blocks follow the state machine of §4.3 (activated → fully activated → complete → stabilizing →
/// cached); the KV variant caches a prefix of blocks that finished `cache_delay_iter` iterations
/// ago and runs full refresh forwards while a block stabilizes and every `refresh_interval` NFE.
/// With `early_stop`, everything after the first end-of-text becomes end-of-text (§4.6).
public final class D3LLM: ConfigurableDecoder {
    public struct Config: Sendable, Equatable {
        /// `eval_scripts/llada_gsm8k_cot.sh`: 32.
        public var blockLength = 32
        /// θ in nats: LLaDA eval script and both chat demos 0.5 (Dream eval 0.4).
        public var threshold = 0.5
        /// Open the next block at this progress of the last one: harness default 0.1.
        public var blockAddThreshold = 0.1
        /// Fully activate a block at this progress of its predecessor: harness default 0.95.
        public var decodedTokenThreshold = 0.95
        /// The KV variant (`generate_multi_block_kv_cache`); the eval scripts' headline setting.
        public var kvCache = true
        /// Iterations a finished block waits before it is cached: LLaDA eval script 2.
        public var cacheDelayIter = 2
        /// Full refresh every this many NFE: LLaDA GSM8K eval 3 (chat demo: 10000 = never).
        public var refreshInterval = 3
        /// EOS early stop: eval scripts true.
        public var earlyStop = true
        /// Gumbel temperature for the candidate tokens (§1.2). Eval scripts: 0.
        public var temperature = 0.0
        public init() {}
    }

    private struct Block {
        var span: Range<Int>
        var maskCount: Int
        /// The reference's `is_complete`: **fully activated**, not done (§4.11).
        var full: Bool
        var completedAtNFE: Int?
        var cached = false
        var announcedComplete = false
        var progress: Double { 1 - Double(maskCount) / Double(max(1, span.count)) }
    }

    public static let decoderID = "d3llm"
    public static let summary = "d3LLM: entropy-threshold multi-block decoding with delayed KV caching and EOS early stop (arXiv 2601.07568)"
    public static var defaultConfig: Config { Config() }
    public static var parameterTable: [Parameter<Config>] {[
        .length("block_length", \.blockLength, in: 1...100_000, when: .restart, "block size (fixes the block layout)", source: "d3LLM eval_scripts/llada_gsm8k_cot.sh"),
        .number("threshold", \.threshold, in: 0...100, step: 0.1, "entropy θ in nats (commit when H ≤ θ; Dream: H < θ)",
                source: "d3LLM eval_scripts/llada_gsm8k_cot.sh, chat demos"),
        .number("block_add_threshold", \.blockAddThreshold, in: 0...1, step: 0.05, "open the next block at this progress of the last",
                source: "d3LLM utils/utils_LLaDA/eval_llada.py"),
        .number("decoded_token_threshold", \.decodedTokenThreshold, in: 0...1, step: 0.05, "fully activate a block at this predecessor progress",
                source: "d3LLM utils/utils_LLaDA/eval_llada.py"),
        .flag("kv_cache", \.kvCache, when: .restart, "cache finished blocks (generate_multi_block_kv_cache)", source: "d3LLM eval_scripts (KV variant)"),
        .integer("cache_delay_iter", \.cacheDelayIter, in: 0...100_000, "iterations a finished block stabilizes before caching",
                 source: "d3LLM eval_scripts/llada_gsm8k_cot.sh"),
        .integer("refresh_interval", \.refreshInterval, in: 1...100_000, "full refresh forward every this many NFE",
                 source: "d3LLM eval_scripts/llada_gsm8k_cot.sh"),
        .flag("early_stop", \.earlyStop, "fill everything after the first end-of-text with end-of-text",
              source: "d3LLM eval_scripts/llada_gsm8k_cot.sh"),
        .number("temperature", \.temperature, in: 0...100, step: 0.1, "Gumbel temperature (0 = greedy)", source: "d3LLM eval scripts"),
    ]}

    public var config: Config
    private var layout = BlockLayout(answer: 0..<0, blockLength: 1)
    private var family = ModelDescriptor.Family.llada
    private var endOfText = 0
    private var blocks: [Block] = []
    private var nfe = 0
    private var cacheLength = 0
    private var eosSeen = false

    public init(config: Config = Config()) { self.config = config }

    public func start(canvas: Canvas, descriptor: ModelDescriptor) throws(DecoderError) {
        try BlockLayout.requireDivisible(answerLength: canvas.answerRange.count, blockLength: config.blockLength)
        layout = BlockLayout(answer: canvas.answerRange, blockLength: config.blockLength)
        family = descriptor.family
        endOfText = descriptor.endOfTextID
        blocks = []
        nfe = 0
        cacheLength = 0
        eosSeen = false
    }

    public func step(canvas: Canvas, predictor: any MaskPredictor, rng: inout SplitMix64) throws -> [Event]? {
        let maskedAtStart = maskedPositions(canvas, in: canvas.answerRange)
        guard !maskedAtStart.isEmpty else { return nil }
        guard nfe < 10_000 else { return nil }  // the reference's safety limit (§4.4 step 9)
        nfe += 1
        var events: [Event] = []
        var masked = Set(maskedAtStart)
        if blocks.isEmpty { openBlock(full: true, &events) }
        // The reference writes the EOS fill into `x` before `logits = model(x)` (§4.6), so this
        // iteration's forward must see it. The Session applies events only after `step` returns, so
        // the decoder forwards on the canvas as its own pending fill leaves it: `tokens` is the
        // canvas with this step's `forceFill` applied, the same state `Canvas.apply` reaches.
        var tokens = canvas.tokens
        if config.earlyStop {
            for p in fillAfterFirstEOS(canvas, &masked, &events) { tokens[p] = endOfText }
        }
        if masked.isEmpty {  // the reference counts this iteration's NFE without a forward (§4.6)
            events.append(.gauge(Gauge(name: "reference-nfe", value: Double(nfe))))
            return events
        }
        updateBlocks(&events)

        let activeEnd = blocks.last { $0.full || $0.maskCount > 0 }?.span.upperBound ?? canvas.answerRange.upperBound
        let candidates = maskedAtStart.filter { $0 < activeEnd }
        let (logits, forwardEvents) = try forward(tokens, predictor, promptLength: canvas.promptLength, candidates: candidates)
        events += forwardEvents
        events.append(logits.predictions(candidates.filter { masked.contains($0) }))

        let commits = select(candidates, logits: logits, rng: &rng)
        let fresh = commits.filter { masked.contains($0.position) }
        events.append(.commit(fresh))
        let overwritten = commits.filter { !masked.contains($0.position) }
        if !overwritten.isEmpty { events.append(.forceFill(overwritten)) }  // re-predicted EOS fills (§4.6)
        for c in fresh { masked.remove(c.position) }
        for i in blocks.indices {
            blocks[i].maskCount = blocks[i].span.filter { masked.contains($0) }.count
            if blocks[i].maskCount == 0 && !blocks[i].announcedComplete {
                blocks[i].announcedComplete = true
                events.append(layout.event(.complete, i))
            }
        }
        events.append(.gauge(Gauge(name: "reference-nfe", value: Double(nfe))))
        return events
    }

    // MARK: - Block state machine (§4.3)

    private func openBlock(full: Bool, _ events: inout [Event]) {
        let index = blocks.count
        let span = layout.span(index)
        blocks.append(Block(span: span, maskCount: span.count, full: full))
        events.append(layout.event(.open, index))
        if full { events.append(layout.event(.fullyActivated, index)) }
    }

    /// Promote to full, then add at most one block.
    private func updateBlocks(_ events: inout [Event]) {
        for i in blocks.indices where !blocks[i].full {
            if i == 0 || blocks[i - 1].progress >= config.decodedTokenThreshold {
                blocks[i].full = true
                events.append(layout.event(.fullyActivated, i))
            }
        }
        if let last = blocks.last, blocks.count < layout.count, !eosSeen,
           last.progress >= config.blockAddThreshold || last.maskCount == 0 {
            openBlock(full: last.progress >= config.decodedTokenThreshold, &events)
        }
    }

    /// §4.6: every position after the first end-of-text becomes end-of-text; later blocks complete.
    /// Returns the positions filled (masks and overwritten tokens), in canvas order.
    private func fillAfterFirstEOS(_ canvas: Canvas, _ masked: inout Set<Int>, _ events: inout [Event]) -> [Int] {
        guard let q = canvas.answerRange.first(where: { canvas.cells[$0].token == endOfText && !masked.contains($0) }) else { return [] }
        let fill = (q + 1..<canvas.answerRange.upperBound).filter { masked.contains($0) || canvas.cells[$0].token != endOfText }
        eosSeen = true
        guard !fill.isEmpty else { return [] }
        events.append(.forceFill(fill.map { Commit(position: $0, token: endOfText, confidence: 1, reason: .eosFill) }))
        for p in fill { masked.remove(p) }
        while blocks.count < layout.count { openBlock(full: true, &events) }
        for i in blocks.indices {
            blocks[i].maskCount = blocks[i].span.filter { masked.contains($0) }.count
            if blocks[i].maskCount == 0 && !blocks[i].announcedComplete {
                blocks[i].announcedComplete = true
                events.append(layout.event(.complete, i))
            }
        }
        return fill
    }

    // MARK: - Forward with delayed caching (§4.5)

    /// One forward of `tokens` (the whole canvas, this step's EOS fill applied), in the mode §4.5 picks.
    private func forward(_ tokens: [Int], _ predictor: any MaskPredictor, promptLength: Int,
                         candidates: [Int]) throws -> (Logits, [Event]) {
        let whole = 0..<tokens.count
        guard config.kvCache else {
            let (logits, event) = try forwardSlice(predictor, tokens: tokens, slice: whole, cache: .none,
                                                   mode: .full, logitPositions: candidates)
            return (logits, [event])
        }
        var events: [Event] = []
        var cacheEnd = cacheLength
        // The prompt is block 0, complete at NFE 0.
        var scanning = cacheLength >= promptLength || nfe >= config.cacheDelayIter
        if scanning && cacheLength < promptLength { cacheEnd = promptLength }
        for i in blocks.indices where scanning && blocks[i].span.upperBound > cacheLength {
            guard blocks[i].maskCount == 0 else { break }
            if blocks[i].completedAtNFE == nil {
                blocks[i].completedAtNFE = nfe
                if config.cacheDelayIter > 0 { events.append(layout.event(.stabilizing, i)) }
            }
            guard nfe - blocks[i].completedAtNFE! >= config.cacheDelayIter else { scanning = false; break }
            blocks[i].cached = true
            cacheEnd = blocks[i].span.upperBound
            events.append(layout.event(.cached, i))
        }
        let update = cacheEnd - cacheLength
        let stabilizing = blocks.contains { $0.maskCount == 0 && $0.completedAtNFE != nil && !$0.cached }
        let tail = cacheLength..<tokens.count
        if update > 0 {
            let (logits, event) = try forwardSlice(predictor, tokens: tokens, slice: tail, cache: .extend(length: cacheLength),
                                                   mode: .appendToCache, logitPositions: candidates)
            predictor.truncateCache(to: cacheEnd)
            events += [event, .cache(CacheChange(.append, range: PositionRange(cacheLength, cacheEnd)))]
            cacheLength = cacheEnd
            return (logits, events)
        }
        if cacheLength > 0 && !stabilizing && nfe % config.refreshInterval != 0 {
            let (logits, event) = try forwardSlice(predictor, tokens: tokens, slice: tail, cache: .prefix(length: cacheLength),
                                                   mode: .prefixCached, logitPositions: candidates)
            return (logits, events + [event])
        }
        if cacheLength > 0 {
            let (logits, event) = try forwardSlice(predictor, tokens: tokens, slice: whole, cache: .build,
                                                   mode: .fullRefresh, logitPositions: candidates)
            predictor.truncateCache(to: cacheLength)
            events += [event, .cache(CacheChange(.refresh, range: PositionRange(0, cacheLength),
                                                 reason: stabilizing ? "stabilizing" : "periodic"))]
            return (logits, events)
        }
        let (logits, event) = try forwardSlice(predictor, tokens: tokens, slice: whole, cache: .none,
                                               mode: .full, logitPositions: candidates)
        return (logits, events + [event])
    }

    // MARK: - Entropy selection (§4.4 steps 6–7, §4.7)

    private func select(_ candidates: [Int], logits: Logits, rng: inout SplitMix64) -> [Commit] {
        let predictions = predictCandidates(candidates, logits: logits, style: .llada(temperature: config.temperature),
                                            withEntropy: true, rng: &rng)
        let ranked = rankDescending(predictions.byNegativeEntropy)
        var commits = entropyRule(ranked, threshold: config.threshold, family: family).map { predictions[$0.0.position].commit($0.1) }
        // Forced progress in the first full block that still has masks: its lowest-entropy
        // position with the plain argmax token. Chosen among this iteration's candidates, which
        // were taken before the EOS fill (§4.6), so it may re-predict a position the fill just set.
        if let block = blocks.first(where: { $0.full && $0.maskCount > 0 }),
           !commits.contains(where: { block.span.contains($0.position) }),
           let forced = ranked.first(where: { block.span.contains($0.position) }) {
            var greedy = predictCandidates([forced.position], logits: logits, style: .llada(temperature: 0), rng: &rng)[forced.position]
            greedy.entropy = predictions[forced.position].entropy
            commits.append(greedy.commit(.forcedFirstFullBlock))
        }
        return commits
    }
}
