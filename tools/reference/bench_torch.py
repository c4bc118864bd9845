#!/usr/bin/env python3
"""Times the shapes of `dllm-play bench --engine` in PyTorch on the CPU (2 threads, fp32), as the
peer figure to compare against. Run by hand (see make_model_fixtures.py for the venv):
    /work/venv-ref/bin/python tools/reference/bench_torch.py [--runs 5] [--embedded Models/llada-mini]

Each model is an HF LlamaForCausalLM with random weights and a full bidirectional 4-D mask (the
LLaDA architecture). "full L" is one pass over L tokens with logits for every row; "step 32 of
288" is 32 fresh tokens attending to 256 cached rows plus themselves (the cost of a dual-cache
window step: the same matmuls, the same 288 keys).
"""
import argparse
import json
import os
import statistics
import time

import torch
from transformers import DynamicCache, LlamaConfig, LlamaForCausalLM

torch.set_num_threads(2)


def make(d, layers, heads, mlp, vocab):
    config = LlamaConfig(vocab_size=vocab, hidden_size=d, intermediate_size=mlp, num_hidden_layers=layers,
                         num_attention_heads=heads, num_key_value_heads=heads, max_position_embeddings=4096,
                         rope_theta=500000.0, tie_word_embeddings=False, attn_implementation="sdpa")
    torch.manual_seed(1)
    return LlamaForCausalLM(config).float().eval()


def median_ms(fn, runs):
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def bench(name, model, runs):
    vocab = model.config.vocab_size
    print(f"\n{name}: {sum(p.numel() for p in model.parameters()) / 1e6:.0f} M parameters")
    zeros = lambda q, k: torch.zeros(1, 1, q, k)
    with torch.no_grad():
        for length in (64, 256, 512, 288):
            ids = torch.randint(0, vocab, (1, length))
            pos = torch.arange(length)[None]
            ms = median_ms(lambda: model(input_ids=ids, position_ids=pos, attention_mask=zeros(length, length),
                                         use_cache=False), runs)
            print(f"{'full L=' + str(length):>26}{ms:10.1f}")
        ids = torch.randint(0, vocab, (1, 288))
        cache = DynamicCache()
        model(input_ids=ids[:, :256], position_ids=torch.arange(256)[None], attention_mask=zeros(256, 256),
              past_key_values=cache, use_cache=True)

        def step():
            model(input_ids=ids[:, 256:], position_ids=torch.arange(256, 288)[None], attention_mask=zeros(32, 288),
                  past_key_values=cache, use_cache=True)
            try:
                cache.crop(-32)  # transformers 5: a negative count removes that many rows
            except ValueError:
                cache.crop(256)

        print(f"{'step 32 of 288':>26}{median_ms(step, runs):10.1f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--embedded", default="Models/llada-mini")
    args = parser.parse_args()
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, fp32, median of {args.runs} runs (ms)")
    config_path = os.path.join(args.embedded, "config.json")
    if os.path.exists(config_path):
        c = json.load(open(config_path))
        bench("embedded " + os.path.basename(args.embedded.rstrip("/")),
              make(c["d_model"], c["n_layers"], c["n_heads"], c["mlp_hidden_size"], c.get("embedding_size", c["vocab_size"])),
              args.runs)
    else:
        print(f"\n(no embedded model at {args.embedded}: skipped)")
    bench("random-mini (d 256, 4 layers)", make(256, 4, 4, 1024, 1024), args.runs)
    bench("random-llada-1b", make(2048, 16, 16, 5632, 32000), args.runs)


if __name__ == "__main__":
    main()
