"""LLaDA baseline decoding (low-confidence remasking, temperature 0) and suite scoring.

Usage: python -m training.eval [--model Models/llada-mini] [--limit N]
"""
import argparse
import json
import os
import re
import time

import torch

from .common import EOS, EOT, MASK, MODEL_DIR, SUITES_DIR, chat_prompt


def transfer_schedule(m, steps):
    """LLaDA get_num_transfer_tokens for one block: m masks over `steps` steps."""
    base, r = divmod(m, steps)
    return [base + 1 if i < r else base for i in range(steps)]


@torch.no_grad()
def generate(model, prompts, mask_id, gen_length=64, block_length=32, steps=64):
    """Batched LLaDA `generate` with temperature 0 and low-confidence remasking.

    prompts: list of token-id lists (already templated). Items are right-padded with
    ignored key positions, so every item keeps its own absolute positions 0..P_i+G-1.
    Returns the list of answer-canvas id lists (length gen_length each) and the NFE.
    """
    assert gen_length % block_length == 0
    n_blocks = gen_length // block_length
    assert steps % n_blocks == 0
    spb = steps // n_blocks
    B = len(prompts)
    dev = next(model.parameters()).device
    P = torch.tensor([len(p) for p in prompts], device=dev)
    L = int(P.max()) + gen_length
    x = torch.zeros(B, L, dtype=torch.long, device=dev)
    valid = torch.zeros(B, L, dtype=torch.bool, device=dev)
    for i, p in enumerate(prompts):
        x[i, :len(p)] = torch.tensor(p, device=dev)
        x[i, len(p):len(p) + gen_length] = mask_id
        valid[i, :len(p) + gen_length] = True
    nfe = 0
    ar = torch.arange(block_length, device=dev)[None, :]
    for b in range(n_blocks):
        # absolute positions of block b for every item: [B, block_length]
        bpos = (P + b * block_length)[:, None] + ar
        m = (x.gather(1, bpos) == mask_id).sum(1).tolist()
        sched = [transfer_schedule(mi, spb) for mi in m]
        for s in range(spb):
            h = model.hidden(x, valid)                                    # full forward, all positions
            hb = h.gather(1, bpos[:, :, None].expand(-1, -1, h.shape[-1]))
            logits = model.head(hb).float()                               # only the block rows are needed
            nfe += 1
            probs = torch.softmax(logits, dim=-1)
            conf, x0 = probs.max(dim=-1)                                  # [B, block_length]
            cand = x.gather(1, bpos) == mask_id
            conf = torch.where(cand, conf, torch.full_like(conf, -float("inf")))
            conf, x0, bpos_host = conf.cpu(), x0.cpu(), bpos.cpu()   # one sync per step, not per item
            rows, cols, vals = [], [], []
            for i in range(B):
                k = sched[i][s]
                if k == 0:
                    continue
                if k == 1:
                    j = conf[i].argmax().view(1)   # first max = lowest position on ties
                else:
                    j = torch.topk(conf[i], k).indices
                rows += [i] * len(j); cols += bpos_host[i, j].tolist(); vals += x0[i, j].tolist()
            if rows:
                x[torch.tensor(rows, device=dev), torch.tensor(cols, device=dev)] = torch.tensor(vals, device=dev)
    outs = [x[i, len(prompts[i]):len(prompts[i]) + gen_length].tolist() for i in range(B)]
    return outs, nfe


def cut_answer(ids, tok):
    stops = {tok.token_to_id(EOT), tok.token_to_id(EOS)}
    for j, t in enumerate(ids):
        if t in stops:
            ids = ids[:j]
            break
    return tok.decode(ids, skip_special_tokens=True).strip()


_ANS = re.compile(r"The answer is (-?\d+)")


def score(item, pred):
    if item["scorer"] == "exact":
        return pred == item["answer"]
    m = _ANS.search(pred)
    return bool(m) and m.group(1) == item["answer"]


def run_items(model, tok, items, gen_length=64, block_length=32, steps=64, batch=200):
    mask_id = tok.token_to_id(MASK)
    preds = []
    for i in range(0, len(items), batch):
        chunk = items[i:i + batch]
        prompts = [tok.encode(chat_prompt(it["prompt"])).ids for it in chunk]
        outs, _ = generate(model, prompts, mask_id, gen_length, block_length, steps)
        preds += [cut_answer(o, tok) for o in outs]
    return preds


