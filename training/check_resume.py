"""Checks that a stopped and continued training run gives the same weights as an uninterrupted one.

  python -m training.check_resume        # about a minute on 2 cores; needs training/runs/prose.txt

Uses a small slice of generated data and the real Batcher/train loop: run A trains 24 steps in
one go; run B stops after its first segment (a near-zero segment length) and is continued by the
same call until done. Every parameter must match exactly.
"""
import dataclasses
import os
import shutil
import tempfile

import torch
from tokenizers import Tokenizer

from . import data
from .model import Config
from .pipeline import MODEL_CFG
from .plans import PLANS
from .train import plan_of, train

STEPS = 24


def main():
    work = tempfile.mkdtemp(prefix="check-resume-")
    try:
        rows, _, prose = data.small_corpus(200, 200, os.path.join(work, "tokenizer.json"))
        tok = Tokenizer.from_file(os.path.join(work, "tokenizer.json"))
        cfg = Config(**dict(MODEL_CFG, vocab_size=2048, d_model=64, n_layers=2, n_heads=4, mlp_hidden_size=128))
        # the large plan, so that continuation rows are in the checked stream too
        plan = plan_of(cfg, dataclasses.replace(PLANS["large"], steps=STEPS, batch_size=8, peak_lr=1e-3, warmup=4),
                       1234, bf16=True)
        quiet = lambda msg: None
        runs = {}
        for name, segment in (("straight", None), ("stopped", 1e-4)):
            run_dir = os.path.join(work, name)
            os.makedirs(run_dir)
            segments = 0
            while True:
                model, done, _, _, finished = train(cfg, tok, rows, prose, run_dir, quiet, plan, threads=1,
                                                    stop_after_minutes=segment)
                segments += 1
                if finished:
                    break
            runs[name] = (model.state_dict(), segments)
        (a, na), (b, nb) = runs["straight"], runs["stopped"]
        assert na == 1 and nb > 2, (na, nb)
        bad = [k for k in a if not torch.equal(a[k], b[k])]
        if bad:
            raise SystemExit(f"FAIL: {len(bad)} tensors differ after resuming ({', '.join(bad[:3])} ...)")
        print(f"ok: {STEPS} steps in {nb} segments give bit-identical weights to one uninterrupted run")
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
