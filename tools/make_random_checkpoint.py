#!/usr/bin/env python3
"""Writes a random LLaDA-shaped bf16 checkpoint (config.json + model.safetensors) for the precision
benchmarks, tensor by tensor in chunks so that an 8B file (16 GB) never sits in memory whole.
Timing only: weights are uniform in ±0.02·√3 (norms 1), the token ids meaningless. The values
are drawn once into a pool of 2^27 bf16 numbers that every tensor reads from a different offset,
so writing 16 GB costs disk time, not hours of random number generation on a busy machine.

    /work/venv-native-gemm/bin/python tools/make_random_checkpoint.py --shape 1b --out .build/random-llada-1b-bf16
    /work/venv-native-gemm/bin/python tools/make_random_checkpoint.py --shape 8b --out .build/random-llada-8b-bf16

Output goes under .build/ (never committed). Needs torch only (no numpy, no safetensors package).
"""
import argparse
import ctypes
import json
import math
import os

import torch

SHAPES = {
    # d, layers, heads, kv heads, MLP, vocabulary — LLaDA-8B-Base's config, and the 1B shape of `bench --engine`.
    "8b": (4096, 32, 32, 32, 12288, 126464),
    "1b": (2048, 16, 16, 16, 5632, 32000),
}
POOL = 1 << 27  # random bf16 values drawn once (256 MiB)
CHUNK = 1 << 26  # elements written at once (128 MiB of bf16)


def tensors(d, layers, heads, kv_heads, mlp, vocab):
    kv = d // heads * kv_heads
    yield "model.transformer.wte.weight", [vocab, d]
    for i in range(layers):
        p = f"model.transformer.blocks.{i}."
        yield p + "attn_norm.weight", [d]
        yield p + "q_proj.weight", [d, d]
        yield p + "k_proj.weight", [kv, d]
        yield p + "v_proj.weight", [kv, d]
        yield p + "attn_out.weight", [d, d]
        yield p + "ff_norm.weight", [d]
        yield p + "ff_proj.weight", [mlp, d]
        yield p + "up_proj.weight", [mlp, d]
        yield p + "ff_out.weight", [d, mlp]
    yield "model.transformer.ln_f.weight", [d]
    yield "model.transformer.ff_out.weight", [vocab, d]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--shape", choices=sorted(SHAPES), default="1b")
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    d, layers, heads, kv_heads, mlp, vocab = SHAPES[args.shape]
    os.makedirs(args.out, exist_ok=True)
    entries, offset = {}, 0
    names = list(tensors(d, layers, heads, kv_heads, mlp, vocab))
    for name, shape in names:
        size = math.prod(shape) * 2
        entries[name] = {"dtype": "BF16", "shape": shape, "data_offsets": [offset, offset + size]}
        offset += size
    header = json.dumps(entries, separators=(",", ":"))
    header += " " * ((-(8 + len(header))) % 64)  # data section 64-byte aligned
    generator = torch.Generator().manual_seed(args.seed)
    scale = 0.02 * math.sqrt(3)
    pool = ((torch.rand(POOL, generator=generator) * 2 - 1) * scale).to(torch.bfloat16)
    cursor = 0
    path = os.path.join(args.out, "model.safetensors")
    with open(path + ".partial", "wb") as f:
        f.write(len(header).to_bytes(8, "little"))
        f.write(header.encode())
        for name, shape in names:
            count = math.prod(shape)
            if name.endswith("norm.weight") or name.endswith("ln_f.weight"):
                chunk = torch.ones(count, dtype=torch.bfloat16)
                f.write(ctypes.string_at(chunk.data_ptr(), chunk.nbytes))
                continue
            remaining = count
            while remaining:
                n = min(remaining, POOL - cursor, CHUNK)
                chunk = pool[cursor:cursor + n]
                f.write(ctypes.string_at(chunk.data_ptr(), chunk.nbytes))
                remaining -= n
                cursor = (cursor + n) % POOL
            cursor = (cursor + 7919) % POOL  # the next tensor starts elsewhere in the pool
    os.replace(path + ".partial", path)
    config = {"architectures": ["LLaDAModelLM"], "model_type": "llada", "d_model": d, "n_layers": layers,
              "n_heads": heads, "n_kv_heads": kv_heads, "mlp_hidden_size": mlp, "vocab_size": vocab,
              "embedding_size": vocab, "rope_theta": 500000.0, "rms_norm_eps": 1e-05, "max_sequence_length": 4096,
              "weight_tying": False, "mask_token_id": vocab - 1, "eos_token_id": vocab - 2, "pad_token_id": vocab - 2}
    with open(os.path.join(args.out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    print(f"{args.out}: {sum(math.prod(s) for _, s in names) / 1e9:.2f} B parameters, {offset / 2**30:.1f} GiB of bf16")


if __name__ == "__main__":
    main()
