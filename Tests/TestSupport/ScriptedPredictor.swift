import Foundation
import Modeling

/// A predictor whose logits come from a closure of (call number, absolute position id): for
/// hand-worked tests of one rule. Serves every cache use (it ignores the cache) and counts calls.
public final class ScriptedPredictor: MaskPredictor {
    public let descriptor: ModelDescriptor
    public private(set) var calls = 0
    /// Every request in call order, so a test can check what a forward was shown.
    public private(set) var requests: [ForwardRequest] = []
    private let script: (_ call: Int, _ position: Int, _ isShadow: Bool) -> [Float]
    private var cached = 0

    /// `script` returns `vocabularySize` logits; `isShadow` marks WINO's shadow rows (a repeated position id).
    public init(vocabularySize: Int = 8, family: ModelDescriptor.Family = .llada,
                script: @escaping (_ call: Int, _ position: Int, _ isShadow: Bool) -> [Float]) {
        descriptor = ModelDescriptor(family: family, name: "scripted", weightsHash: "-", vocabularySize: vocabularySize,
                                     maxSequenceLength: 1024, maskTokenID: vocabularySize - 1, endOfTextID: 1, endOfTurnID: 2)
        self.script = script
    }

    public var cachedLength: Int { cached }
    public func resetCache() { cached = 0 }
    public func truncateCache(to length: Int) { cached = min(cached, length) }

    public func forward(_ request: ForwardRequest) throws -> ForwardResult {
        let call = calls
        calls += 1
        requests.append(request)
        let rows = request.logitRows ?? Array(request.tokens.indices)
        var logits: [Float] = []
        for r in rows {
            let position = request.positions[r]
            let isShadow = request.positions[..<r].contains(position)
            logits += script(call, position, isShadow)
        }
        switch request.cache {
        case .build: cached = request.tokens.count
        case .extend(let length): cached = length + request.tokens.count
        default: break
        }
        return ForwardResult(logits: logits, rows: rows, vocabularySize: descriptor.vocabularySize, cache: request.cache, seconds: 0)
    }
}

/// Logits whose softmax puts probability `p` on `token` and spreads the rest evenly.
public func peaked(_ token: Int, _ p: Double, vocabularySize: Int = 8) -> [Float] {
    let rest = (1 - p) / Double(vocabularySize - 1)
    return (0..<vocabularySize).map { Float(log($0 == token ? p : rest)) }
}
