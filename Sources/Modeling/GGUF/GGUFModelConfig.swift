import Foundation

extension ModelConfig {
    /// The hyperparameters of a `llada` or `dream` GGUF file, under the keys llama.cpp's
    /// convert_hf_to_gguf.py writes (`{arch}.embedding_length`, `{arch}.attention.head_count`, …).
    /// The vocabulary is the number of rows of `token_embd.weight` (LLaDA pads it beyond
    /// `vocab_size`); tied embeddings mean no `output.weight`. Checked like a config.json.
    public init(gguf file: GGUFFile) throws {
        let meta = GGUFMetadata(file: file)
        let path = file.file.path
        guard let architecture = try meta.optionalString("general.architecture") else {
            throw GGUFError.missingKey(path: path, key: "general.architecture", hint: "every model GGUF names its architecture")
        }
        let family: Family
        switch architecture {
        case "llada": family = .llada
        case "dream": family = .dream
        default: throw GGUFError.unsupportedArchitecture(path: path, architecture: architecture)
        }
        let a = architecture
        let hint = "written by convert_hf_to_gguf.py for every \(a) model"
        let hidden = try meta.integer("\(a).embedding_length", hint: hint)
        let heads = try meta.integer("\(a).attention.head_count", hint: hint)
        guard let embedding = file.tensor("token_embd.weight") else { throw GGUFError.missingTensor(path: path, tensor: "token_embd.weight") }
        guard embedding.shape.count == 2, embedding.shape[1] == hidden else {
            throw GGUFError.wrongShape(path: path, tensor: "token_embd.weight", expected: [embedding.shape.first ?? 0, hidden], found: embedding.shape)
        }
        if let shift = try meta.optionalBool("diffusion.shift_logits"), shift != (family == .dream) {
            throw GGUFError.unsupportedModel(path: path, what: "diffusion.shift_logits is \(shift) for a \(a) model; dllm-play shifts "
                                             + "Dream's logits and never LLaDA's (decoders.md §1.5)")
        }
        if let ropeDims = try meta.optionalInteger("\(a).rope.dimension_count"), heads > 0, ropeDims != hidden / heads {
            throw GGUFError.unsupportedModel(path: path, what: "\(a).rope.dimension_count \(ropeDims) rotates part of a head "
                                             + "of \(hidden / heads); dllm-play rotates whole heads")
        }
        let special = try GGUFSpecialTokens(meta, family: family)
        self.init(family: family, hiddenSize: hidden,
                  layerCount: try meta.integer("\(a).block_count", hint: hint),
                  headCount: heads,
                  kvHeadCount: try meta.optionalInteger("\(a).attention.head_count_kv") ?? heads,
                  intermediateSize: try meta.integer("\(a).feed_forward_length", hint: hint),
                  vocabularySize: embedding.shape[0],
                  ropeTheta: try meta.optionalNumber("\(a).rope.freq_base") ?? 10_000,
                  rmsNormEpsilon: Float(try meta.optionalNumber("\(a).attention.layer_norm_rms_epsilon") ?? (family == .llada ? 1e-5 : 1e-6)),
                  maxSequenceLength: try meta.integer("\(a).context_length", hint: hint),
                  tiedEmbeddings: file.tensor("output.weight") == nil,
                  qkvBias: family == .dream,
                  maskTokenID: special.mask, eosTokenID: special.endOfText, padTokenID: special.padding)
        try validate(path: "\(path) (metadata)")
    }
}

/// The special ids of a GGUF file: `tokenizer.ggml.*_token_id`, or the families' token strings.
struct GGUFSpecialTokens {
    var mask: Int
    var endOfText: Int
    var endOfTurn: Int?
    var padding: Int?

    /// Mask: `tokenizer.ggml.mask_token_id`, else the token `<|mdm_mask|>` / `<|mask|>`. End of
    /// text: the token `<|endoftext|>`, else `eos_token_id`, else `padding_token_id` (as for HF
    /// folders, `SpecialTokens.read`). End of turn: `<|eot_id|>` / `<|im_end|>`, else `eot_token_id`.
    init(_ meta: GGUFMetadata, family: ModelDescriptor.Family) throws(GGUFError) {
        let tokens = try meta.optionalStrings("tokenizer.ggml.tokens") ?? []
        var index: [String: Int] = [:]
        for name in ["<|mdm_mask|>", "<|mask|>", "<|endoftext|>", "<|eot_id|>", "<|im_end|>"] {
            if let id = tokens.firstIndex(of: name) { index[name] = id }
        }
        let maskKey = try meta.optionalInteger("tokenizer.ggml.mask_token_id")
        guard let mask = maskKey ?? index["<|mdm_mask|>"] ?? index["<|mask|>"] else {
            throw .missingKey(path: meta.path, key: "tokenizer.ggml.mask_token_id",
                              hint: "a diffusion model needs its mask id (convert_hf_to_gguf.py writes it from config.json mask_token_id)")
        }
        padding = try meta.optionalInteger("tokenizer.ggml.padding_token_id")
        let eosKey = try meta.optionalInteger("tokenizer.ggml.eos_token_id")
        guard let eos = index["<|endoftext|>"] ?? eosKey ?? padding else {
            throw .missingKey(path: meta.path, key: "tokenizer.ggml.eos_token_id", hint: "the end-of-text id ends an answer")
        }
        self.mask = mask
        endOfText = eos
        let turn = family == .llada ? index["<|eot_id|>"] ?? index["<|im_end|>"] : index["<|im_end|>"] ?? index["<|eot_id|>"]
        let eotKey = try meta.optionalInteger("tokenizer.ggml.eot_token_id")
        endOfTurn = turn ?? eotKey
    }
}
