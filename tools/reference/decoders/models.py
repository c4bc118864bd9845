"""Tiny random checkpoints for the decoder references, and the check of the forward against the
engine's golden logits (Tests/Fixtures/modeling/*/golden.json).

The checkpoints are written in the HF layout the engine loads (config.json, tokenizer.json with the
special ids, generation_config.json for Dream, model.safetensors in float32). Their LM heads are
scaled so that confidences and entropies spread across the decoders' thresholds, and the end-of-text
row is scaled further so that some positions predict it (d3LLM early stop then fires).
"""
import json
import os

import torch
from safetensors.torch import save_file

from .model import Model, prefix_attend, window_attend

VOCAB = 97
QK_SCALE = 3.0
EOT, EOS, BOS, MASK = 93, 94, 95, 96

# name: family, hidden, layers, heads, kv heads, mlp, head scale, end-of-text row scale
SPECS = {
    "ref-llada": ("llada", 24, 2, 4, 4, 48, 4.5, 3.0),
    "ref-dream-gqa": ("dream", 24, 2, 4, 2, 48, 3.5, 3.5),
}


def _weights(gen, family, d, layers, heads, kv, mlp, head_scale, eos_scale, qk_scale=QK_SCALE):
    hd = d // heads
    r = lambda *shape: 0.3 * torch.randn(*shape, generator=gen, dtype=torch.float64)
    rq = lambda *shape: qk_scale * r(*shape)  # sharper, position-dependent attention
    norm = lambda: 1 + 0.2 * torch.randn(d, generator=gen, dtype=torch.float64)
    head = r(VOCAB, d) * head_scale
    head[EOS] *= eos_scale
    head[MASK] = 0  # the mask id should not be predicted (see make_decoder_references.py)
    t = {}
    if family == "llada":
        t["model.transformer.wte.weight"] = r(VOCAB, d) * 3
        t["model.transformer.ln_f.weight"] = norm()
        t["model.transformer.ff_out.weight"] = head
        for i in range(layers):
            b = f"model.transformer.blocks.{i}."
            t[b + "attn_norm.weight"], t[b + "ff_norm.weight"] = norm(), norm()
            t[b + "q_proj.weight"], t[b + "k_proj.weight"] = rq(d, d), rq(kv * hd, d)
            t[b + "v_proj.weight"], t[b + "attn_out.weight"] = r(kv * hd, d), r(d, d)
            t[b + "ff_proj.weight"], t[b + "up_proj.weight"], t[b + "ff_out.weight"] = r(mlp, d), r(mlp, d), r(d, mlp)
    else:
        t["model.embed_tokens.weight"] = r(VOCAB, d) * 3
        t["model.norm.weight"] = norm()
        t["lm_head.weight"] = head
        for i in range(layers):
            b, a = f"model.layers.{i}.", f"model.layers.{i}.self_attn."
            t[b + "input_layernorm.weight"], t[b + "post_attention_layernorm.weight"] = norm(), norm()
            t[a + "q_proj.weight"], t[a + "q_proj.bias"] = rq(d, d), r(d)
            t[a + "k_proj.weight"], t[a + "k_proj.bias"] = rq(kv * hd, d), r(kv * hd)
            t[a + "v_proj.weight"], t[a + "v_proj.bias"] = r(kv * hd, d), r(kv * hd)
            t[a + "o_proj.weight"] = r(d, d)
            t[b + "mlp.gate_proj.weight"], t[b + "mlp.up_proj.weight"] = r(mlp, d), r(mlp, d)
            t[b + "mlp.down_proj.weight"] = r(d, mlp)
    return {k: v.float().contiguous() for k, v in t.items()}


def write_models(root, seed=20261126):
    gen = torch.Generator().manual_seed(seed)
    for name, (family, d, layers, heads, kv, mlp, head_scale, eos_scale) in SPECS.items():
        folder = os.path.join(root, name)
        os.makedirs(folder, exist_ok=True)
        save_file(_weights(gen, family, d, layers, heads, kv, mlp, head_scale, eos_scale),
                  os.path.join(folder, "model.safetensors"), metadata={"format": "pt"})
        if family == "llada":
            config = {"architectures": ["LLaDAModelLM"], "model_type": "llada", "d_model": d, "n_layers": layers,
                      "n_heads": heads, "n_kv_heads": kv, "mlp_hidden_size": mlp, "vocab_size": VOCAB,
                      "embedding_size": VOCAB, "rope_theta": 500000.0, "rms_norm_eps": 1e-5,
                      "max_sequence_length": 128, "weight_tying": False, "mask_token_id": MASK,
                      "eos_token_id": EOS, "pad_token_id": EOS}
            names = {"<|eot_id|>": EOT, "<|endoftext|>": EOS, "<|mdm_mask|>": MASK}
        else:
            config = {"architectures": ["DreamModel"], "model_type": "Dream", "hidden_size": d,
                      "num_hidden_layers": layers, "num_attention_heads": heads, "num_key_value_heads": kv,
                      "intermediate_size": mlp, "vocab_size": VOCAB, "rope_theta": 1000000.0, "rms_norm_eps": 1e-6,
                      "max_position_embeddings": 256, "tie_word_embeddings": False, "mask_token_id": MASK,
                      "pad_token_id": EOS, "eos_token_id": EOS, "bos_token_id": BOS}
            names = {"<|im_end|>": EOT, "<|endoftext|>": EOS, "<|mask|>": MASK}
            with open(os.path.join(folder, "generation_config.json"), "w") as f:
                json.dump({"eos_token_id": [EOS, EOT], "pad_token_id": EOS}, f)
        with open(os.path.join(folder, "config.json"), "w") as f:
            json.dump(config, f, indent=2)
        tokenizer = {"version": "1.0", "added_tokens": [{"id": i, "content": s, "special": True} for s, i in names.items()]}
        with open(os.path.join(folder, "tokenizer.json"), "w") as f:
            json.dump(tokenizer, f, indent=2)


def check_golden(folder, tolerance=1e-4):
    """Max |logit difference| of this forward against the engine fixture's golden cases."""
    model = Model(folder)
    with open(os.path.join(folder, "golden.json")) as f:
        golden = json.load(f)
    worst = 0.0
    for c in golden["cases"]:
        want = torch.tensor(c["logits"], dtype=torch.float64).view(-1, golden["vocabularySize"])
        if c["name"] in ("prefix", "window"):
            build = c["buildTokens"]
            _, fresh = model.forward(build, list(range(len(build))))
            attend = (prefix_attend if c["name"] == "prefix" else window_attend)(fresh, c["cacheStart"])
            got, _ = model.forward(c["tokens"], c["positions"], attend=attend)
        else:
            n = len(c["tokens"])
            mask = torch.tensor(c["mask"], dtype=torch.bool).view(n, n) if "mask" in c else None
            got, _ = model.forward(c["tokens"], c["positions"], mask=mask)
        worst = max(worst, float((got - want).abs().max()))
    if worst > tolerance:
        raise SystemExit(f"{folder}: forward differs from golden.json by {worst:.3e} > {tolerance:g}")
    return worst
