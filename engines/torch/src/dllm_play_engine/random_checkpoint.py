"""`dllm-play-engine random --shape 1b --out DIR`: a LLaDA-architecture checkpoint of random weights
(uniform in ±0.02·√3, as RandomModel.swift draws them) with a byte-level tokenizer whose special
tokens sit at the top of the vocabulary, for benchmarks at real shapes without downloading a model."""
import argparse
import json
import os

import torch
from safetensors.torch import save_file

SHAPES = {
    # d, layers, heads, MLP, vocabulary: the shape of EngineBench.oneBillionShape, and of LLaDA-8B.
    "1b": (2048, 16, 16, 5632, 32000),
    "llada-8b": (4096, 32, 32, 12288, 126464),
}
TOKENIZER = os.path.join(os.path.dirname(__file__), "byte_tokenizer.json")


def write(out, shape, dtype=torch.bfloat16, seed=0, device="cpu"):
    d, layers, heads, mlp, vocab = SHAPES[shape]
    os.makedirs(out, exist_ok=True)
    g = torch.Generator(device=device).manual_seed(seed)
    scale = 0.02 * 3 ** 0.5

    def rand(*size):
        return ((torch.rand(*size, generator=g, device=device) * 2 - 1) * scale).to(dtype).cpu()

    mask, eos, eot = vocab - 1, vocab - 3, vocab - 4
    config = {"architectures": ["LLaDAModelLM"], "model_type": "llada", "d_model": d, "n_layers": layers, "n_heads": heads,
              "n_kv_heads": heads, "mlp_hidden_size": mlp, "vocab_size": vocab, "embedding_size": vocab,
              "rope_theta": 500000.0, "rms_norm_eps": 1e-5, "max_sequence_length": 4096, "weight_tying": False,
              "mask_token_id": mask, "eos_token_id": eos, "pad_token_id": eos}
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    with open(TOKENIZER) as f:
        tokenizer = json.load(f)
    for token, id_ in zip(tokenizer["added_tokens"], (eot, eos, vocab - 2, mask)):
        token["id"] = id_
    with open(os.path.join(out, "tokenizer.json"), "w") as f:
        json.dump(tokenizer, f)
    t = "model.transformer."
    def ones():
        return torch.ones(d, dtype=dtype)
    shard, index, count = {}, {}, 0

    def flush():
        nonlocal shard, count
        if shard:
            count += 1
            name = f"model-{count:05d}.safetensors"
            save_file(shard, os.path.join(out, name))
            index.update({k: name for k in shard})
            shard = {}

    shard[t + "wte.weight"] = rand(vocab, d)
    shard[t + "ff_out.weight"] = rand(vocab, d)
    shard[t + "ln_f.weight"] = ones()
    flush()
    for i in range(layers):
        b = f"{t}blocks.{i}."
        shard.update({b + "attn_norm.weight": ones(), b + "ff_norm.weight": ones(), b + "q_proj.weight": rand(d, d),
                      b + "k_proj.weight": rand(d, d), b + "v_proj.weight": rand(d, d), b + "attn_out.weight": rand(d, d),
                      b + "ff_proj.weight": rand(mlp, d), b + "up_proj.weight": rand(mlp, d), b + "ff_out.weight": rand(d, mlp)})
        flush()
    with open(os.path.join(out, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {}, "weight_map": index}, f, indent=1)
    return out


def main(argv):
    p = argparse.ArgumentParser(prog="dllm-play-engine random", description=__doc__)
    p.add_argument("--shape", choices=sorted(SHAPES), default="1b")
    p.add_argument("--out", required=True, help="folder to write (created)")
    p.add_argument("--dtype", choices=["bf16", "f32"], default="bf16")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--device", default="cpu", help="where to draw the numbers (cuda is faster for llada-8b)")
    args = p.parse_args(argv)
    write(args.out, args.shape, torch.bfloat16 if args.dtype == "bf16" else torch.float32, args.seed, args.device)
    print(f"wrote {args.shape} ({args.dtype}) to {args.out}")
    return 0
