import Foundation
import Modeling

/// A deterministic stand-in for a model, for decoder tests: the logits of a query depend only on
/// its position and on the non-mask tokens it can *see* within two positions of it, through a
/// seeded hash. Confidence grows with the number of visible neighbours (scaled by `sharpness`), so
/// decodes behave like real ones: early steps are unsure, filled neighbourhoods become confident.
///
/// It implements every `CacheUse` and `AttentionMask` with the engine's semantics (cache rows
/// hold the tokens they were built from), checks request shapes, and counts calls.
public final class SyntheticPredictor: MaskPredictor {
    public struct Options: Sendable {
        public var vocabularySize = 24
        public var sharpness = 2.0
        public var seed: UInt64 = 1
        public var family = ModelDescriptor.Family.llada
        /// Added to the end-of-text logit, times position / max length (makes EOS likelier late).
        public var endOfTextBias = 0.0
        public var maxSequenceLength = 512
        public init() {}
    }

    public let options: Options
    public let descriptor: ModelDescriptor
    public private(set) var calls = 0
    public private(set) var requests: [ForwardRequest] = []
    private var cache: [Key] = []

    private struct Key { var position: Int; var token: Int }

    public init(_ options: Options = Options()) {
        self.options = options
        descriptor = ModelDescriptor(family: options.family, name: "synthetic", weightsHash: "seed-\(options.seed)",
                                     vocabularySize: options.vocabularySize, maxSequenceLength: options.maxSequenceLength,
                                     maskTokenID: options.vocabularySize - 1, endOfTextID: 1, endOfTurnID: 2)
    }

    public var cachedLength: Int { cache.count }
    public func resetCache() { cache = [] }
    public func truncateCache(to length: Int) { cache = Array(cache.prefix(length)) }

    public func forward(_ request: ForwardRequest) throws -> ForwardResult {
        calls += 1
        requests.append(request)
        let n = request.tokens.count
        guard request.positions.count == n else { throw Failure("positions \(request.positions.count) != tokens \(n)") }
        let fresh = zip(request.positions, request.tokens).map { Key(position: $0, token: $1) }
        var keys: [Key]
        switch request.cache {
        case .none, .build:
            keys = fresh
        case .prefix(let length), .extend(let length):
            guard length <= cache.count else { throw Failure("cache prefix \(length) > cached \(cache.count)") }
            keys = Array(cache.prefix(length)) + fresh
        case .window(let rows):
            guard rows.count == n, rows.upperBound <= cache.count else {
                throw Failure("window rows \(rows) do not fit \(n) tokens and \(cache.count) cached rows")
            }
            for (i, row) in rows.enumerated() { cache[row] = fresh[i] }
            keys = cache
        }
        if let mask = request.attentionMask, mask.queries != n || mask.keys != keys.count {
            throw Failure("attention mask \(mask.queries)×\(mask.keys), expected \(n)×\(keys.count)")
        }
        let rows = request.logitRows ?? Array(0..<n)
        let vocabulary = options.vocabularySize
        var logits = [Float](repeating: 0, count: rows.count * vocabulary)
        for (r, q) in rows.enumerated() {
            guard q >= 0 && q < n else { throw Failure("logit row \(q) outside \(n) tokens") }
            let row = logitsRow(query: request.positions[q], keys: keys) { k in
                request.attentionMask?.allows(q, k) ?? true
            }
            logits.replaceSubrange(r * vocabulary..<(r + 1) * vocabulary, with: row)
        }
        switch request.cache {
        case .build: cache = fresh
        case .extend(let length): cache = Array(cache.prefix(length)) + fresh
        default: break
        }
        return ForwardResult(logits: logits, rows: rows, vocabularySize: vocabulary, cache: request.cache, seconds: 0)
    }

    private func logitsRow(query: Int, keys: [Key], visible: (Int) -> Bool) -> [Float] {
        var context = mix(options.seed &+ UInt64(query) &* 0x9E37_79B9)
        var known = 0
        for (k, key) in keys.enumerated() where abs(key.position - query) <= 2 && key.token != descriptor.maskTokenID && visible(k) {
            context = context &+ mix(UInt64(bitPattern: Int64(key.position - query + 8)) << 32 | UInt64(key.token))
            known += 1
        }
        let scale = options.sharpness * (1 + 0.75 * Double(known))
        var row = [Float](repeating: 0, count: options.vocabularySize)
        for v in 0..<options.vocabularySize {
            let u = Double(mix(context ^ UInt64(v) &* 0xD1B5_4A32_D192_ED03) >> 11) * 0x1.0p-53
            row[v] = Float(scale * (2 * u - 1))
        }
        row[descriptor.endOfTextID] += Float(options.endOfTextBias * Double(query) / Double(options.maxSequenceLength))
        row[descriptor.maskTokenID] = -30
        return row
    }

    private func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
