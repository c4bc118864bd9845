"""Model GGUF files laid out as llama.cpp's convert_hf_to_gguf.py writes the `llada` and `dream`
architectures (its key names, tensor names, the LLaDA Q/K row permutation, the gpt2-style
tokenizer keys), written with the pinned `gguf` package. Used by make_gguf_fixtures.py.

The code is written from the converter's documented behaviour, not copied: for LLaDA the rows of
q_proj and k_proj are permuted per head by reshape(heads, 2, hd/2, d).swapaxes(1, 2) (K with its
KV heads); tensors whose rows are not a whole number of blocks of the requested type fall back to
F16, as the converter does.
"""
import json
import struct

import gguf
import numpy as np
from gguf import GGMLQuantizationType as T

from gguf_kquants import quantize_k

HF_NAMES = {
    "llada": {
        "embedding": "model.transformer.wte.weight", "final_norm": "model.transformer.ln_f.weight",
        "head": "model.transformer.ff_out.weight", "layer": "model.transformer.blocks.{i}.",
        "roles": {"attn_norm.weight": "attn_norm.weight", "attn_q.weight": "q_proj.weight",
                  "attn_k.weight": "k_proj.weight", "attn_v.weight": "v_proj.weight",
                  "attn_output.weight": "attn_out.weight", "ffn_norm.weight": "ff_norm.weight",
                  "ffn_gate.weight": "ff_proj.weight", "ffn_up.weight": "up_proj.weight",
                  "ffn_down.weight": "ff_out.weight"},
    },
    "dream": {
        "embedding": "model.embed_tokens.weight", "final_norm": "model.norm.weight",
        "head": "lm_head.weight", "layer": "model.layers.{i}.",
        "roles": {"attn_norm.weight": "input_layernorm.weight", "attn_q.weight": "self_attn.q_proj.weight",
                  "attn_k.weight": "self_attn.k_proj.weight", "attn_v.weight": "self_attn.v_proj.weight",
                  "attn_output.weight": "self_attn.o_proj.weight", "ffn_norm.weight": "post_attention_layernorm.weight",
                  "ffn_gate.weight": "mlp.gate_proj.weight", "ffn_up.weight": "mlp.up_proj.weight",
                  "ffn_down.weight": "mlp.down_proj.weight", "attn_q.bias": "self_attn.q_proj.bias",
                  "attn_k.bias": "self_attn.k_proj.bias", "attn_v.bias": "self_attn.v_proj.bias"},
    },
}


def read_safetensors(folder):
    """{name: float32 array} of model.safetensors or its shards (F32, F16 and BF16)."""
    import os
    index = os.path.join(folder, "model.safetensors.index.json")
    files = sorted(set(json.load(open(index))["weight_map"].values())) if os.path.exists(index) else ["model.safetensors"]
    tensors = {}
    for name in files:
        raw = open(os.path.join(folder, name), "rb").read()
        (length,) = struct.unpack("<Q", raw[:8])
        header = json.loads(raw[8:8 + length])
        data = raw[8 + length:]
        for tensor, entry in header.items():
            if tensor == "__metadata__":
                continue
            begin, end = entry["data_offsets"]
            chunk = np.frombuffer(data[begin:end], dtype={"F32": np.float32, "F16": np.float16, "BF16": np.uint16}[entry["dtype"]])
            if entry["dtype"] == "BF16":
                chunk = (chunk.astype(np.uint32) << 16).view(np.float32)
            tensors[tensor] = chunk.astype(np.float32).reshape(entry["shape"])
    return tensors


def hf_config(config):
    """The converter's view of config.json: (family, hidden, layers, heads, kv heads, mlp, ctx, theta, eps, mask)."""
    if config["model_type"].lower() == "llada":
        return dict(family="llada", hidden=config["d_model"], layers=config["n_layers"], heads=config["n_heads"],
                    kv_heads=config.get("n_kv_heads", config["n_heads"]), mlp=config["mlp_hidden_size"],
                    context=config.get("max_sequence_length", 4096), theta=config.get("rope_theta", 10000.0),
                    eps=config.get("rms_norm_eps", 1e-5), mask=config.get("mask_token_id"), vocab=config["vocab_size"],
                    eos=config.get("eos_token_id"), pad=config.get("pad_token_id"))
    return dict(family="dream", hidden=config["hidden_size"], layers=config["num_hidden_layers"],
                heads=config["num_attention_heads"], kv_heads=config.get("num_key_value_heads", config["num_attention_heads"]),
                mlp=config["intermediate_size"], context=config.get("max_position_embeddings", 2048),
                theta=config.get("rope_theta", 10000.0), eps=config.get("rms_norm_eps", 1e-6), mask=config.get("mask_token_id"),
                vocab=config["vocab_size"], eos=config.get("eos_token_id"), pad=config.get("pad_token_id"))


