"""Checks the held-out splits of the generated tasks and that suites/ is what data.py writes.

  python -m training.check_splits [--draws 20000]

- The committed suites of every task equal the ones data.py draws from the seed (the first eight
  are the shipped model's, unchanged by the tasks added after them).
- Every suite item of a task with a split by construction (long_tasks.HELD_OUT_EVERY) is held
  out, and `--draws` training draws of it (data.py's training stream) contain no held-out prompt
  and no suite prompt.
- The long tasks are deterministic from the seed and keep their answer formats: sequences are
  comma-separated, multi-step word problems have 2-5 step sentences, each with its equation, and
  end in "The answer is N." with N the last result.
Needs training/runs/prose.txt (the reverse task's word list). Exits 1 with the first failure.
"""
import argparse
import json
import os
import random
import re
import sys

from .common import SEED, SUITES_DIR
from .data import ALL_GENERATORS, ALL_TASKS, suite_items
from .long_tasks import HELD_OUT_EVERY, LONG_TASKS, is_held_out


def fail(msg):
    print(f"check_splits: {msg}", file=sys.stderr)
    sys.exit(1)


def check_word_problem(prompt, answer):
    sentences = re.split(r"(?<=\.) (?=[A-Z0-9])", answer)
    steps = sentences[1:-1]
    if not 2 <= len(steps) <= 5:
        fail(f"multi-step word problem with {len(steps)} steps: {answer!r}")
    last = None
    for s in steps:
        eqs = re.findall(r"(\d+) ([-+*]) (\d+) = (\d+)", s)
        if not eqs:
            fail(f"step without an equation: {s!r}")
        for x, op, y, r in eqs:
            if eval(f"{x} {op} {y}") != int(r):
                fail(f"wrong equation {x} {op} {y} = {r} in {answer!r}")
        last = int(eqs[-1][3])
    if sentences[-1] != f"The answer is {last}.":
        fail(f"answer does not end in 'The answer is {last}.': {answer!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--draws", type=int, default=20000)
    a = ap.parse_args()
    rng = random.Random(SEED)
    suites = {}
    for task in [t for t in ALL_TASKS if t in ALL_GENERATORS]:
        items = suite_items(task, rng)
        path = os.path.join(SUITES_DIR, f"{task}.jsonl")
        committed = [json.loads(line) for line in open(path)]
        if committed != items:
            fail(f"{path} differs from what training/data.py draws from seed {SEED}")
        suites[task] = {it["prompt"] for it in items}
    print(f"suites: {len(suites)} files equal their seeded draw")
    for task in LONG_TASKS:
        if not all(is_held_out(task, p) for p in suites[task]):
            fail(f"a {task} suite prompt is not in the held-out split")
        gen = ALL_GENERATORS[task]
        again = random.Random(5)
        draws = [gen(random.Random(5)) for _ in range(2)] + [gen(again) for _ in range(a.draws)]
        if draws[0] != draws[1]:
            fail(f"{task} is not deterministic from its seed")
        train = [(p, ans) for p, ans in draws[2:] if not is_held_out(task, p)]
        leaked = sum(p in suites[task] for p, _ in train)
        if leaked:
            fail(f"{leaked} training draws of {task} are suite prompts")
        held = len(draws) - 2 - len(train)
        share = held / (len(draws) - 2)
        if abs(share - 1 / HELD_OUT_EVERY[task]) > 0.05:
            fail(f"{task}: held-out share {share:.3f}, expected about 1/{HELD_OUT_EVERY[task]}")
        for p, ans in draws[2:]:
            if task == "sequences" and not re.fullmatch(r"[0-9a-z]+(, [0-9a-z]+){4,}", ans):
                fail(f"sequence answer is not a comma-separated list of 5 or more: {p!r} -> {ans!r}")
            if task == "multi-step-word-problems":
                check_word_problem(p, ans)
        print(f"{task}: {a.draws} draws, {held} held out ({share:.1%}), {len(set(p for p, _ in train))} distinct "
              f"training prompts, none in the suite")
    print("check_splits: ok")


if __name__ == "__main__":
    main()
