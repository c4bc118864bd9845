"""Where a model's word problems go wrong: the arithmetic of their first equation, asked two ways.

  python -m training.probe_arithmetic [--model Models/llada-mini] [--items 200] [--seed 99]

Word-problem answers are short reasoning ("16 - 1 = 15. 15 + 12 = 27. The answer is 27."), so
a wrong answer is either a wrong plan or wrong arithmetic. This probe draws fresh word problems
(seeded; generated, not the held-out suite) and measures, with the eval's LLaDA decoding:
  what-is:    the first equation asked as the arithmetic tasks ask it, "What is 16 - 1?";
  in-answer:  the word problem with its answer begun as "16 - 1 =" (operands given), the rest
              decoded; right when the decoded first result is right;
  one-pass:   the whole true answer with every digit after the first "=" masked (so the
              result's length is given and no decoding order is involved), one forward;
              right when the argmax of the first result's digits is;
  final:      the same decode's "The answer is N".
Each is split by operator. The operands of word problems (one or two digits) are outside the
addition and subtraction tasks' range (two to four digits), which is what this separates.
"""
import argparse
import random
import re

import torch

from . import tasks
from .common import EOT, MASK, MODEL_DIR, chat_prompt
from .eval import cut_answer, generate, run_items, score
from .export import load_exported

FIRST_EQUATION = re.compile(r"(\d+) ([-+*]) (\d+) = (-?\d+)\.")


@torch.no_grad()
def first_result_in_one_pass(model, tok, question, answer, eq):
    """One forward over prompt + answer with every digit token after the first "=" masked;
    True when the argmax at the first result's digit positions spells it."""
    mask_id = tok.token_to_id(MASK)
    prompt = tok.encode(chat_prompt(question)).ids
    ids = prompt + tok.encode(answer).ids + [tok.token_to_id(EOT)]
    start = len(prompt) + len(tok.encode(f"{eq[1]} {eq[2]} {eq[3]} =").ids)
    digits = [p for p in range(start, len(ids)) if tok.id_to_token(ids[p]).isdigit()]
    first = digits[:len(eq[4])]          # digits are single tokens (the tokenizer splits \p{N})
    x = torch.tensor([ids])
    x[0, digits] = mask_id
    logits = model.head(model.hidden(x, torch.ones_like(x, dtype=torch.bool)))[0]
    return logits[first].argmax(-1).tolist() == [ids[p] for p in first]


def probe(model, tok, problems):
    """problems: [(question, answer)] from tasks.gen_word_problem. Returns {measure: {op: [right, total]}}."""
    eqs = [FIRST_EQUATION.match(a) for _, a in problems]
    asked = [{"prompt": f"What is {m[1]} {m[2]} {m[3]}?", "answer": m[4], "scorer": "exact"} for m in eqs]
    what_is = [score(it, p) for it, p in zip(asked, run_items(model, tok, asked))]
    heads = [f"{m[1]} {m[2]} {m[3]} =" for m in eqs]
    prompts = [tok.encode(chat_prompt(q)).ids + tok.encode(h).ids for (q, _), h in zip(problems, heads)]
    outs, _ = generate(model, prompts, tok.token_to_id(MASK))
    decoded = [h + " " + cut_answer(o, tok) for h, o in zip(heads, outs)]
    in_answer = [d.startswith(m[0]) for d, m in zip(decoded, eqs)]
    one_pass = [first_result_in_one_pass(model, tok, q, a, m) for (q, a), m in zip(problems, eqs)]
    final = [score({"scorer": "answer-is", "answer": a.rsplit(" ", 1)[-1].rstrip(".")}, d)
             for (_, a), d in zip(problems, decoded)]
    table = {}
    for name, hits in (("what-is", what_is), ("in-answer", in_answer), ("one-pass", one_pass), ("final", final)):
        row = table.setdefault(name, {})
        for m, hit in zip(eqs, hits):
            for key in ("all", m[2]):
                cell = row.setdefault(key, [0, 0])
                cell[0] += bool(hit)
                cell[1] += 1
    return table


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=MODEL_DIR)
    ap.add_argument("--items", type=int, default=200)
    ap.add_argument("--seed", type=int, default=99)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    model, tok = load_exported(a.model)
    rng = random.Random(a.seed)
    table = probe(model, tok, [tasks.gen_word_problem(rng) for _ in range(a.items)])
    print(f"{a.model}: {a.items} word problems, seed {a.seed}")
    for name, row in table.items():
        cells = "  ".join(f"{k} {r}/{n}" for k, (r, n) in row.items())
        print(f"  {name:10s} {cells}")


if __name__ == "__main__":
    main()
