import Foundation
import Modeling
import TestSupport
import Testing

/// Golden cases written by tools/reference/make_model_fixtures.py from HF transformers
/// (Llama / Qwen2 with a full bidirectional 4-D mask, float64).
struct GoldenFile: Decodable {
    struct Case: Decodable {
        var name: String
        var tokens: [Int]
        var positions: [Int]
        var mask: [Int]?
        var buildTokens: [Int]?
        var cacheStart: Int?
        var logits: [Float]
    }
    var vocabularySize: Int
    var cases: [Case]

    static func load(_ folder: URL) throws -> GoldenFile {
        try JSONDecoder().decode(GoldenFile.self, from: Data(contentsOf: folder.appendingPathComponent("golden.json")))
    }
}

let modelFixtures = fixturesDirectory().appendingPathComponent("modeling")
let parityFolders = ["llada-tiny", "llada-tiny-bf16", "dream-tiny"]

/// Parity tolerance against the float64 reference: relative 1e-4, absolute floor 1e-5 (measured
/// worst error about 1.2e-5 absolute on logits of magnitude ~1.5; 1e-5/1e-5 passes too).
let parityRTol: Float = 1e-4, parityATol: Float = 1e-5

@Suite struct ParityTests {
    @Test(arguments: parityFolders)
    func logitsMatchTransformers(folder: String) throws {
        let directory = modelFixtures.appendingPathComponent(folder)
        let model = try TransformerModel.load(directory: directory, gemm: .requestedF32)
        let golden = try GoldenFile.load(directory)
        #expect(model.descriptor.vocabularySize == golden.vocabularySize)
        for c in golden.cases {
            model.resetCache()
            let result: ForwardResult
            switch c.name {
            case "prefix", "window":
                let build = try #require(c.buildTokens), start = try #require(c.cacheStart)
                _ = try model.forward(.full(build, cache: .build))
                #expect(model.cachedLength == build.count)
                let use: CacheUse = c.name == "prefix" ? .prefix(length: start) : .window(rows: start..<start + c.tokens.count)
                result = try model.forward(ForwardRequest(tokens: c.tokens, positions: c.positions, cache: use))
                #expect(model.cachedLength == build.count)
            case "build":
                result = try model.forward(ForwardRequest(tokens: c.tokens, positions: c.positions, cache: .build))
            default:
                var mask: AttentionMask? = nil
                if let bits = c.mask {
                    var m = AttentionMask(queries: c.tokens.count, keys: c.tokens.count, allowing: false)
                    for (i, bit) in bits.enumerated() where bit != 0 { m.set(i / c.tokens.count, i % c.tokens.count, true) }
                    mask = m
                }
                result = try model.forward(ForwardRequest(tokens: c.tokens, positions: c.positions, attentionMask: mask))
            }
            #expect(result.rows == Array(0..<c.tokens.count))
            #expect(mismatch(result.logits, c.logits, rtol: parityRTol, atol: parityATol) == nil, "\(folder) \(c.name)")
        }
    }

    @Test func specialIDsComeFromTheFiles() throws {
        let llada = try TransformerModel.load(directory: modelFixtures.appendingPathComponent("llada-tiny"))
        #expect(llada.descriptor.family == .llada)
        #expect(llada.descriptor.name == "llada-tiny")
        #expect(llada.descriptor.maskTokenID == 96)
        #expect(llada.descriptor.endOfTextID == 94)
        #expect(llada.descriptor.endOfTurnID == 93)
        #expect(llada.descriptor.maxSequenceLength == 128)
        let dream = try TransformerModel.load(directory: modelFixtures.appendingPathComponent("dream-tiny"))
        #expect(dream.descriptor.family == .dream)
        #expect(dream.descriptor.maskTokenID == 96)
        #expect(dream.descriptor.endOfTurnID == 93)
        #expect(dream.config.kvHeadCount == 2 && dream.config.headDim == 8)
    }

    @Test func weightsHashIsStableAndDistinguishesCheckpoints() throws {
        let a = try TransformerModel.load(directory: modelFixtures.appendingPathComponent("llada-tiny"))
        let b = try TransformerModel.load(directory: modelFixtures.appendingPathComponent("llada-tiny"))
        let c = try TransformerModel.load(directory: modelFixtures.appendingPathComponent("llada-tiny-bf16"))
        #expect(a.descriptor.weightsHash == b.descriptor.weightsHash)
        #expect(a.descriptor.weightsHash != c.descriptor.weightsHash)
        #expect(a.descriptor.weightsHash.count == 16)
    }
}

@Suite struct WideningTests {
    /// A scratch of 100 floats widens the bf16 matrices two rows at a time (d 48, MLP 80): the
    /// tiled path must give the same logits as the golden file.
    @Test func bf16WeightsWidenedInSmallTilesStillMatch() throws {
        let directory = modelFixtures.appendingPathComponent("llada-tiny-bf16")
        let model = try TransformerModel.load(directory: directory, widenTileFloats: 100, gemm: .requestedF32)
        let golden = try GoldenFile.load(directory)
        let full = try #require(golden.cases.first { $0.name == "full" })
        let result = try model.forward(ForwardRequest(tokens: full.tokens, positions: full.positions))
        #expect(mismatch(result.logits, full.logits, rtol: parityRTol, atol: parityATol) == nil)
    }

    @Test func randomModelRunsAndIsSeeded() throws {
        let config = ModelConfig(family: .dream, hiddenSize: 32, layerCount: 1, headCount: 4, kvHeadCount: 2,
                                 intermediateSize: 48, vocabularySize: 50, ropeTheta: 10_000, rmsNormEpsilon: 1e-6,
                                 maxSequenceLength: 64, tiedEmbeddings: true, qkvBias: true)
        let a = try TransformerModel.random(config: config, seed: 5)
        let b = try TransformerModel.random(config: config, seed: 5)
        let request = ForwardRequest.full([1, 2, 3, 4])
        #expect(try a.forward(request).logits == b.forward(request).logits)
        #expect(a.descriptor.weightsHash == b.descriptor.weightsHash)
        #expect(a.parameterCount == 50 * 32 + 32 + (2 * 32 + 2 * 32 * 32 + 2 * 16 * 32 + 3 * 32 * 48 + 32 + 2 * 16))
    }
}
