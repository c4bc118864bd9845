import Kernels
import Modeling
import Recording

/// R²-dLLM (arXiv 2604.18995; GATECH-EIC/R2-dLLM `llada/generate.py generate_with_dual_cache`,
/// `dream/model/generation_utils_block.py`), decoders.md §6.1–§6.5.
///
/// Fast-dLLM DualCache + threshold decoding, and after every forward, on that forward's logits
/// and in this order: the base commit; the confidence-cluster window sweep (a window of `w`
/// whose still-masked positions average ≥ θs commits whole, judged on the *pre-commit*
/// confidences); the token-cluster rule (a run of adjacent masks sharing a top-1 commits it at
/// one position); temporal finalization (a top-1 stable for `n` forwards with confidence ≥ θt).
public final class R2DLLM: ConfigurableDecoder {
    public enum TokenCluster: String, CaseIterable, Sendable { case off, confidence, mid, random }
    public enum TemporalEval: String, CaseIterable, Sendable { case last, ave, max }

    public struct Config: Sendable, Equatable {
        /// The Fast-dLLM base: block 32, τ 0.9, dual cache (`llada/eval_gsm8k.sh`).
        public var base: FastDLLM.Config = {
            var base = FastDLLM.Config()
            base.cache = .dual
            return base
        }()
        /// w, the window length (`confidence_cluster_size`): eval scripts 3; 0 turns the spatial rules off.
        public var windowSize = 3
        /// θs, the window mean and token-cluster threshold (`spatial_threshold`): eval scripts 0.8.
        public var spatialThreshold = 0.8
        /// u, most already-unmasked tokens a window may hold (`confidence_cluster_unmasked`): 1.
        public var windowUnmasked = 1
        /// Which position of a duplicate run commits: eval scripts `confidence`.
        public var tokenCluster = TokenCluster.confidence
        /// Shortest duplicate run (Dream's `token_cluster_size`; LLaDA hard-codes 2).
        public var tokenClusterSize = 2
        /// n, forwards a top-1 must stay the same (`temporal_steps`): 3; 0 turns the rule off.
        public var temporalSteps = 3
        /// θt (`temporal_threshold`): 0.8.
        public var temporalThreshold = 0.8
        /// Streak aggregate: eval scripts `last` (the signature default is `ave`).
        public var temporalEval = TemporalEval.last
        public init() {}
    }

    private struct Streak { var token: Int; var count: Int; var sum: Double; var maximum: Double }

    public static let decoderID = "r2"
    public static let summary = "R²-dLLM: window-cluster, token-cluster and temporal-stable commits on Fast-dLLM DualCache (arXiv 2604.18995)"
    public static var defaultConfig: Config { Config() }
    public static var parameterTable: [Parameter<Config>] {[
        .length("block_length", \.base.blockLength, in: 1...100_000, when: .nextBlock, "block size", source: "R2-dLLM llada/eval_gsm8k.sh"),
        .number("threshold", \.base.threshold, in: 0...1, step: 0.05, "base Fast-dLLM threshold τ", source: "R2-dLLM llada/eval_gsm8k.sh"),
        .choice("cache", \.base.cache, "KV cache of the Fast-dLLM base (a switch rebuilds at the next forward)", source: "R2-dLLM eval scripts (dual_cache=True)"),
        .number("temperature", \.base.temperature, in: 0...100, step: 0.1, "sampling temperature", source: "R2-dLLM harness (forced 0)"),
        .integer("confidence_cluster_size", \.windowSize, in: 0...1_000, "w: window length (0 = spatial rules off)",
                 source: "R2-dLLM eval scripts"),
        .number("spatial_threshold", \.spatialThreshold, in: 0...1, step: 0.05, "θs: window mean ≥ θs; token-cluster max > θs",
                source: "R2-dLLM eval scripts"),
        .integer("confidence_cluster_unmasked", \.windowUnmasked, in: 0...1_000, "u: most unmasked tokens in a window",
                 source: "R2-dLLM eval scripts"),
        .choice("token_cluster", \.tokenCluster, "position a duplicate run commits at", source: "R2-dLLM eval scripts"),
        .integer("token_cluster_size", \.tokenClusterSize, in: 2...1_000, "shortest duplicate run", source: "R2-dLLM dream eval scripts"),
        .integer("temporal_steps", \.temporalSteps, in: 0...1_000, "n: forwards a top-1 must stay the same (0 = off)",
                 source: "R2-dLLM eval scripts"),
        .number("temporal_threshold", \.temporalThreshold, in: 0...1, step: 0.05, "θt: confidence needed to finalize", source: "R2-dLLM eval scripts"),
        .choice("temporal_eval", \.temporalEval, "streak aggregate", source: "R2-dLLM eval scripts"),
    ]}

    public var config: Config { didSet { base.config = config.base } }
    private let base: FastDLLM
    private var streaks: [Int: Streak] = [:]

