/// Checkpoint tensor names of each family (decoders.md §8), as roles the forward pass uses.
struct TensorNames {
    let family: ModelDescriptor.Family

    var embedding: String { family == .llada ? "model.transformer.wte.weight" : "model.embed_tokens.weight" }
    var finalNorm: String { family == .llada ? "model.transformer.ln_f.weight" : "model.norm.weight" }
    var lmHead: String { family == .llada ? "model.transformer.ff_out.weight" : "lm_head.weight" }

    enum LayerRole: CaseIterable {
        case attentionNorm, query, key, value, attentionOut, mlpNorm, gate, up, down
        case queryBias, keyBias, valueBias
    }

    func layer(_ i: Int, _ role: LayerRole) -> String {
        switch family {
        case .llada:
            let p = "model.transformer.blocks.\(i)."
            switch role {
            case .attentionNorm: return p + "attn_norm.weight"
            case .query: return p + "q_proj.weight"
            case .key: return p + "k_proj.weight"
            case .value: return p + "v_proj.weight"
            case .attentionOut: return p + "attn_out.weight"
            case .mlpNorm: return p + "ff_norm.weight"
            case .gate: return p + "ff_proj.weight"
            case .up: return p + "up_proj.weight"
            case .down: return p + "ff_out.weight"
            case .queryBias: return p + "q_proj.bias"
            case .keyBias: return p + "k_proj.bias"
            case .valueBias: return p + "v_proj.bias"
            }
        case .dream:
            let p = "model.layers.\(i)."
            switch role {
            case .attentionNorm: return p + "input_layernorm.weight"
            case .query: return p + "self_attn.q_proj.weight"
            case .key: return p + "self_attn.k_proj.weight"
            case .value: return p + "self_attn.v_proj.weight"
            case .attentionOut: return p + "self_attn.o_proj.weight"
            case .mlpNorm: return p + "post_attention_layernorm.weight"
            case .gate: return p + "mlp.gate_proj.weight"
            case .up: return p + "mlp.up_proj.weight"
            case .down: return p + "mlp.down_proj.weight"
            case .queryBias: return p + "self_attn.q_proj.bias"
            case .keyBias: return p + "self_attn.k_proj.bias"
            case .valueBias: return p + "self_attn.v_proj.bias"
            }
        }
    }

    /// The expected shape of each role under `config` (weights are [out, in]).
    static func shape(_ role: LayerRole, _ c: ModelConfig) -> [Int] {
        switch role {
        case .attentionNorm, .mlpNorm: [c.hiddenSize]
        case .query: [c.hiddenSize, c.hiddenSize]
        case .key, .value: [c.kvDim, c.hiddenSize]
        case .attentionOut: [c.hiddenSize, c.hiddenSize]
        case .gate, .up: [c.intermediateSize, c.hiddenSize]
        case .down: [c.hiddenSize, c.intermediateSize]
        case .queryBias: [c.hiddenSize]
        case .keyBias, .valueBias: [c.kvDim]
        }
    }
}
