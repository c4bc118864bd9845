"""Data generation: synthetic instruction tasks (tasks.py) plus World English Bible prose (prose.py).

Everything is driven by one seed. The held-out test suites are drawn first; the
training generator rejects any prompt that appears in a test suite.
"""
import json
import os
import random

from .common import RUNS_DIR, SUITES_DIR, SEED
from .prose import extract_prose
from .tasks import GENERATORS, SCORERS, TASKS

SUITE_SIZE = 200


def build(train_per_task, log):
    os.makedirs(RUNS_DIR, exist_ok=True)
    os.makedirs(SUITES_DIR, exist_ok=True)
    prose_path = os.path.join(RUNS_DIR, "prose.txt")
    paras = extract_prose(prose_path)
    log(f"prose: {len(paras)} paragraphs, {sum(len(p) for p in paras)} chars from WEB (engWEB2015eb)")

    rng = random.Random(SEED)
    test_prompts = set()
    for task in TASKS:
        gen = GENERATORS[task]
        items, seen = [], set()
        while len(items) < SUITE_SIZE:
            p, a = gen(rng)
            if p in seen:
                continue
            seen.add(p)
            items.append({"id": f"{task}-{len(items) + 1:04d}", "task": task, "prompt": p,
                          "answer": a if SCORERS[task] == "exact" else a.rsplit(" ", 1)[-1].rstrip("."),
                          "scorer": SCORERS[task]})
        test_prompts |= seen
        with open(os.path.join(SUITES_DIR, f"{task}.jsonl"), "w") as f:
            for it in items:
                f.write(json.dumps(it) + "\n")
    log(f"suites: {len(TASKS)} tasks x {SUITE_SIZE} items written to suites/")

    rng = random.Random(SEED + 1)
    train = []
    for task in TASKS:
        gen = GENERATORS[task]
        n_target = train_per_task[task]
        seen, rows, tries = set(), [], 0
        while len(rows) < n_target and tries < n_target * 20:
            tries += 1
            p, a = gen(rng)
            if p in test_prompts:
                continue
            # small finite spaces (reverse, spell, sort) may repeat; cap repeats at 3 per prompt
            if task in ("reverse", "spell-number"):
                if p in seen and rng.random() < 0.7:
                    continue
            seen.add(p)
            rows.append({"task": task, "prompt": p, "answer": a})
        log(f"train {task}: {len(rows)} samples, {len(seen)} distinct prompts")
        train.extend(rows)
    rng.shuffle(train)
    with open(os.path.join(RUNS_DIR, "train_sft.jsonl"), "w") as f:
        for r in train:
            f.write(json.dumps(r) + "\n")
    overlap = sum(1 for r in train if r["prompt"] in test_prompts)
    log(f"train/test prompt overlap: {overlap}")
    return train, paras


def small_corpus(rows_per_task, paragraphs, tokenizer_path, vocab_size=2048, seed=7):
    """A small slice for the pipeline's checks and benchmarks: generated rows of every task, the
    first `paragraphs` paragraphs of training/runs/prose.txt (None: all), a tokenizer trained on
    them and saved to tokenizer_path, and the prose as token ids. Returns (rows, tokenizer, prose_ids)."""
    from .tok import train_tokenizer
    rng = random.Random(seed)
    rows = [{"task": t, "prompt": p, "answer": a} for t, g in GENERATORS.items()
            for p, a in (g(rng) for _ in range(rows_per_task))]
    paras = open(os.path.join(RUNS_DIR, "prose.txt"), encoding="utf-8").read().split("\n")[:paragraphs]
    tok = train_tokenizer(paras + [r["prompt"] + " " + r["answer"] for r in rows], vocab_size, tokenizer_path)
    return rows, tok, [i for e in tok.encode_batch(paras) for i in e.ids]
