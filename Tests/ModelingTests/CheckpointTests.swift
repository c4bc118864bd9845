import Foundation
import Modeling
import TestSupport
import Testing

/// Copies llada-tiny into a temp folder with its safetensors header edited by `edit`. The data
/// section is rebuilt from each remaining entry's original bytes (a copied entry copies them), so
/// the tensors still tile it as the format requires.
private func editedLLaDA(_ edit: (inout [String: Any]) -> Void) throws -> URL {
    let folder = try temporaryFolder()
    try copyFixture("llada-tiny", to: folder, files: ["config.json", "tokenizer.json"])
    let original = try Data(contentsOf: modelFixtures.appendingPathComponent("llada-tiny/model.safetensors"))
    let length = Int(original.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
    var header = try #require(JSONSerialization.jsonObject(with: original.subdata(in: 8..<8 + length)) as? [String: Any])
    edit(&header)
    let dataStart = 8 + length
    var data: [UInt8] = []
    for name in header.keys.sorted() where name != "__metadata__" {
        guard var entry = header[name] as? [String: Any], let offsets = entry["data_offsets"] as? [Int] else { continue }
        let begin = data.count
        data += original.subdata(in: dataStart + offsets[0]..<dataStart + offsets[1])
        entry["data_offsets"] = [begin, data.count]
        header[name] = entry
    }
    let text = String(decoding: try JSONSerialization.data(withJSONObject: header), as: UTF8.self)
    try writeSafetensors(folder.appendingPathComponent("model.safetensors"), header: text, data: data)
    return folder
}

@Suite struct CheckpointTests {
    @Test func missingTensor() throws {
        let folder = try editedLLaDA { $0["model.transformer.ln_f.weight"] = nil }
        do {
            _ = try TransformerModel.load(directory: folder)
            Issue.record("expected missingTensor")
        } catch let ModelError.missingTensor(name, searched) {
            #expect(name == "model.transformer.ln_f.weight")
            #expect(searched == [folder.appendingPathComponent("model.safetensors").path])
        }
    }

    @Test func extraTensor() throws {
        let folder = try editedLLaDA { $0["model.transformer.blocks.9.q_proj.weight"] = $0["model.transformer.blocks.0.q_proj.weight"] }
        #expect(throws: ModelError.unexpectedTensors(names: ["model.transformer.blocks.9.q_proj.weight"])) {
            try TransformerModel.load(directory: folder)
        }
    }

    @Test func wrongShape() throws {
        let name = "model.transformer.blocks.1.q_proj.weight"
        let folder = try editedLLaDA { header in
            var entry = header[name] as? [String: Any] ?? [:]
            entry["shape"] = [24, 96]  // same byte count, wrong layout
            header[name] = entry
        }
        #expect(throws: ModelError.wrongShape(tensor: name, file: folder.appendingPathComponent("model.safetensors").path,
                                              expected: [48, 48], found: [24, 96])) {
            try TransformerModel.load(directory: folder)
        }
    }

    @Test func shardedCheckpointReadsEveryShard() throws {
        let checkpoint = try Checkpoint(directory: modelFixtures.appendingPathComponent("llada-tiny-bf16"))
        #expect(checkpoint.files.count == 2)
        #expect(checkpoint.tensors.count == 3 + 2 * 9)
        #expect(checkpoint.tensors.values.allSatisfy { $0.dtype == .bf16 })
    }
}

@Suite struct ModelConfigTests {
    @Test func readsLLaDAKeys() throws {
        let config = try ModelConfig.load(directory: modelFixtures.appendingPathComponent("llada-tiny"))
        #expect(config.family == .llada)
        #expect(config.hiddenSize == 48 && config.layerCount == 2 && config.headCount == 4 && config.kvHeadCount == 4)
        #expect(config.intermediateSize == 80 && config.vocabularySize == 97 && config.headDim == 12)
        #expect(config.ropeTheta == 500_000 && config.rmsNormEpsilon == 1e-5 && config.maxSequenceLength == 128)
        #expect(!config.tiedEmbeddings && !config.qkvBias && config.maskTokenID == 96)
    }

    @Test func readsDreamKeys() throws {
        let config = try ModelConfig.load(directory: modelFixtures.appendingPathComponent("dream-tiny"))
        #expect(config.family == .dream && config.qkvBias && config.shiftsLogits)
        #expect(config.headCount == 6 && config.kvHeadCount == 2 && config.kvDim == 16)
        #expect(config.maxSequenceLength == 256 && config.ropeTheta == 1_000_000)
    }

    @Test func detectsFamilyFromArchitecturesAndAppliesFallbacks() throws {
        let json = #"{"architectures":["LLaDAModelLM"],"d_model":64,"n_layers":1,"n_heads":4,"mlp_hidden_size":128,"vocab_size":50}"#
        let config = try ModelConfig.parse(Data(json.utf8))
        #expect(config.family == .llada && config.kvHeadCount == 4 && config.maxSequenceLength == 4096)
    }

    @Test func unknownFamilyIsAClearError() {
        #expect(throws: ModelError.unknownFamily(path: "config.json", modelType: "gpt2", architectures: ["GPT2LMHeadModel"])) {
            try ModelConfig.parse(Data(#"{"model_type":"gpt2","architectures":["GPT2LMHeadModel"]}"#.utf8))
        }
    }

    @Test func missingKeyIsNamed() {
        #expect(throws: ModelError.missingConfigKey(path: "config.json", key: "num_hidden_layers")) {
            try ModelConfig.parse(Data(#"{"model_type":"Dream","hidden_size":8,"num_attention_heads":2,"intermediate_size":8,"vocab_size":9}"#.utf8))
        }
    }

    @Test func inconsistentShapesAreRejected() {
        #expect(throws: ModelError.self) {
            try ModelConfig.parse(Data(#"{"model_type":"llada","d_model":50,"n_layers":1,"n_heads":4,"mlp_hidden_size":8,"vocab_size":9}"#.utf8))
        }
    }
}
