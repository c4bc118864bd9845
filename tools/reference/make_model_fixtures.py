#!/usr/bin/env python3
"""Writes tiny random checkpoints of both model families and golden logits for the Swift engine.

Run by hand, never in CI:
    python3 -m venv /work/venv-ref
    /work/venv-ref/bin/pip install torch==2.13.0+cpu transformers safetensors numpy
    /work/venv-ref/bin/python tools/reference/make_model_fixtures.py Tests/Fixtures/modeling

The checkpoints are saved in the HF layout with each family's own config keys and tensor names.
The golden logits come from an independent implementation, HF `transformers`: LlamaForCausalLM
(LLaDA weights renamed to Llama names) and Qwen2ForCausalLM (Dream), run in float64 with an
explicit 4-D additive attention mask, which replaces the causal mask:
  - full:   all zeros, i.e. bidirectional (checked: changing the last token changes row 0);
  - masked: a given boolean mask;
  - prefix / window (the KV-cache calls) as one pass over [build tokens] ++ [step tokens] whose
    mask keeps the build rows among themselves (so their K/V are those of the build pass) and lets
    the step rows see exactly the keys the cache call gives them.
Dream logits get the one-position shift, slice-locally: row 0 keeps its own output.
"""
import json
import os
import sys

import numpy as np
import torch
from safetensors.torch import save_file
from transformers import LlamaConfig, LlamaForCausalLM, Qwen2Config, Qwen2ForCausalLM

torch.set_num_threads(2)
VOCAB = 97
SPECIAL = {"<|eot_id|>": 93, "<|im_end|>": 93, "<|endoftext|>": 94, "<|mdm_mask|>": 96, "<|mask|>": 96}


def llada_hf_names(i):
    """LLaDA block tensor suffix -> Llama name, for layer i."""
    return {
        "attn_norm": f"model.layers.{i}.input_layernorm", "q_proj": f"model.layers.{i}.self_attn.q_proj",
        "k_proj": f"model.layers.{i}.self_attn.k_proj", "v_proj": f"model.layers.{i}.self_attn.v_proj",
        "attn_out": f"model.layers.{i}.self_attn.o_proj", "ff_norm": f"model.layers.{i}.post_attention_layernorm",
        "ff_proj": f"model.layers.{i}.mlp.gate_proj", "up_proj": f"model.layers.{i}.mlp.up_proj",
        "ff_out": f"model.layers.{i}.mlp.down_proj",
    }


def randomise(model, gen):
    """Random weights large enough that logits differ visibly; norms scattered around 1."""
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name:
                p.copy_(1 + 0.3 * torch.randn(p.shape, generator=gen, dtype=torch.float64))
            else:
                p.copy_(0.25 * torch.randn(p.shape, generator=gen, dtype=torch.float64))


def additive(mask_bool):
    """[q, k] bool -> [1, 1, q, k] float64 additive mask."""
    m = torch.zeros(mask_bool.shape, dtype=torch.float64)
    m[~mask_bool] = torch.finfo(torch.float64).min
    return m[None, None]


def run(model, tokens, positions, mask_bool):
    with torch.no_grad():
        out = model(input_ids=torch.tensor([tokens]), position_ids=torch.tensor([positions]),
                    attention_mask=additive(mask_bool), use_cache=False)
    return out.logits[0].double()


def shift(logits, family):
    if family != "dream":
        return logits
    return torch.cat([logits[:1], logits[:-1]], dim=0)


def cases(model, family, gen):
    """Golden cases: full, full at offset positions, masked, prefix-cache step, dual-cache step."""
    out = []
    n = 16
    tokens = torch.randint(0, VOCAB, (n,), generator=gen).tolist()
    positions = list(range(n))
    full = run(model, tokens, positions, torch.ones(n, n, dtype=torch.bool))
    # Bidirectional check: a change to the last token must reach row 0.
    changed = list(tokens)
    changed[-1] = (changed[-1] + 1) % VOCAB
    other = run(model, changed, positions, torch.ones(n, n, dtype=torch.bool))
    assert (other[0] - full[0]).abs().max() > 1e-6, "attention is not bidirectional"
    out.append({"name": "full", "tokens": tokens, "positions": positions, "logits": flat(shift(full, family))})

    offset = [p + 7 for p in positions[:11]]
    logits = run(model, tokens[:11], offset, torch.ones(11, 11, dtype=torch.bool))
    out.append({"name": "offset-positions", "tokens": tokens[:11], "positions": offset,
                "logits": flat(shift(logits, family))})

    mask = torch.rand(12, 12, generator=gen) < 0.6
    mask |= torch.eye(12, dtype=torch.bool)
    logits = run(model, tokens[:12], positions[:12], mask)
    unmasked = run(model, tokens[:12], positions[:12], torch.ones(12, 12, dtype=torch.bool))
    assert (logits - unmasked).abs().max() > 1e-6, "the 4-D mask was ignored"
    out.append({"name": "masked", "tokens": tokens[:12], "positions": positions[:12],
                "mask": [int(b) for b in mask.flatten().tolist()], "logits": flat(shift(logits, family))})

    # Cache steps: build over `tokens` (16 rows), then a step of 4 fresh tokens at positions 10..13.
    step = torch.randint(0, VOCAB, (4,), generator=gen).tolist()
    step_positions = list(range(10, 14))
    seq = tokens + step
    seq_positions = positions + step_positions
    total = n + 4
    for kind in ("prefix", "window"):
        mask = torch.zeros(total, total, dtype=torch.bool)
        mask[:n, :n] = True
        mask[n:, n:] = True
        mask[n:, :10] = True
        if kind == "window":
            mask[n:, 14:n] = True  # the cached rows after the window
        both = run(model, seq, seq_positions, mask)
        assert (both[:n] - full).abs().max() < 1e-9, "build rows must not see the step rows"
        logits = both[n:]
        out.append({"name": kind, "buildTokens": tokens, "tokens": step, "positions": step_positions,
                    "cacheStart": 10, "logits": flat(shift(logits, family))})
    out.append({"name": "build", "tokens": tokens, "positions": positions, "logits": flat(shift(full, family))})
    return out


