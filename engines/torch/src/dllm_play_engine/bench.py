"""`dllm-play-engine bench --model FOLDER`: the engine's forward passes at decode shapes, in ms —
a prefill of the prompt (L tokens), a dual-cache step (a 32-token window over a cache of L + gen
rows), a whole Fast-dLLM decode (dual cache, threshold 0.9, block 32, gen 256) — and, where the
folder carries its own modeling code and `transformers` is installed, the same full forward
through `transformers` for comparison. Also the bytes one dual-cache step moves over the protocol."""
import argparse
import statistics
import time

import torch

from . import wire
from .cli import DTYPES, make_backend


def median_ms(fn, runs):
    fn()  # warm-up
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def request(tokens, start=0, cache=wire.CACHE_NONE, a=0, b=0, rows=None):
    t = torch.tensor(tokens)
    return wire.Request(t, torch.arange(start, start + len(tokens)), cache, a, b, None, rows)


def fast_dllm_decode(model, prompt, gen, block, threshold=0.9):
    """Fast-dLLM with DualCache (decoders.md §3): per block one build pass over the canvas, then
    window passes over the block; commit every masked position whose confidence passes the
    threshold, at least the most confident one. Returns the number of forwards."""
    mask = model.special.mask
    canvas = list(prompt) + [mask] * gen
    L, nfe = len(prompt), 0
    for start in range(L, L + gen, block):
        rows = list(range(start, start + block))
        logits, _ = model.forward(request(canvas, cache=wire.CACHE_BUILD, rows=rows))
        nfe += 1
        while True:
            probs = torch.softmax(logits.float(), -1)
            confidence, token = probs.max(-1)
            masked = [i for i, p in enumerate(rows) if canvas[p] == mask]
            if not masked:
                break
            chosen = [i for i in masked if confidence[i] >= threshold] or [max(masked, key=lambda i: confidence[i])]
            for i in chosen:
                canvas[rows[i]] = int(token[i])
            if all(canvas[p] != mask for p in rows):
                break
            logits, _ = model.forward(request(canvas[start:start + block], start, wire.CACHE_WINDOW, start, start + block,
                                              rows=list(range(block))))
            nfe += 1
    return nfe


def main(argv):
    p = argparse.ArgumentParser(prog="dllm-play-engine bench", description=__doc__)
    from .cli import add_model_options
    add_model_options(p)
    p.add_argument("--prompt-length", type=int, default=300)
    p.add_argument("--block", type=int, default=32)
    p.add_argument("--gen-length", type=int, default=256)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--no-decode", action="store_true", help="skip the whole Fast-dLLM decode")
    p.add_argument("--transformers", action="store_true",
                   help="also time the full forward through transformers (needs the folder's modeling code)")
    args = p.parse_args(argv)
    args.backend = "own"
    backend, failure = make_backend(args)
    if failure:
        print(f"cannot load {args.model}: {failure}")
        return 2
    model, d = backend.model, backend.descriptor
    c = model.config
    L, G, B = args.prompt_length, args.gen_length, args.block
    print(f"{d.name}: {d.engine}; d {c.hidden}, {c.layers} layers, MLP {c.intermediate}, vocabulary {c.vocabulary}; "
          f"torch threads {torch.get_num_threads()}; median of {args.runs} after a warm-up")
    g = torch.Generator().manual_seed(0)
    prompt = torch.randint(0, max(c.vocabulary - 8, 1), (L,), generator=g).tolist()
    canvas = prompt + [d.mask_id] * G
    tail = list(range(L - B, L))
    rows = []
    rows.append((f"prefill L={L} (logits {B} rows)", median_ms(lambda: model.forward(request(prompt, rows=tail)), args.runs)))
    full = list(range(L, L + B))
    rows.append((f"full forward L+gen={L + G} ({B} rows)",
                 median_ms(lambda: model.forward(request(canvas, rows=full)), args.runs)))
    rows.append((f"dual-cache build {L + G}",
                 median_ms(lambda: model.forward(request(canvas, cache=wire.CACHE_BUILD, rows=full)), args.runs)))
    window = canvas[L:L + B]
    rows.append((f"dual-cache step block {B}", median_ms(
        lambda: model.forward(request(window, L, wire.CACHE_WINDOW, L, L + B, rows=list(range(B)))), args.runs)))
    if not args.no_decode:
        start = time.perf_counter()
        nfe = fast_dllm_decode(model, prompt, G, B)
        rows.append((f"Fast-dLLM decode gen {G} ({nfe} NFE)", (time.perf_counter() - start) * 1e3))
    if args.transformers:
        try:
            from .backends import TransformersBackend
            hf = TransformersBackend(args.model, device=args.device, dtype=DTYPES[args.dtype] if args.dtype else None,
                                     device_map=args.device_map)
            rows.append((f"transformers full forward {L + G}",
                         median_ms(lambda: hf.forward(request(canvas, rows=full)), args.runs)))
        except Exception as error:  # noqa: BLE001 - reported, not fatal to the bench
            print(f"(transformers comparison skipped: {error})")
    width = max(len(r[0]) for r in rows) + 2
    for name, ms in rows:
        print(f"  {name:<{width}} {ms:10.1f} ms")
    step = (24 + 12 * B) + 35 + B * c.vocabulary * 2  # FORWARD frame, LOGITS header, logits (docs/engine-protocol.md)
    print(f"  bytes per dual-cache step over the protocol (f16 logits): {step:,} "
          f"({B} rows x {c.vocabulary} x 2 + {step - B * c.vocabulary * 2} of frame and ids)")
    return 0