def permute(weights, heads):
    """The converter's LLaDA Q/K row permutation (to llama.cpp's interleaved RoPE)."""
    return weights.reshape(heads, 2, weights.shape[0] // heads // 2, *weights.shape[1:]).swapaxes(1, 2).reshape(weights.shape)


def encode(values, qtype):
    """(data, stored type): quantized with the gguf package (or our K-quantizer); F16 where the rows
    do not fit the type's blocks; 1-D tensors stay F32 as the converter keeps norms and biases."""
    if values.ndim == 1:
        return values.astype(np.float32), T.F32
    block, _ = gguf.GGML_QUANT_SIZES[qtype]
    if values.shape[-1] % block != 0:
        qtype = T.F16
    if qtype == T.F32:
        return values.astype(np.float32), T.F32
    if qtype == T.F16:
        return values.astype(np.float16), T.F16
    if qtype in (T.Q4_K, T.Q5_K, T.Q6_K):
        return quantize_k(values, qtype), qtype
    return gguf.quants.quantize(values, qtype), qtype


def write_model(path, config, tensors, types, tokenizer=None, name="dllm-play fixture"):
    """Writes `tensors` (HF names, float32) as a GGUF model file. `types(gguf_name) -> type`."""
    c = hf_config(config)
    arch = c["family"]
    names = HF_NAMES[arch]
    writer = gguf.GGUFWriter(path, arch=arch)
    writer.add_name(name)
    writer.add_context_length(c["context"])
    writer.add_embedding_length(c["hidden"])
    writer.add_block_count(c["layers"])
    writer.add_feed_forward_length(c["mlp"])
    writer.add_head_count(c["heads"])
    writer.add_head_count_kv(c["kv_heads"])
    writer.add_rope_freq_base(c["theta"])
    writer.add_layer_norm_rms_eps(c["eps"])
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_causal_attention(False)
    if arch == "llada":
        writer.add_vocab_size(c["vocab"])
        writer.add_rope_dimension_count(c["hidden"] // c["heads"])
        writer.add_diffusion_shift_logits(False)
    if c["mask"] is not None:
        writer.add_mask_token_id(c["mask"])
    if tokenizer is not None:
        add_tokenizer(writer, tokenizer, c["vocab"])
    else:
        if c["eos"] is not None:
            writer.add_eos_token_id(c["eos"])
        if c["pad"] is not None:
            writer.add_pad_token_id(c["pad"])

    def add(gguf_name, values):
        data, qtype = encode(values, types(gguf_name))
        writer.add_tensor(gguf_name, data, raw_shape=values.shape if qtype in (T.F32, T.F16) else None, raw_dtype=qtype)

    add("token_embd.weight", tensors[names["embedding"]])
    for i in range(c["layers"]):
        prefix = names["layer"].format(i=i)
        for suffix, hf in names["roles"].items():
            values = tensors[prefix + hf]
            if arch == "llada" and suffix == "attn_q.weight":
                values = permute(values, c["heads"])
            if arch == "llada" and suffix == "attn_k.weight":
                values = permute(values, c["kv_heads"])
            add(f"blk.{i}.{suffix}", values)
    add("output_norm.weight", tensors[names["final_norm"]])
    if names["head"] in tensors:
        add("output.weight", tensors[names["head"]])
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def add_tokenizer(writer, tokenizer, vocab_size):
    """The converter's gpt2-style vocabulary: one token per id up to vocab_size ([PADn] UNUSED where
    the tokenizer has none), added tokens CONTROL (special) or USER_DEFINED, merges as "a b"."""
    tok = tokenizer["json"]
    vocab = dict(tok["model"]["vocab"])
    added = {t["content"]: t for t in tok.get("added_tokens", [])}
    for t in added.values():
        vocab[t["content"]] = t["id"]
    reverse = {i: s for s, i in vocab.items()}
    assert max(reverse) < vocab_size
    tokens, types = [], []
    for i in range(vocab_size):
        if i not in reverse:
            tokens.append(f"[PAD{i}]")
            types.append(gguf.TokenType.UNUSED)
        elif reverse[i] in added:
            tokens.append(reverse[i])
            types.append(gguf.TokenType.CONTROL if added[reverse[i]].get("special") else gguf.TokenType.USER_DEFINED)
        else:
            tokens.append(reverse[i])
            types.append(gguf.TokenType.NORMAL)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre(tokenizer["pre"])
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges([m if isinstance(m, str) else " ".join(m) for m in tok["model"]["merges"]])
    ids = {t["content"]: t["id"] for t in tok.get("added_tokens", [])}
    if "<|endoftext|>" in ids:
        writer.add_eos_token_id(ids["<|endoftext|>"])
        writer.add_pad_token_id(ids["<|endoftext|>"])
