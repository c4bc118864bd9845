import Foundation
import Modeling
import TestSupport
import Testing

/// KV-cache semantics (decoders.md §1.7), checked against passes without a cache.
@Suite struct CacheTests {
    let tokens = [5, 17, 3, 88, 42, 9, 61, 2, 33, 70, 14, 50, 7, 26, 91, 11]

    func model(_ name: String) throws -> TransformerModel {
        try TransformerModel.load(directory: modelFixtures.appendingPathComponent(name))
    }

    @Test(arguments: ["llada-tiny", "dream-tiny"])
    func buildThenWindowWithTheSameTokensReproducesTheBuild(name: String) throws {
        let m = try model(name)
        let full = try m.forward(.full(tokens, cache: .build))
        #expect(full.cache == .build && full.seconds > 0)
        let window = try m.forward(ForwardRequest(tokens: Array(tokens[4..<9]), positions: Array(4..<9), cache: .window(rows: 4..<9)))
        // Row 0 of a Dream slice keeps its own output (slice-local shift), so compare from row 1 there.
        let first = m.config.shiftsLogits ? 1 : 0
        let v = full.vocabularySize
        #expect(mismatch(Array(window.logits[(first * v)...]), Array(full.logits[((4 + first) * v)..<(9 * v)]), rtol: 1e-4, atol: 1e-5) == nil)
        #expect(m.cachedLength == tokens.count)
    }

    @Test(arguments: ["llada-tiny", "dream-tiny"])
    func extendMatchesPrefixAndAppends(name: String) throws {
        let m = try model(name)
        _ = try m.forward(.full(Array(tokens[0..<10]), cache: .build))
        let step = Array(tokens[10..<14]), positions = Array(10..<14)
        let prefix = try m.forward(ForwardRequest(tokens: step, positions: positions, cache: .prefix(length: 8)))
        #expect(m.cachedLength == 10)
        let extend = try m.forward(ForwardRequest(tokens: step, positions: positions, cache: .extend(length: 8)))
        #expect(mismatch(extend.logits, prefix.logits, rtol: 1e-6, atol: 1e-6) == nil)
        #expect(m.cachedLength == 12)
        // The appended rows are the step's K/V: a prefix pass over all 12 cached rows sees them.
        let after = try m.forward(ForwardRequest(tokens: [tokens[15]], positions: [12], cache: .prefix(length: 12)))
        let direct = try m.forward(ForwardRequest(tokens: [tokens[15]], positions: [12], cache: .prefix(length: 8)))
        #expect(mismatch(after.logits, direct.logits, rtol: 1e-6, atol: 1e-6) != nil)
        m.truncateCache(to: 5)
        #expect(m.cachedLength == 5)
        m.resetCache()
        #expect(m.cachedLength == 0)
    }

    @Test func noneLeavesTheCacheAlone() throws {
        let m = try model("llada-tiny")
        _ = try m.forward(.full(tokens, cache: .build))
        _ = try m.forward(.full(Array(tokens[0..<3])))
        #expect(m.cachedLength == tokens.count)
    }

    @Test(arguments: ["llada-tiny", "dream-tiny"])
    func logitRowsSelectRowsOfTheFullResult(name: String) throws {
        let m = try model(name)
        let full = try m.forward(.full(tokens))
        let some = try m.forward(.full(tokens, logitRows: [0, 3, 15]))
        #expect(some.rows == [0, 3, 15])
        let v = full.vocabularySize
        let expected = [0, 3, 15].flatMap { full.logits[($0 * v)..<(($0 + 1) * v)] }
        #expect(mismatch(some.logits, expected, rtol: 1e-5, atol: 1e-6) == nil)
    }

    @Test func dreamShiftIsSliceLocal() throws {
        let m = try model("dream-tiny")
        let result = try m.forward(.full(tokens, logitRows: [0, 1]))
        let v = result.vocabularySize
        #expect(Array(result.logits[0..<v]) == Array(result.logits[v..<(2 * v)]))  // rows 0 and 1 both read output 0
    }

    @Test func invalidRequestsAreTypedErrors() throws {
        let m = try model("llada-tiny")
        #expect(throws: ModelError.self) { try m.forward(.full([]), ) }
        #expect(throws: ModelError.self) { try m.forward(.full([200])) }
        #expect(throws: ModelError.self) { try m.forward(ForwardRequest(tokens: [1], positions: [128])) }
        #expect(throws: ModelError.self) { try m.forward(.full([1, 2], cache: .prefix(length: 1))) }
        #expect(throws: ModelError.self) { try m.forward(.full([1, 2], cache: .window(rows: 0..<2))) }
        #expect(throws: ModelError.self) {
            try m.forward(ForwardRequest(tokens: [1, 2], positions: [0, 1], attentionMask: AttentionMask(queries: 2, keys: 3)))
        }
        #expect(throws: ModelError.self) { try m.forward(.full([1, 2], logitRows: [2])) }
    }
}
