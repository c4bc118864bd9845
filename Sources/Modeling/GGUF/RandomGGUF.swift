import Foundation
import Kernels

/// Random models written as GGUF files in the layout of convert_hf_to_gguf.py, for benchmarks
/// (a 1B- or 8B-shaped file generated on the fly, never committed) and for tests of every type.
public enum RandomGGUF {
    /// The tensor types of a file: one for every matrix, or llama.cpp's Q4_K_M mix.
    public enum Types: Sendable, CustomStringConvertible {
        case all(GGMLType)
        /// Q4_K, with Q6_K for the output, and for attn_v / ffn_down in the first and last eighth of
        /// the layers and every third one between (llama.cpp's rule for Q4_K_M).
        case q4_K_M

        public var description: String {
            switch self {
            case .all(let type): type.description
            case .q4_K_M: "Q4_K_M"
            }
        }

        func type(of name: String, layers: Int) -> GGMLType {
            switch self {
            case .all(let type): return type
            case .q4_K_M:
                if name == "output.weight" { return .q6_K }
                guard name.hasSuffix("attn_v.weight") || name.hasSuffix("ffn_down.weight"),
                      let layer = Int(name.split(separator: ".")[1]) else { return .q4_K }
                let moreBits = layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2
                return moreBits ? .q6_K : .q4_K
            }
        }
    }

    /// The tensors of `config` in file order with their types (vectors F32, as the converter writes them).
    public static func plan(_ c: ModelConfig, types: Types) -> [GGUFTensorPlan] {
        var shapes: [(String, [Int])] = [("token_embd.weight", [c.vocabularySize, c.hiddenSize])]
        for i in 0..<c.layerCount {
            let p = "blk.\(i)."
            shapes += [(p + "attn_norm.weight", [c.hiddenSize]), (p + "attn_q.weight", [c.hiddenSize, c.hiddenSize]),
                       (p + "attn_k.weight", [c.kvDim, c.hiddenSize]), (p + "attn_v.weight", [c.kvDim, c.hiddenSize]),
                       (p + "attn_output.weight", [c.hiddenSize, c.hiddenSize]), (p + "ffn_norm.weight", [c.hiddenSize]),
                       (p + "ffn_gate.weight", [c.intermediateSize, c.hiddenSize]), (p + "ffn_up.weight", [c.intermediateSize, c.hiddenSize]),
                       (p + "ffn_down.weight", [c.hiddenSize, c.intermediateSize])]
            if c.qkvBias { shapes += [(p + "attn_q.bias", [c.hiddenSize]), (p + "attn_k.bias", [c.kvDim]), (p + "attn_v.bias", [c.kvDim])] }
        }
        shapes.append(("output_norm.weight", [c.hiddenSize]))
        if !c.tiedEmbeddings { shapes.append(("output.weight", [c.vocabularySize, c.hiddenSize])) }
        return shapes.map { name, shape in
            GGUFTensorPlan(name: name, shape: shape, type: shape.count == 1 ? .f32 : types.type(of: name, layers: c.layerCount))
        }
    }

    /// The metadata convert_hf_to_gguf.py writes for `config` (mask id V − 1, end of text V − 2).
    public static func metadata(_ c: ModelConfig, name: String) -> [(key: String, value: GGUFValue)] {
        let a = c.family.rawValue
        func u32(_ n: Int) -> GGUFValue { .unsigned(UInt64(n), typeName: "uint32") }
        func f32(_ x: Double) -> GGUFValue { .float(x, typeName: "float32") }
        var keys: [(key: String, value: GGUFValue)] = [
            ("general.architecture", .string(a)), ("general.name", .string(name)),
            ("\(a).context_length", u32(c.maxSequenceLength)), ("\(a).embedding_length", u32(c.hiddenSize)),
            ("\(a).block_count", u32(c.layerCount)), ("\(a).feed_forward_length", u32(c.intermediateSize)),
            ("\(a).attention.head_count", u32(c.headCount)), ("\(a).attention.head_count_kv", u32(c.kvHeadCount)),
            ("\(a).rope.freq_base", f32(c.ropeTheta)), ("\(a).attention.layer_norm_rms_epsilon", f32(Double(c.rmsNormEpsilon))),
            ("\(a).attention.causal", .bool(false)),
            ("tokenizer.ggml.mask_token_id", u32(c.maskTokenID ?? c.vocabularySize - 1)),
            ("tokenizer.ggml.eos_token_id", u32(c.eosTokenID ?? c.vocabularySize - 2)),
        ]
        if c.family == .llada { keys.append(("diffusion.shift_logits", .bool(false))) }
        return keys
    }

    /// Writes a model of `config`'s shape with seeded uniform weights of standard deviation ≈ `std`
    /// (norm weights 1, biases 0), band by band.
    public static func write(path: String, config: ModelConfig, types: Types, seed: UInt64, std: Double = 0.02,
                             name: String = "random") throws {
        var rng = SplitMix64(seed: seed)
        let scale = Float(std * 3.0.squareRoot())
        try GGUFWriter.write(path: path, metadata: metadata(config, name: name), tensors: plan(config, types: types)) { plan, rows, out in
            let count = rows.count * plan.columns
            if plan.name.hasSuffix("norm.weight") {
                out.update(repeating: 1, count: count)
            } else if plan.name.hasSuffix(".bias") {
                out.update(repeating: 0, count: count)
            } else {
                for i in 0..<count { out[i] = Float(rng.nextUnitDouble() * 2 - 1) * scale }
            }
        }
    }
}
