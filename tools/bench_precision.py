#!/usr/bin/env python3
"""PyTorch's side of `dllm-play bench --precision` (CPU; as many threads as dllm-play: the cores this
process may run on, so `taskset -c 0,1` gives both 2): the same LLaDA forward written
directly in torch (embedding, RMSNorm, Q/K/V, RoPE, bidirectional SDPA, SwiGLU MLP, LM head; logits
for every row), so it needs no transformers install.

- bf16 forward at L = 288 on the checkpoint folder given (as written by make_random_checkpoint.py,
  mapped from disk, so an 8B file does not have to fit in RAM twice), or on random 1B-shaped
  weights generated in memory;
- f32 forward of the embedded shape (d 256, 4 layers, MLP 1024, vocabulary 1024) at L = 128, 512.

    /work/venv-native-gemm/bin/python tools/bench_precision.py [--checkpoint DIR] [--runs 3]
"""
import argparse
import json
import math
import os
import statistics
import time

import torch
import torch.nn.functional as F


class Model:
    def __init__(self, config, tensors):
        self.c = config
        self.t = tensors
        d, heads = config["d_model"], config["n_heads"]
        self.head_dim = d // heads
        half = self.head_dim // 2
        inv = 1.0 / (config["rope_theta"] ** (torch.arange(half, dtype=torch.float64) * 2 / self.head_dim))
        self.inv_freq = inv

    def rope(self, x, cos, sin):
        # x [heads, n, head_dim]; halves rotated (Llama / Qwen2 layout); cos, sin [n, head_dim / 2].
        half = self.head_dim // 2
        x1, x2 = x[..., :half], x[..., half:]
        return torch.cat([x1 * cos - x2 * sin, x2 * cos + x1 * sin], dim=-1)

    def norm(self, x, w):
        variance = x.float().pow(2).mean(-1, keepdim=True)
        return (x.float() * torch.rsqrt(variance + self.c["rms_norm_eps"])).to(x.dtype) * w

    def forward(self, ids):
        c, t = self.c, self.t
        n, heads, kv_heads = ids.shape[0], c["n_heads"], c["n_kv_heads"]
        angles = torch.arange(n)[:, None].double() * self.inv_freq[None]
        x = t["model.transformer.wte.weight"][ids]
        cos, sin = angles.cos().to(x.dtype), angles.sin().to(x.dtype)
        for i in range(c["n_layers"]):
            p = f"model.transformer.blocks.{i}."
            h = self.norm(x, t[p + "attn_norm.weight"])
            q = F.linear(h, t[p + "q_proj.weight"]).view(n, heads, -1).transpose(0, 1)
            k = F.linear(h, t[p + "k_proj.weight"]).view(n, kv_heads, -1).transpose(0, 1)
            v = F.linear(h, t[p + "v_proj.weight"]).view(n, kv_heads, -1).transpose(0, 1)
            q, k = self.rope(q, cos, sin), self.rope(k, cos, sin)
            a = F.scaled_dot_product_attention(q[None], k[None], v[None], is_causal=False)[0]
            x = x + F.linear(a.transpose(0, 1).reshape(n, -1), t[p + "attn_out.weight"])
            h = self.norm(x, t[p + "ff_norm.weight"])
            x = x + F.linear(F.silu(F.linear(h, t[p + "ff_proj.weight"])) * F.linear(h, t[p + "up_proj.weight"]),
                             t[p + "ff_out.weight"])
        return F.linear(self.norm(x, t["model.transformer.ln_f.weight"]), t["model.transformer.ff_out.weight"])


