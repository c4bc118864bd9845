/// The engine as decoders see it: one call is one forward pass (one NFE).
///
/// Decoders never see layers or weights. They hand over token ids with their absolute position
/// ids, say how the KV cache is to be used, optionally restrict attention with a boolean mask, and
/// get back logits for the rows they asked for, already aligned so that logits row r is the
/// prediction *for* token r (the Dream family's one-position shift is applied inside the engine,
/// slice-locally, exactly as the reference code does: decoders.md §1.5).
public protocol MaskPredictor: AnyObject {
    /// What the model is: family, vocabulary, special ids, limits, identity.
    var descriptor: ModelDescriptor { get }

    /// Runs one forward pass.
    func forward(_ request: ForwardRequest) throws -> ForwardResult

    /// Empties the KV cache (a new decode).
    func resetCache()

    /// Keeps only the first `length` cached rows.
    func truncateCache(to length: Int)

    /// How many rows the KV cache holds now.
    var cachedLength: Int { get }
}

/// How a forward pass uses the KV cache (decoders.md §1.7). Cached keys are stored after RoPE, at
/// the absolute positions they were computed for. "Row" means a cache row; cache row i holds the
/// token that was at index i of the sequence the cache was built from.
public enum CacheUse: Sendable, Equatable {
    /// Attend among the given tokens only; the cache is neither read nor written.
    case none
    /// Attend among the given tokens only, then replace the cache with their K/V (the tokens are the
    /// whole sequence, cache row i = token i). Fast-dLLM's block-start full forward.
    case build
    /// Queries of the given tokens attend to cache rows [0, length) followed by the tokens
    /// themselves; the cache is not changed. Fast-dLLM's prefix cache.
    case prefix(length: Int)
    /// Dual cache: the fresh K/V of the given tokens overwrite cache rows `rows` in place
    /// (`rows.count` == token count), and the queries attend to the whole cache.
    case window(rows: Range<Int>)
    /// Queries attend to cache rows [0, length) followed by the tokens; afterwards the cache is
    /// cache[0, length) ++ the tokens' K/V. d3LLM's delayed append of stabilised blocks.
    case extend(length: Int)
}

/// Input of one forward pass.
public struct ForwardRequest: Sendable {
    /// Token ids of the rows to compute, [n].
    public var tokens: [Int]
    /// Absolute position id of each token, [n]: RoPE angles come from these, not from indices.
    public var positions: [Int]
    /// Which keys each query may see; nil means full bidirectional attention.
    public var attentionMask: AttentionMask?
    public var cache: CacheUse
    /// Indices into `tokens` whose logits are wanted; nil means every row. Computing the LM head
    /// only for the rows a decoder reads saves most of the cost at large vocabularies.
    public var logitRows: [Int]?

    public init(tokens: [Int], positions: [Int], attentionMask: AttentionMask? = nil,
                cache: CacheUse = .none, logitRows: [Int]? = nil) {
        self.tokens = tokens
        self.positions = positions
        self.attentionMask = attentionMask
        self.cache = cache
        self.logitRows = logitRows
    }

    /// The common case: the whole sequence, positions 0..<n.
    public static func full(_ tokens: [Int], cache: CacheUse = .none, logitRows: [Int]? = nil) -> ForwardRequest {
        ForwardRequest(tokens: tokens, positions: Array(tokens.indices), cache: cache, logitRows: logitRows)
    }
}

/// A [queries, keys] boolean mask: `allows(q, k)` is true when query q may attend to key k.
/// Keys are numbered in attention order: the cached rows used by the request, then the fresh
/// tokens (for `.window`, simply the cache rows).
public struct AttentionMask: Sendable, Equatable {
    public let queries: Int
    public let keys: Int
    public private(set) var allowed: [Bool]  // [queries * keys], row-major

    public init(queries: Int, keys: Int, allowing value: Bool = true) {
        self.queries = queries
        self.keys = keys
        self.allowed = [Bool](repeating: value, count: queries * keys)
    }

    @inline(__always) public func allows(_ query: Int, _ key: Int) -> Bool { allowed[query * keys + key] }

    public mutating func set(_ query: Int, _ key: Int, _ value: Bool) { allowed[query * keys + key] = value }
}

/// Output of one forward pass.
public struct ForwardResult: Sendable {
    /// [rows, vocabularySize] row-major; row r belongs to `rows[r]` (an index into the request's tokens).
    public var logits: [Float]
    public var rows: [Int]
    public var vocabularySize: Int
    /// What ran, for the UI's forward events.
    public var cache: CacheUse
    /// Wall time of the pass.
    public var seconds: Double

    public init(logits: [Float], rows: [Int], vocabularySize: Int, cache: CacheUse, seconds: Double) {
        self.logits = logits
        self.rows = rows
        self.vocabularySize = vocabularySize
        self.cache = cache
        self.seconds = seconds
    }

    /// Calls `body` with a pointer to the logits of result row `r` (vocabularySize floats).
    public func withRow<R>(_ r: Int, _ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        try logits.withUnsafeBufferPointer { try body($0.baseAddress! + r * vocabularySize) }
    }
}

/// The model facts a decoder needs, read from the checkpoint's files, never literals.
public struct ModelDescriptor: Sendable, Equatable {
    public enum Family: String, Sendable, Codable { case llada, dream }

    public var family: Family
    /// Display name, e.g. the model folder's name.
    public var name: String
    /// A content hash of the weights (hex), for trajectory headers.
    public var weightsHash: String
    public var vocabularySize: Int
    public var maxSequenceLength: Int
    public var maskTokenID: Int
    /// `<|endoftext|>`: EOS and padding.
    public var endOfTextID: Int
    /// `<|eot_id|>` (LLaDA) or `<|im_end|>` (Dream), if the model has one.
    public var endOfTurnID: Int?
    /// The engine that runs the forward passes when it is not this process's own (a remote
    /// engine's self-description, for trajectory headers); nil for the local engine.
    public var engine: String?

    public init(family: Family, name: String, weightsHash: String, vocabularySize: Int, maxSequenceLength: Int,
                maskTokenID: Int, endOfTextID: Int, endOfTurnID: Int?, engine: String? = nil) {
        self.family = family
        self.name = name
        self.weightsHash = weightsHash
        self.vocabularySize = vocabularySize
        self.maxSequenceLength = maxSequenceLength
        self.maskTokenID = maskTokenID
        self.endOfTextID = endOfTextID
        self.endOfTurnID = endOfTurnID
        self.engine = engine
    }
}
