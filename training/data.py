"""Data generation: synthetic instruction tasks (tasks.py) plus World English Bible prose (prose.py).

Everything is driven by one seed. The held-out test suites are drawn first; the
training generator rejects any prompt that appears in a test suite.
"""
import json
import os
import random

from .common import RUNS_DIR, SUITES_DIR, SEED
from .prose import extract_prose
from .long_tasks import (HELD_OUT_EVERY, LONG_GENERATORS, LONG_SCORERS, LONG_TASKS, PROSE_TASK, is_held_out,
                         prose_continuation)
from .tasks import GENERATORS, SCORERS, TASKS

SUITE_SIZE = 200
# Every task a plan may name, in the order the suites are drawn (the first eight are the shipped
# model's; a plan's tasks are drawn in this order, so adding tasks at the end leaves the earlier
# suites and rows as they were). PROSE_TASK has no suite.
ALL_TASKS = TASKS + LONG_TASKS + [PROSE_TASK]
ALL_GENERATORS = dict(GENERATORS, **LONG_GENERATORS)
ALL_SCORERS = dict(SCORERS, **LONG_SCORERS)


def held_out_paragraphs(paras):
    """(train, held-out) prose paragraphs: the last 2% (at least 20) are held out."""
    n_hold = max(20, len(paras) // 50)
    return paras[:-n_hold], paras[-n_hold:]


def suite_items(task, rng):
    """SUITE_SIZE distinct items of `task` drawn from rng; tasks with a held-out split by
    construction (long_tasks.HELD_OUT_EVERY) draw only prompts of that split."""
    gen = ALL_GENERATORS[task]
    items, seen = [], set()
    while len(items) < SUITE_SIZE:
        p, a = gen(rng)
        if p in seen or (task in HELD_OUT_EVERY and not is_held_out(task, p)):
            continue
        seen.add(p)
        items.append({"id": f"{task}-{len(items) + 1:04d}", "task": task, "prompt": p,
                      "answer": a if ALL_SCORERS[task] == "exact" else a.rsplit(" ", 1)[-1].rstrip("."),
                      "scorer": ALL_SCORERS[task]})
    return items


def build(train_per_task, log, tasks=TASKS):
    """Writes the suites of `tasks` and returns (training rows, prose paragraphs). `tasks` keep
    ALL_TASKS order; the default is the shipped model's eight."""
    tasks = [t for t in ALL_TASKS if t in tasks]
    os.makedirs(RUNS_DIR, exist_ok=True)
    os.makedirs(SUITES_DIR, exist_ok=True)
    prose_path = os.path.join(RUNS_DIR, "prose.txt")
    paras = extract_prose(prose_path)
    log(f"prose: {len(paras)} paragraphs, {sum(len(p) for p in paras)} chars from WEB (engWEB2015eb)")

    rng = random.Random(SEED)
    test_prompts = set()
    suited = [t for t in tasks if t != PROSE_TASK]
    for task in suited:
        items = suite_items(task, rng)
        test_prompts |= {it["prompt"] for it in items}
        with open(os.path.join(SUITES_DIR, f"{task}.jsonl"), "w") as f:
            for it in items:
                f.write(json.dumps(it) + "\n")
    log(f"suites: {len(suited)} tasks x {SUITE_SIZE} items written to suites/")

    rng = random.Random(SEED + 1)
    train = []
    for task in tasks:
        gen = prose_continuation(held_out_paragraphs(paras)[0]) if task == PROSE_TASK else ALL_GENERATORS[task]
        n_target = train_per_task[task]
        seen, rows, tries = set(), [], 0
        while len(rows) < n_target and tries < n_target * 20:
            tries += 1
            p, a = gen(rng)
            if p in test_prompts or (task in HELD_OUT_EVERY and is_held_out(task, p)):
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
    if overlap:
        raise SystemExit(f"data: {overlap} training prompts are suite prompts; the held-out split leaks")
    return train, paras


def small_corpus(rows_per_task, paragraphs, tokenizer_path, vocab_size=2048, seed=7, tasks=TASKS):
    """A small slice for the pipeline's checks and benchmarks: generated rows of every task of
    `tasks` (default: the shipped model's eight), the first `paragraphs` paragraphs of
    training/runs/prose.txt (None: all), a tokenizer trained on them and saved to tokenizer_path,
    and the prose as token ids. Returns (rows, tokenizer, prose_ids)."""
    from .tok import train_tokenizer
    rng = random.Random(seed)
    paras = open(os.path.join(RUNS_DIR, "prose.txt"), encoding="utf-8").read().split("\n")[:paragraphs]
    gens = {t: prose_continuation(paras) if t == PROSE_TASK else ALL_GENERATORS[t]
            for t in ALL_TASKS if t in tasks}
    rows = [{"task": t, "prompt": p, "answer": a} for t, g in gens.items()
            for p, a in (g(rng) for _ in range(rows_per_task))]
    tok = train_tokenizer(paras + [r["prompt"] + " " + r["answer"] for r in rows], vocab_size, tokenizer_path)
    return rows, tok, [i for e in tok.encode_batch(paras) for i in e.ids]
