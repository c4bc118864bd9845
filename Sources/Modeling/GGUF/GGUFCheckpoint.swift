import Foundation
import Kernels

/// The tensors of a `llada`/`dream` GGUF file under the HF names the forward pass reads, so that
/// `ModelWeights` and the decoders see no difference from a safetensors folder.
///
/// convert_hf_to_gguf.py names them `token_embd`, `blk.N.attn_norm` / `attn_q` / `attn_k` /
/// `attn_v` / `attn_output` / `ffn_norm` / `ffn_gate` / `ffn_up` / `ffn_down`, `output_norm`,
/// `output` (each `.weight`; Dream's q/k/v also `.bias`). For LLaDA it permutes the rows of Q and K
/// within each head (to llama.cpp's interleaved RoPE): HF row `a·hd/2 + b` of a head is written as
/// row `2b + a` (`reshape(heads, 2, hd/2, d).swapaxes(1, 2)`, K with its KV heads). The permutation
/// is undone here as a row order, so the data stays in the map as the file holds it.
extension Checkpoint {
    public init(gguf file: GGUFFile, config c: ModelConfig) throws {
        let path = file.file.path
        let names = TensorNames(family: c.family)
        var byName: [String: GGUFTensor] = [:]
        for tensor in file.tensors { byName[tensor.name] = tensor }
        var used = Set<String>()
        var tensors: [String: TensorSlice] = [:]
        func take(_ ggufName: String, as hfName: String, shape: [Int], rowOrder: [Int]? = nil) throws {
            guard let tensor = byName[ggufName] else { throw GGUFError.missingTensor(path: path, tensor: ggufName) }
            guard tensor.shape == shape else { throw GGUFError.wrongShape(path: path, tensor: ggufName, expected: shape, found: tensor.shape) }
            // Vectors (norms, biases) are read as one column per row: only element types fit that.
            guard shape.count == 2 || tensor.type.blockSize == 1 else {
                throw GGUFError.invalidTensor(path: path, tensor: ggufName, reason: "a vector stored as \(tensor.type); expected F32, F16 or BF16")
            }
            used.insert(ggufName)
            tensors[hfName] = TensorSlice(name: hfName, dtype: TensorDType(tensor.type), shape: tensor.shape, bytes: tensor.bytes,
                                          byteCount: tensor.byteCount, file: file.file, rowOrder: rowOrder)
        }
        try take("token_embd.weight", as: names.embedding, shape: [c.vocabularySize, c.hiddenSize])
        let queryOrder = c.family == .llada ? Self.unpermutedRows(heads: c.headCount, headDim: c.headDim) : nil
        let keyOrder = c.family == .llada ? Self.unpermutedRows(heads: c.kvHeadCount, headDim: c.headDim) : nil
        for i in 0..<c.layerCount {
            let roles: [(String, TensorNames.LayerRole, [Int]?)] = [
                ("attn_norm.weight", .attentionNorm, nil), ("attn_q.weight", .query, queryOrder), ("attn_k.weight", .key, keyOrder),
                ("attn_v.weight", .value, nil), ("attn_output.weight", .attentionOut, nil), ("ffn_norm.weight", .mlpNorm, nil),
                ("ffn_gate.weight", .gate, nil), ("ffn_up.weight", .up, nil), ("ffn_down.weight", .down, nil),
            ] + (c.qkvBias ? [("attn_q.bias", .queryBias, nil), ("attn_k.bias", .keyBias, nil), ("attn_v.bias", .valueBias, nil)] : [])
            for (suffix, role, order) in roles {
                try take("blk.\(i).\(suffix)", as: names.layer(i, role), shape: TensorNames.shape(role, c), rowOrder: order)
            }
        }
        try take("output_norm.weight", as: names.finalNorm, shape: [c.hiddenSize])
        if !c.tiedEmbeddings { try take("output.weight", as: names.lmHead, shape: [c.vocabularySize, c.hiddenSize]) }
        // rope_freqs holds llama.cpp's RoPE scaling factors; a file may carry it, and plain RoPE
        // (which the families use) ignores it only when every factor is 1.
        if let freqs = byName["rope_freqs.weight"] {
            guard freqs.floats().allSatisfy({ $0 == 1 }) else {
                throw GGUFError.unsupportedModel(path: path, what: "rope_freqs.weight scales RoPE frequencies; dllm-play runs plain RoPE")
            }
            used.insert(freqs.name)
        }
        let extra = file.tensors.map(\.name).filter { !used.contains($0) }
        guard extra.isEmpty else { throw GGUFError.unexpectedTensors(path: path, tensors: extra) }
        self.init(gguf: file, tensors: tensors)
    }

    /// For each HF row of a permuted Q/K matrix, its row in the file: within head h, HF row
    /// `a·hd/2 + b` (a ∈ {0, 1}, b < hd/2) is file row `2b + a`.
    static func unpermutedRows(heads: Int, headDim: Int) -> [Int] {
        let half = headDim / 2
        var order = [Int](repeating: 0, count: heads * headDim)
        for h in 0..<heads {
            for a in 0..<2 {
                for b in 0..<half { order[h * headDim + a * half + b] = h * headDim + 2 * b + a }
            }
        }
        return order
    }
}

extension TransformerModel {
    /// The GGUF file the weights come from, for a model loaded from one.
    public var ggufFile: GGUFFile? { checkpoint.gguf }

    /// Loads a `llada` or `dream` GGUF file: hyperparameters and special ids from its metadata,
    /// tensors mapped where they lie (quantized ones are dequantized tile by tile per pass).
    /// `gemm` overrides the GEMM chosen by CPU features and `DLLM_GEMM` (see `GEMMChoice`).
    public static func load(gguf url: URL, widenTileFloats: Int = widenTileLimit, gemm: GEMMChoice? = nil) throws -> TransformerModel {
        let file = try GGUFFile(path: url.path)
        let config = try ModelConfig(gguf: file)
        let checkpoint = try Checkpoint(gguf: file, config: config)
        let special = SpecialTokens(mask: config.maskTokenID ?? 0, endOfText: config.eosTokenID ?? 0,
                                    endOfTurn: try GGUFSpecialTokens(GGUFMetadata(file: file), family: config.family).endOfTurn)
        var name = url.lastPathComponent
        if name.lowercased().hasSuffix(".gguf") { name.removeLast(5) }
        return try TransformerModel(config: config, checkpoint: checkpoint, special: special, name: name, widenTileFloats: widenTileFloats,
                                    gemm: gemm)
    }

    /// Loads an HF checkpoint folder or a `.gguf` file.
    public static func load(path url: URL, widenTileFloats: Int = widenTileLimit, gemm: GEMMChoice? = nil) throws -> TransformerModel {
        url.pathExtension.lowercased() == "gguf" ? try load(gguf: url, widenTileFloats: widenTileFloats, gemm: gemm)
            : try load(directory: url, widenTileFloats: widenTileFloats, gemm: gemm)
    }
}
