"""The long-answer tasks of plan v2: lists and sequences, multi-step word problems, and prose
continuations. Each generator is a function of a random.Random that returns (prompt, answer), like
those of tasks.py; the prose continuation generator is built from a list of paragraphs.

Held-out split by construction: `is_held_out(prompt)` puts a fixed share of every task's prompt
space (chosen by a hash of the prompt text, not by the draw) into the held-out split. The suites
(data.py) draw only held-out prompts and the training rows only the others, so no suite prompt can
be trained on whatever the seed or the row counts; data.py also counts the overlap and refuses a
nonzero one.
"""
import hashlib
import string

from .tasks import NAMES, OBJECTS, _cap

LONG_TASKS = ["sequences", "multi-step-word-problems"]
PROSE_TASK = "prose-continuation"      # training only: its held-out text is the prose split's
LONG_SCORERS = {"sequences": "exact", "multi-step-word-problems": "answer-is"}

# One prompt in HELD_OUT_EVERY is held out. Sequences have a few thousand distinct prompts, so a
# fifth of them (several hundred) leaves room for a 200-item suite.
HELD_OUT_EVERY = {"sequences": 5, "multi-step-word-problems": 10}


def is_held_out(task, prompt):
    """True when `prompt` belongs to `task`'s held-out split (a property of the text alone)."""
    h = int.from_bytes(hashlib.sha256(f"{task}\n{prompt}".encode()).digest()[:8], "big")
    return h % HELD_OUT_EVERY[task] == 0


# ---------------------------------------------------------------- lists and sequences


def _join(xs):
    return ", ".join(str(x) for x in xs)


def gen_sequence(rng):
    """Multiples of k up to a bound, counting down, counting in steps, letters from a letter:
    answers of 5-30 comma-separated items whose every position is known from the prompt, so many
    tokens can be committed in one step."""
    kind = rng.randint(0, 3)
    if kind == 0:
        k, m = rng.randint(2, 15), rng.randint(5, 20)
        return f"List the multiples of {k} up to {k * m}.", _join(k * i for i in range(1, m + 1))
    if kind == 1:
        n = rng.randint(10, 60)
        lo = rng.randint(max(0, n - 30), n - 5)
        return f"Count down from {n} to {lo}.", _join(range(n, lo - 1, -1))
    if kind == 2:
        a, s, count = rng.randint(0, 50), rng.randint(2, 10), rng.randint(5, 20)
        xs = [a + s * i for i in range(count)]
        return f"Count from {a} to {xs[-1]} in steps of {s}.", _join(xs)
    start = rng.randint(0, 21)
    n = rng.randint(5, 26 - start)
    letters = string.ascii_lowercase[start:start + n]
    return (f"Write {n} letters of the alphabet starting from {letters[0]}.", _join(letters))


# ---------------------------------------------------------------- multi-step word problems

_OBJ_PRONOUN = {"he": "him", "she": "her"}


def _step(rng, he, him, other, obj, have):
    """One event: (question sentence, answer sentence, new total). `have` is the total before it."""
    R = rng.randint
    kind = R(0, 5) if have > 1 else R(0, 2)
    if kind == 0:
        b = R(2, 30)
        return (f"{_cap(he)} buys {b} more.", f"{_cap(he)} buys {b} more, so {he} has {have} + {b} = {have + b}.",
                have + b)
    if kind == 1:
        b = R(2, 20)
        return (f"{other} gives {him} {b}.", f"{other} gives {him} {b}, so {he} has {have} + {b} = {have + b}.",
                have + b)
    if kind == 2:
        k, m = R(2, 6), R(2, 9)
        p = k * m
        return (f"{_cap(he)} gets {k} boxes with {m} {obj} in each box.",
                f"{k} boxes of {m} is {k} * {m} = {p}, so {he} has {have} + {p} = {have + p}.", have + p)
    c = R(1, min(have - 1, 40))
    if kind == 3:
        return (f"{_cap(he)} gives {c} to {other}.",
                f"{_cap(he)} gives {c} to {other}, so {he} has {have} - {c} = {have - c} left.", have - c)
    if kind == 4:
        return (f"{_cap(he)} loses {c}.", f"{_cap(he)} loses {c}, so {he} has {have} - {c} = {have - c} left.",
                have - c)
    return (f"{_cap(he)} sells {c}.", f"{_cap(he)} sells {c}, so {he} has {have} - {c} = {have - c} left.",
            have - c)


def gen_multi_step(rng):
    """2-5 events told in the question; the answer walks them one sentence per step, each with its
    equation, then "The answer is N." (about 60-150 tokens)."""
    (n1, he, _), (n2, _, _) = rng.sample(NAMES, 2)
    obj = rng.choice(OBJECTS)
    have = rng.randint(5, 50)
    q = [f"{n1} has {have} {obj}."]
    a = [f"{n1} starts with {have} {obj}."]
    for _ in range(rng.randint(2, 5)):
        qs, as_, have = _step(rng, he, _OBJ_PRONOUN[he], n2, obj, have)
        q.append(qs)
        a.append(as_)
    q.append(f"How many {obj} does {n1} have now?")
    a.append(f"The answer is {have}.")
    return " ".join(q), " ".join(a)


# ---------------------------------------------------------------- prose continuation

PROSE_PROMPT_WORDS = (12, 40)      # words of the paragraph shown
PROSE_ANSWER_CHARS = (400, 900)    # about 100-250 tokens of the project's 2048-token BPE


def prose_continuation(paragraphs):
    """A generator drawing a window of one of `paragraphs`: its first words as the prompt ("Continue
    the text: ...") and the text that follows, cut at a word end, as the answer. Give it training
    paragraphs only; the held-out prose (the last 2%) is never passed here."""
    paras = [p.split(" ") for p in paragraphs if len(p) >= 600]

    def gen(rng):
        words = rng.choice(paras)
        start = rng.randint(0, max(0, len(words) // 3))
        n_prompt = rng.randint(*PROSE_PROMPT_WORDS)
        prompt = " ".join(words[start:start + n_prompt])
        end, used, limit = start + n_prompt, 0, rng.randint(*PROSE_ANSWER_CHARS)
        while end < len(words) and used + len(words[end]) <= limit:
            used += len(words[end]) + 1
            end += 1
        return f"Continue the text: {prompt}", " ".join(words[start + n_prompt:end])
    return gen


LONG_GENERATORS = {"sequences": gen_sequence, "multi-step-word-problems": gen_multi_step}