    public init(config: Config = Config()) {
        self.config = config
        base = FastDLLM(config: config.base)
        base.afterBaseCommit = { [unowned self] logits, canvas, span, candidates, scores, commits, rng in
            self.applyRules(logits, canvas, span, candidates, scores, commits, &rng)
        }
    }

    public func start(canvas: Canvas, descriptor: ModelDescriptor) throws(DecoderError) {
        try base.start(canvas: canvas, descriptor: descriptor)
        streaks = [:]
    }

    public func step(canvas: Canvas, predictor: any MaskPredictor, rng: inout SplitMix64) throws -> [Event]? {
        try base.step(canvas: canvas, predictor: predictor, rng: &rng)
    }

    // MARK: - The three rules (§6.3 steps 2–4)

    private func applyRules(_ logits: Logits, _ canvas: Canvas, _ span: Range<Int>, _ candidates: [Int],
                            _ predictions: CandidatePredictions, _ baseCommits: [Commit], _ rng: inout SplitMix64) -> [Event] {
        var open = Set(candidates)
        for c in baseCommits { open.remove(c.position) }
        var events: [Event] = []
        let vocabulary = logits.vocabularySize
        let w = config.windowSize

        if w > 0 && span.count >= w {
            var marked = Set<Int>()
            for a in span.lowerBound...(span.upperBound - w) {
                let inWindow = (a..<a + w).filter { open.contains($0) }
                guard !inWindow.isEmpty, w - inWindow.count <= config.windowUnmasked else { continue }
                let mean = inWindow.reduce(0) { $0 + predictions[$1].confidence } / Double(inWindow.count)
                if mean >= config.spatialThreshold { marked.formUnion(inWindow) }
            }
            let commits = marked.sorted().map { predictions[$0].commit(.windowCluster) }
            commits.forEach { open.remove($0.position) }
            if !commits.isEmpty { events.append(.commit(commits)) }
        }

        // Top-1 id and probability of this forward, no sampling.
        var top: [Int: (token: Int, probability: Double)] = [:]
        func topOne(_ p: Int) -> (token: Int, probability: Double) {
            if let known = top[p] { return known }
            let value = logits.withRow(p) { row -> (token: Int, probability: Double) in
                let token = gumbelArgmax(row, count: vocabulary, temperature: 0, rng: &rng)
                return (token, lladaConfidence(row, count: vocabulary, token: token))
            }
            top[p] = value
            return value
        }

        if config.tokenCluster != .off && w > 0 {
            var commits: [Commit] = []
            var run: [Int] = []
            func closeRun() {
                defer { run = [] }
                guard run.count >= config.tokenClusterSize,
                      run.map({ topOne($0).probability }).max()! > config.spatialThreshold else { return }
                let chosen: Int
                switch config.tokenCluster {
                case .confidence: chosen = rankDescending(run.map { Scored(position: $0, score: topOne($0).probability) })[0].position
                case .mid: chosen = run[run.count / 2]  // offset run_length // 2: a run of 2 commits its second (§6.3)
                default: chosen = run[Int(rng.next() % UInt64(run.count))]
                }
                commits.append(Commit(position: chosen, token: topOne(chosen).token, confidence: topOne(chosen).probability,
                                      reason: .tokenCluster))
            }
            for p in span {
                if open.contains(p), let last = run.last, last == p - 1, topOne(last).token == topOne(p).token {
                    run.append(p)
                } else {
                    closeRun()
                    if open.contains(p) { run = [p] }
                }
            }
            closeRun()
            commits.forEach { open.remove($0.position) }
            if !commits.isEmpty { events.append(.commit(commits)) }
        }

        if config.temporalSteps > 0 {
            var commits: [Commit] = []
            for p in candidates {
                guard open.contains(p) else { streaks[p] = nil; continue }
                let (token, probability) = topOne(p)
                var streak = streaks[p] ?? Streak(token: token, count: 0, sum: 0, maximum: 0)
                if streak.token == token && streak.count > 0 {
                    streak.count += 1
                    streak.sum += probability
                    streak.maximum = max(streak.maximum, probability)
                } else {
                    streak = Streak(token: token, count: 1, sum: probability, maximum: probability)
                }
                let aggregate = switch config.temporalEval {
                case .last: probability
                case .ave: streak.sum / Double(streak.count)
                case .max: streak.maximum
                }
                if streak.count >= config.temporalSteps && aggregate >= config.temporalThreshold {
                    commits.append(Commit(position: p, token: streak.token, confidence: aggregate, reason: .temporalStable))
                    streaks[p] = nil
                } else {
                    streaks[p] = streak
                }
            }
            if !commits.isEmpty { events.append(.commit(commits)) }
            let counts = Dictionary(grouping: candidates.filter { streaks[$0] != nil }) { streaks[$0]!.count }
            for (count, positions) in counts.sorted(by: { $0.key < $1.key }) {
                events.append(.gauge(Gauge(name: "temporal-streak", value: Double(count),
                                           threshold: Double(config.temporalSteps), positions: positions)))
            }
        }
        return events
    }
}
