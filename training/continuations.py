"""Continuation rows: word problems whose never-masked prompt runs on into the reasoning.

A word-problem answer repeats each intermediate result ("25 + 7 = 32. 32 - 5 = 27. The answer
is 27."), and with t ~ U(0,1) over the whole answer the model is rarely shown an equation whose
operands are visible while every copy of its result is masked: it learns to copy results, not to
compute them. A continuation row keeps the same tokens and the same LLaDA objective but moves the
prompt/answer boundary to just after an "=" (or, less often, after a finished sentence), so the
operands sit in the never-masked prefix exactly as they do once a decoder has committed them.
"""
import re

import numpy as np

# Where a row is cut: after an " =" with this probability, else after any " =" or sentence end.
EQUALS_CUT_P = 0.7
TASK = "word-problems-cont"


def reasoning_cuts(answer):
    """Character offsets inside `answer` where a continuation row may end its prompt:
    (after each " =", after each sentence end that is followed by more text)."""
    equals = [m.end() for m in re.finditer(r" =", answer)]
    sentences = [m.end() for m in re.finditer(r"\.(?= )", answer)]
    return equals, sentences


def continuation_rows(tok, rows, seed):
    """One continuation row per word-problem row in `rows` (dicts with task, prompt, answer, and
    "ids"/"prompt_len" as the Batcher builds them: prompt then answer then <|eot_id|>).
    Returns [(ids int64 [len], prompt_len)], and the number of rows skipped because the cut did not
    fall on a token boundary (the tokenizer's pre-split puts one after " =" and after ".")."""
    rng = np.random.default_rng(seed)
    out, skipped = [], 0
    cuts = []
    for r in rows:
        equals, sentences = reasoning_cuts(r["answer"])
        if not equals:
            skipped += 1
            cuts.append(None)
            continue
        if rng.random() < EQUALS_CUT_P or not sentences:
            cuts.append(equals[int(rng.integers(len(equals)))])
        else:
            both = equals + sentences
            cuts.append(both[int(rng.integers(len(both)))])
    heads = tok.encode_batch([r["answer"][:c] if c is not None else "" for r, c in zip(rows, cuts)])
    for r, c, head in zip(rows, cuts, heads):
        if c is None:
            continue
        ids, prompt_len = r["ids"], r["prompt_len"]
        n = len(head.ids)
        if list(ids[prompt_len:prompt_len + n]) != head.ids:
            skipped += 1
            continue
        out.append((ids, prompt_len + n))
    return out, skipped