def mapped(folder):
    """Tensors of a bf16 safetensors checkpoint (one file, or shards named by
    model.safetensors.index.json), as views of private file mappings."""
    config = json.load(open(os.path.join(folder, "config.json")))
    index = os.path.join(folder, "model.safetensors.index.json")
    if os.path.exists(index):
        files = sorted(set(json.load(open(index))["weight_map"].values()))
    else:
        files = ["model.safetensors"]
    tensors = {}
    for file in files:
        path = os.path.join(folder, file)
        size = os.path.getsize(path)
        with open(path, "rb") as f:
            length = int.from_bytes(f.read(8), "little")
            header = json.loads(f.read(length))
        storage = torch.UntypedStorage.from_file(path, shared=False, nbytes=size)
        base = 8 + length
        for name, entry in header.items():
            if name == "__metadata__":
                continue
            if entry["dtype"] != "BF16":
                raise SystemExit(f"{path}: tensor {name} is {entry['dtype']}, expected BF16 (hint: write the "
                                 "checkpoint with tools/make_random_checkpoint.py)")
            begin, _ = entry["data_offsets"]
            if (base + begin) % 2:
                raise SystemExit(f"{path}: tensor {name} starts at an odd byte offset; bf16 views need 2-byte alignment")
            tensor = torch.empty(0, dtype=torch.bfloat16)
            tensor.set_(storage, (base + begin) // 2, entry["shape"])
            tensors[name] = tensor
    return config, tensors


def random_model(d, layers, heads, mlp, vocab, dtype):
    g = torch.Generator().manual_seed(1)
    rand = lambda *shape: ((torch.rand(*shape, generator=g) * 2 - 1) * 0.02 * math.sqrt(3)).to(dtype)
    t = {"model.transformer.wte.weight": rand(vocab, d), "model.transformer.ff_out.weight": rand(vocab, d),
         "model.transformer.ln_f.weight": torch.ones(d, dtype=dtype)}
    for i in range(layers):
        p = f"model.transformer.blocks.{i}."
        for name, shape in [("q_proj", (d, d)), ("k_proj", (d, d)), ("v_proj", (d, d)), ("attn_out", (d, d)),
                            ("ff_proj", (mlp, d)), ("up_proj", (mlp, d)), ("ff_out", (d, mlp))]:
            t[p + name + ".weight"] = rand(*shape)
        t[p + "attn_norm.weight"] = torch.ones(d, dtype=dtype)
        t[p + "ff_norm.weight"] = torch.ones(d, dtype=dtype)
    config = {"d_model": d, "n_layers": layers, "n_heads": heads, "n_kv_heads": heads, "mlp_hidden_size": mlp,
              "vocab_size": vocab, "rope_theta": 500000.0, "rms_norm_eps": 1e-5}
    return config, t


def median_ms(fn, runs):
    """Median wall ms, and process CPU seconds per pass (warm-up included), as dllm-play reports."""
    cpu_start = time.process_time()
    fn()  # warm-up (and page-in of a mapped checkpoint)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3, (time.process_time() - cpu_start) / (runs + 1)


def bench(label, model, length, runs):
    ids = torch.randint(0, model.c["vocab_size"], (length,), generator=torch.Generator().manual_seed(3))
    with torch.inference_mode():
        ms, cpu = median_ms(lambda: model.forward(ids), runs)
    print(f"{label:>40} {'full L=' + str(length):>12} {ms:10.1f} ms {cpu:8.2f} CPU s/pass", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkpoint", help="bf16 checkpoint folder (make_random_checkpoint.py)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-random", action="store_true", help="no random 1B bf16 model when no --checkpoint")
    parser.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)),
                        help="torch threads (default: the cores this process may run on, as dllm-play)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, median of {args.runs} runs;"
          f" load average {' '.join(open('/proc/loadavg').read().split()[:3])}")
    if args.checkpoint:
        config, tensors = mapped(args.checkpoint)
        bench(f"bf16 {os.path.basename(args.checkpoint.rstrip('/'))}", Model(config, tensors), 288, args.runs)
        del tensors
    elif not args.skip_random:
        config, tensors = random_model(2048, 16, 16, 5632, 32000, torch.bfloat16)
        bench("bf16 random-llada-1b", Model(config, tensors), 288, args.runs)
        del tensors
    config, tensors = random_model(256, 4, 4, 1024, 1024, torch.float32)
    for length in (128, 512):
        bench("f32 random-mini (d 256, 4 layers)", Model(config, tensors), length, args.runs)


if __name__ == "__main__":
    main()