def flat(t):
    return [float(f"{v:.9g}") for v in t.flatten().tolist()]


def write_common(folder, config, family):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    names = ["<|eot_id|>", "<|endoftext|>", "<|mdm_mask|>"] if family == "llada" else ["<|im_end|>", "<|endoftext|>", "<|mask|>"]
    tokenizer = {"version": "1.0", "added_tokens": [{"id": SPECIAL[s], "content": s, "special": True} for s in names]}
    with open(os.path.join(folder, "tokenizer.json"), "w") as f:
        json.dump(tokenizer, f, indent=2)


def make_llada(root, gen):
    d, layers, heads, mlp = 48, 2, 4, 80  # head_dim 12
    hf = LlamaConfig(vocab_size=VOCAB, hidden_size=d, intermediate_size=mlp, num_hidden_layers=layers,
                     num_attention_heads=heads, num_key_value_heads=heads, rms_norm_eps=1e-5, rope_theta=500000.0,
                     max_position_embeddings=128, tie_word_embeddings=False, attention_bias=False,
                     attn_implementation="eager")
    model = LlamaForCausalLM(hf).double().eval()
    randomise(model, gen)
    sd = model.state_dict()
    tensors = {"model.transformer.wte.weight": sd["model.embed_tokens.weight"],
               "model.transformer.ln_f.weight": sd["model.norm.weight"],
               "model.transformer.ff_out.weight": sd["lm_head.weight"]}
    for i in range(layers):
        for llada, llama in llada_hf_names(i).items():
            tensors[f"model.transformer.blocks.{i}.{llada}.weight"] = sd[llama + ".weight"]
    config = {"architectures": ["LLaDAModelLM"], "model_type": "llada", "d_model": d, "n_layers": layers,
              "n_heads": heads, "n_kv_heads": heads, "mlp_hidden_size": mlp, "vocab_size": VOCAB,
              "embedding_size": VOCAB, "rope_theta": 500000.0, "rms_norm_eps": 1e-5, "max_sequence_length": 128,
              "weight_tying": False, "mask_token_id": 96, "eos_token_id": 94, "pad_token_id": 94}

    folder = os.path.join(root, "llada-tiny")
    write_common(folder, config, "llada")
    save_file({k: v.float().contiguous() for k, v in tensors.items()}, os.path.join(folder, "model.safetensors"))
    with torch.no_grad():  # golden logits from exactly the f32 weights saved
        for p in model.parameters():
            p.copy_(p.float().double())
    write_golden(folder, cases(model, "llada", gen))

    # The same model in bf16, in two shards with an index; golden from the bf16-rounded weights.
    folder = os.path.join(root, "llada-tiny-bf16")
    write_common(folder, config, "llada")
    names = sorted(tensors)
    shards = {"model-00001-of-00002.safetensors": names[: len(names) // 2],
              "model-00002-of-00002.safetensors": names[len(names) // 2:]}
    for shard, keys in shards.items():
        save_file({k: tensors[k].bfloat16().contiguous() for k in keys}, os.path.join(folder, shard))
    with open(os.path.join(folder, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {}, "weight_map": {k: s for s, ks in shards.items() for k in ks}}, f, indent=2)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.bfloat16().double())
    write_golden(folder, cases(model, "llada", gen))


def make_dream(root, gen):
    d, layers, heads, kv_heads, mlp = 48, 2, 6, 2, 72  # head_dim 8, GQA 3:1
    hf = Qwen2Config(vocab_size=VOCAB, hidden_size=d, intermediate_size=mlp, num_hidden_layers=layers,
                     num_attention_heads=heads, num_key_value_heads=kv_heads, rms_norm_eps=1e-6,
                     rope_theta=1000000.0, max_position_embeddings=256, tie_word_embeddings=False,
                     attn_implementation="eager")
    model = Qwen2ForCausalLM(hf).double().eval()
    randomise(model, gen)
    tensors = {k: v.float().contiguous() for k, v in model.state_dict().items() if "rotary_emb" not in k}
    config = {"architectures": ["DreamModel"], "model_type": "Dream", "hidden_size": d, "num_hidden_layers": layers,
              "num_attention_heads": heads, "num_key_value_heads": kv_heads, "intermediate_size": mlp,
              "vocab_size": VOCAB, "rope_theta": 1000000.0, "rms_norm_eps": 1e-6, "max_position_embeddings": 256,
              "tie_word_embeddings": False, "mask_token_id": 96, "pad_token_id": 94, "eos_token_id": 94,
              "bos_token_id": 95}
    folder = os.path.join(root, "dream-tiny")
    write_common(folder, config, "dream")
    save_file(tensors, os.path.join(folder, "model.safetensors"))
    with open(os.path.join(folder, "generation_config.json"), "w") as f:
        json.dump({"eos_token_id": [94, 93], "pad_token_id": 94}, f)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.float().double())
    write_golden(folder, cases(model, "dream", gen))


def write_golden(folder, golden_cases):
    with open(os.path.join(folder, "golden.json"), "w") as f:
        json.dump({"vocabularySize": VOCAB, "cases": golden_cases}, f, separators=(",", ":"))


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "Tests/Fixtures/modeling"
    gen = torch.Generator().manual_seed(20261123)
    make_llada(root, gen)
    make_dream(root, gen)
    print("wrote", root)


if __name__ == "__main__":
    main()
