"""Seconds per training step of the pipeline's model at several batch sizes, on this device.

  python -m training.bench_step [--batch-sizes 256,512,1024] [--seconds 20] [--device auto] [--plan shipped]

The plan picks the model shape, the mixture, the canvas and the LR (--plan v2: the 27.8 M model
with 256-token canvases).

Sizes a step plan before a run: it trains the real loop (Batcher, loss, AdamW) on a small slice
of generated data for a few seconds per batch size and prints the mean step time of the last
logged windows and the sequences per second. Needs training/runs/prose.txt (a first pipeline run
writes it). Nothing is written outside a temporary folder.
"""
import argparse
import dataclasses
import os
import shutil
import tempfile

import torch

from . import data
from .model import Config
from .plans import PLANS
from .train import plan_of, train


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch-sizes", default="256,512,1024")
    ap.add_argument("--seconds", type=float, default=20.0, help="training time per batch size")
    ap.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--plan", default="shipped", choices=sorted(PLANS), help="whose LR, warmup and mixture to run")
    a = ap.parse_args()
    device = ("cuda" if torch.cuda.is_available() else "cpu") if a.device == "auto" else a.device
    work = tempfile.mkdtemp(prefix="bench-step-")
    try:
        cfg = Config(**PLANS[a.plan].model_config())
        rows, tok, prose = data.small_corpus(3000, None, os.path.join(work, "tokenizer.json"),
                                             cfg.vocab_size, tasks=list(PLANS[a.plan].task_weights))
        print(f"device {device}" + (f" ({torch.cuda.get_device_name()})" if device == "cuda" else ""))
        for batch in (int(b) for b in a.batch_sizes.split(",")):
            run_dir = os.path.join(work, f"b{batch}")
            os.makedirs(run_dir)
            lines = []
            plan = plan_of(cfg, dataclasses.replace(PLANS[a.plan], steps=1_000_000, batch_size=batch), 1234, True, device)
            train(cfg, tok, rows, prose, run_dir, lines.append, plan, threads=a.threads,
                  stop_after_minutes=a.seconds / 60)
            windows = [float(l.split("step_s=")[1]) for l in lines if " step_s=" in l][1:]  # first has warm-up
            if not windows:
                print(f"batch {batch:5d}: fewer than two 50-step windows in {a.seconds:.0f} s; raise --seconds")
                continue
            step_s = sum(windows) / len(windows)
            print(f"batch {batch:5d}: {step_s * 1000:7.1f} ms/step  {batch / step_s:9.0f} sequences/s  "
                  f"({len(windows)} windows of 50 steps)")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