@torch.no_grad()
def answer_ce(model, tok, items):
    """Mean cross-entropy per answer token (answer + <|eot_id|>) with the whole answer masked."""
    mask_id, eot = tok.token_to_id(MASK), tok.token_to_id(EOT)
    dev = next(model.parameters()).device
    total, count = 0.0, 0
    for it in items:
        p = tok.encode(chat_prompt(it["prompt"])).ids
        a = tok.encode(it["answer"]).ids + [eot]
        x = torch.tensor([p + [mask_id] * len(a)], device=dev)
        logits = model(x)[0, len(p):].float()
        total += torch.nn.functional.cross_entropy(logits, torch.tensor(a, device=dev), reduction="sum").item()
        count += len(a)
    return total / max(1, count)


def load_suites(limit=None):
    suites = {}
    for fn in sorted(os.listdir(SUITES_DIR)):
        if fn.endswith(".jsonl"):
            items = [json.loads(l) for l in open(os.path.join(SUITES_DIR, fn))]
            suites[fn[:-6]] = items[:limit] if limit else items
    return suites


@torch.no_grad()
def prose_continuations(model, tok, prefixes, gen_length=64, block_length=32, steps=64):
    mask_id = tok.token_to_id(MASK)
    bos = tok.token_to_id("<|startoftext|>")
    prompts = [[bos] + tok.encode(p).ids for p in prefixes]
    outs, _ = generate(model, prompts, mask_id, gen_length, block_length, steps)
    return [cut_answer(o, tok) for o in outs]


_WORKER = {}


def _worker_run(tasks):
    torch.set_num_threads(1)
    model, tok, suites, decoding = _WORKER["model"], _WORKER["tok"], _WORKER["suites"], _WORKER["decoding"]
    out = {}
    for task in tasks:
        t0 = time.time()
        out[task] = (run_items(model, tok, suites[task], **decoding), time.time() - t0)
    return out


DEFAULT_DECODING = {"gen_length": 64, "block_length": 32, "steps": 64}


def evaluate(model, tok, log, out_json, limit=None, prose_prefixes=(), workers=1, decoding=None):
    """Scores every suite. workers > 1 forks that many single-thread processes, each taking a
    share of the suites (on a shared 2-core machine this is faster than one 2-thread process).
    decoding: gen_length, block_length and steps of the LLaDA baseline (default DEFAULT_DECODING)."""
    decoding = dict(decoding or DEFAULT_DECODING)
    model.eval()
    results = {}
    samples = {}
    suites = load_suites(limit)
    tasks = list(suites)
    if workers > 1:
        import multiprocessing as mp
        _WORKER.update(model=model, tok=tok, suites=suites, decoding=decoding)
        groups = [tasks[i::workers] for i in range(workers)]
        with mp.get_context("fork").Pool(workers) as pool:
            done = {}
            for part in pool.map(_worker_run, groups):
                done.update(part)
    else:
        done = {}
        for task in tasks:
            t0 = time.time()
            done[task] = (run_items(model, tok, suites[task], **decoding), time.time() - t0)
    predictions = {}
    for task in tasks:
        items = suites[task]
        preds, dt = done[task]
        ok = [score(it, p) for it, p in zip(items, preds)]
        acc = sum(ok) / len(ok)
        results[task] = {"n": len(ok), "correct": sum(ok), "accuracy": acc}
        samples[task] = [{"prompt": it["prompt"], "answer": it["answer"], "pred": p, "ok": o}
                         for it, p, o in list(zip(items, preds, ok))[:5]]
        predictions[task] = [{"id": it["id"], "pred": p, "ok": o} for it, p, o in zip(items, preds, ok)]
        log(f"eval {task}: {sum(ok)}/{len(ok)} = {acc:.1%} ({dt:.0f}s)")
    conts = prose_continuations(model, tok, list(prose_prefixes), **decoding) if prose_prefixes else []
    for p, c in zip(prose_prefixes, conts):
        log(f"prose: {p!r} -> {c!r}")
    json.dump({"settings": dict(decoding, temperature=0.0, remasking="low_confidence"),
               "results": results, "samples": samples, "predictions": predictions,
               "prose": [{"prefix": p, "continuation": c} for p, c in zip(prose_prefixes, conts)]},
              open(out_json, "w"), indent=1)
    return results, conts


def main():
    from .export import load_exported
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=MODEL_DIR)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "logs", "eval.json"))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    model, tok = load_exported(a.model)
    # the decoding the model ships in generation_config.json (its canvas, block and steps)
    gcfg_path = os.path.join(a.model, "generation_config.json")
    gcfg = json.load(open(gcfg_path)) if os.path.exists(gcfg_path) else {}
    decoding = {k: gcfg.get(k, v) for k, v in DEFAULT_DECODING.items()}
    evaluate(model, tok, print, a.out, a.limit, workers=a.workers, decoding=decoding)


if __name__ == "__main__":
    main()
