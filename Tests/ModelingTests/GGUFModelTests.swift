import Foundation
@testable import Modeling
import Testing
import TestSupport
import Tokenization

let ggufFixtures = fixturesDirectory().appendingPathComponent("gguf")

/// Runs a model over a few requests (full, masked rows, cache build + window) and returns every logit.
func probeLogits(_ model: TransformerModel) throws -> [Float] {
    let v = model.config.vocabularySize
    let tokens = (0..<12).map { ($0 * 37 + 5) % min(v, 90) }
    model.resetCache()
    var logits = try model.forward(ForwardRequest(tokens: tokens, positions: Array(0..<12))).logits
    logits += try model.forward(ForwardRequest(tokens: tokens, positions: Array(0..<12), cache: .build, logitRows: [0, 5, 11])).logits
    logits += try model.forward(ForwardRequest(tokens: Array(tokens[4..<8]), positions: Array(4..<8), cache: .window(rows: 4..<8))).logits
    return logits
}

@Suite("GGUF files as models")
struct GGUFModelTests {
    /// GGUF files written by the converter's layout from the HF fixtures hold the same weights:
    /// the same logits (F32 and BF16: the same numbers; the LLaDA Q/K permutation undone).
    @Test(arguments: [("llada-tiny.f32.gguf", "llada-tiny"), ("llada-tiny.bf16.gguf", "llada-tiny-bf16"),
                      ("dream-tiny.f32.gguf", "dream-tiny")])
    func sameLogitsAsTheHFCheckpoint(gguf: String, folder: String) throws {
        let model = try TransformerModel.load(gguf: ggufFixtures.appendingPathComponent(gguf), gemm: .requestedF32)
        let reference = try TransformerModel.load(directory: modelFixtures.appendingPathComponent(folder), gemm: .requestedF32)
        #expect(model.config == reference.config)
        #expect(model.descriptor.maskTokenID == reference.descriptor.maskTokenID)
        #expect(model.descriptor.endOfTextID == reference.descriptor.endOfTextID)
        #expect(mismatch(try probeLogits(model), try probeLogits(reference), rtol: 1e-5, atol: 1e-6) == nil, "\(gguf)")
    }

    /// Every block type (the fixtures together hold all eleven): logits equal those of the same
    /// weights dequantized to f32 and run in place.
    @Test(arguments: ["dream-tiny.f16.gguf", "llada-tok.gguf", "dream-tok.gguf", "llada-tiny.bf16.gguf"])
    func sameLogitsAsTheDequantizedWeights(gguf: String) throws {
        let model = try TransformerModel.load(gguf: ggufFixtures.appendingPathComponent(gguf), gemm: .requestedF32)
        let reference = try model.widenedToF32()
        #expect(reference.weightDTypes == [.f32])
        #expect(mismatch(try probeLogits(model), try probeLogits(reference), rtol: 1e-5, atol: 1e-6) == nil, "\(gguf)")
    }

    @Test func fixturesCoverEveryType() throws {
        var types = Set<GGMLType>()
        for name in ["llada-tiny.f32.gguf", "llada-tiny.bf16.gguf", "dream-tiny.f16.gguf", "llada-tok.gguf", "dream-tok.gguf"] {
            let model = try TransformerModel.load(gguf: ggufFixtures.appendingPathComponent(name))
            types.formUnion(model.weightDTypes.map(\.ggmlType))
        }
        #expect(types == Set(GGMLType.allCases))
    }

    /// The permutation convert_hf_to_gguf.py applies to LLaDA's Q/K rows, undone.
    @Test func unpermutesRowsPerHead() {
        // headDim 4: HF rows (a·2 + b) of a head are file rows 2b + a.
        #expect(Checkpoint.unpermutedRows(heads: 2, headDim: 4) == [0, 2, 1, 3, 4, 6, 5, 7])
    }

    @Test func metadataBecomesTheConfig() throws {
        let model = try TransformerModel.load(gguf: ggufFixtures.appendingPathComponent("dream-tok.gguf"))
        let c = model.config
        #expect(c.family == .dream && c.hiddenSize == 256 && c.layerCount == 1 && c.headCount == 4 && c.kvHeadCount == 2)
        #expect(c.intermediateSize == 256 && c.vocabularySize == 1507 && c.maxSequenceLength == 512 && c.ropeTheta == 1e6)
        #expect(c.qkvBias && !c.tiedEmbeddings && c.shiftsLogits)
        #expect(model.descriptor.name == "dream-tok" && model.descriptor.maskTokenID == 1504 && model.descriptor.endOfTextID == 1500)
        #expect(model.descriptor.endOfTurnID == 1502)
    }

    /// The tokenizer rebuilt from tokenizer.ggml.* gives HF's ids on every golden line.
    @Test(arguments: [("llada-tok.gguf", "qwen2-style"), ("dream-tok.gguf", "llama3-style")])
    func tokenizerGivesHFIds(gguf: String, kind: String) throws {
        let file = try GGUFFile(path: ggufFixtures.appendingPathComponent(gguf).path)
        let tokenizer = try GGUFTokenizer.load(file)
        let tokenization = fixturesDirectory().appendingPathComponent("tokenization")
        let lines = try JSONDecoder().decode([String].self, from: Data(contentsOf: tokenization.appendingPathComponent("golden-lines.json")))
        let expected = try JSONDecoder().decode([String: [String]].self, from: Data(contentsOf: tokenization.appendingPathComponent("golden-ids.json")))
        let ids = try #require(expected[kind]).map { $0.split(separator: " ").compactMap { Int($0) } }
        #expect(lines.count == ids.count && lines.count >= 300)
        var failures = 0
        for (line, want) in zip(lines, ids) where tokenizer.encode(line) != want {
            failures += 1
            if failures <= 3 { Issue.record("\(gguf): \(line.debugDescription): \(tokenizer.encode(line)) vs \(want)") }
        }
        #expect(failures == 0)
        let json = try Tokenizer.load(from: tokenization.appendingPathComponent("\(kind).tokenizer.json"))
        #expect(tokenizer.specialTokens.mask == json.specialTokens.mask)
        #expect(tokenizer.specialTokens.endOfText == json.specialTokens.endOfText)
        #expect(tokenizer.decode(tokenizer.encode("Hello, world 123")) == "Hello, world 123")
    }
}
