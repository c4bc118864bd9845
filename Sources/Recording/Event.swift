/// What a decoder emits. Nothing else changes a `Canvas` (see `Canvas.apply`), so a recorded
/// list of events is the whole story of a decode: the UI, the recorder, the stats and replay all
/// read the same stream. Names follow decoders.md §9.
public enum Event: Sendable, Equatable {
    /// One forward pass ran (one NFE).
    case forward(Forward)
    /// Current top-k of masked positions: the "ghost" predictions.
    case predict([Prediction])
    /// Mask → token, permanent (except under WINO, see `draft`).
    case commit([Commit])
    /// WINO: a revokable commit.
    case draft([Commit])
    /// WINO: the shadow-block score of an already drafted token against τ2.
    case verify([Verification])
    /// Token → mask again.
    case remask([Remask])
    /// Bulk write with no per-token rule (Prophet early commit, d3LLM EOS fill); may overwrite.
    case forceFill([Commit])
    case block(BlockChange)
    case cache(CacheChange)
    /// A decoder parameter changed between steps (interactive steering).
    case parameterChange(ParameterChange)
    /// A named decoder-specific gauge against its threshold (Prophet's logit gap, R² streaks).
    case gauge(Gauge)
}

/// Which kind of forward pass ran (decoders.md §9).
public enum ForwardMode: String, Codable, Sendable, CaseIterable {
    case full
    case prefixCached = "prefix-cached"
    case dualCached = "dual-cached"
    case fullRefresh = "full+refresh"
    case appendToCache = "append-to-cache"
}

public struct Forward: Codable, Sendable, Equatable {
    public var mode: ForwardMode
    /// Canvas positions forwarded: [lowerBound, upperBound).
    public var window: PositionRange
    public var milliseconds: Double
    public init(mode: ForwardMode, window: PositionRange, milliseconds: Double) {
        self.mode = mode
        self.window = window
        self.milliseconds = milliseconds
    }
}

/// A half-open range of canvas positions, Codable as [lower, upper].
public struct PositionRange: Codable, Sendable, Equatable, Hashable {
    public var lower: Int
    public var upper: Int
    public init(_ lower: Int, _ upper: Int) { self.lower = lower; self.upper = upper }
    public init(_ range: Range<Int>) { self.init(range.lowerBound, range.upperBound) }
    public var range: Range<Int> { lower..<max(lower, upper) }
    public var count: Int { max(0, upper - lower) }

    public init(from decoder: any Swift.Decoder) throws {
        var container = try decoder.unkeyedContainer()
        let lower = try container.decode(Int.self), upper = try container.decode(Int.self)
        guard lower <= upper else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "range [\(lower), \(upper)) is reversed")
        }
        self.init(lower, upper)
    }

    public func encode(to encoder: any Swift.Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(lower)
        try container.encode(upper)
    }
}

public struct Prediction: Codable, Sendable, Equatable {
    public var position: Int
    /// Top-k token ids, most probable first, and their probabilities.
    public var tokens: [Int]
    public var probabilities: [Double]
    /// Entropy (nats) of the full distribution.
    public var entropy: Double
    public init(position: Int, tokens: [Int], probabilities: [Double], entropy: Double) {
        self.position = position
        self.tokens = tokens
        self.probabilities = probabilities
        self.entropy = entropy
    }
}

/// Why a token was committed (decoders.md §9, "Commit reasons").
public enum CommitReason: String, Codable, Sendable, CaseIterable {
    case scheduleTopK = "schedule-topk"
    case random
    case threshold
    case forcedTop1 = "forced-top1"
    case factor
    case entropy
    case globalMinEntropy = "global-min-entropy"
    case forcedFirstFullBlock = "forced-first-full-block"
    case windowCluster = "window-cluster"
    case tokenCluster = "token-cluster"
    case temporalStable = "temporal-stable"
    case blockStartFirstToken = "block-start-first-token"
    case earlyCommit = "early-commit"
    case eosFill = "eos-fill"
    case apdAccept = "apd-accept"
}

public struct Commit: Codable, Sendable, Equatable {
    public var position: Int
    public var token: Int
    public var confidence: Double
    public var entropy: Double?
    public var reason: CommitReason
    public init(position: Int, token: Int, confidence: Double, entropy: Double? = nil, reason: CommitReason) {
        self.position = position
        self.token = token
        self.confidence = confidence
        self.entropy = entropy
        self.reason = reason
    }
}

public struct Verification: Codable, Sendable, Equatable {
    public var position: Int
    public var score: Double
    public var passed: Bool
    public init(position: Int, score: Double, passed: Bool) {
        self.position = position
        self.score = score
        self.passed = passed
    }
}

public struct Remask: Codable, Sendable, Equatable {
    public var position: Int
    public var oldToken: Int
    public var score: Double
    public init(position: Int, oldToken: Int, score: Double) {
        self.position = position
        self.oldToken = oldToken
        self.score = score
    }
}

public struct BlockChange: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case open, fullyActivated = "fully-activated", complete, stabilizing, cached, advance
    }
    public var kind: Kind
    public var block: Int
    /// Canvas positions the block covers.
    public var span: PositionRange
    public init(_ kind: Kind, block: Int, span: PositionRange) {
        self.kind = kind
        self.block = block
        self.span = span
    }
}

public struct CacheChange: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable, CaseIterable { case build, refresh, append, truncate }
    public var kind: Kind
    /// Canvas positions whose K/V the cache now holds fresh (for `truncate`: [newLength, oldLength)).
    public var range: PositionRange
    /// For refresh: block-start, stabilizing or periodic.
    public var reason: String?
    public init(_ kind: Kind, range: PositionRange, reason: String? = nil) {
        self.kind = kind
        self.range = range
        self.reason = reason
    }
}

public struct ParameterChange: Codable, Sendable, Equatable {
    public var key: String
    public var oldValue: String
    public var newValue: String
    public init(key: String, oldValue: String, newValue: String) {
        self.key = key
        self.oldValue = oldValue
        self.newValue = newValue
    }
}

public struct Gauge: Codable, Sendable, Equatable {
    public var name: String
    public var value: Double
    public var threshold: Double?
    /// Positions the gauge refers to, if any (e.g. R²'s streak counters).
    public var positions: [Int]?
    public init(name: String, value: Double, threshold: Double? = nil, positions: [Int]? = nil) {
        self.name = name
        self.value = value
        self.threshold = threshold
        self.positions = positions
    }
}
