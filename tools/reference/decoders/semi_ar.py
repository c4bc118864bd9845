"""No-cache decoders: the LLaDA baseline (§2.3–§2.4, §2.7), Prophet (§7), dParallel (§7) and Dream's
samplers (§2.5). Temperature 0 throughout. Each function decodes one canvas and fills a `Trace`."""
import math

from .rules import (argmax_token, dream_scores, dream_time, entropy, llada_confidence, rank, top_k,
                    transfer_counts)


def full_forward(model, x, trace):
    logits, _ = model.forward(x, list(range(len(x))))
    trace.forward("full", 0, len(x))
    trace.nfe += 1
    return logits


def llada(model, prompt, gen, s, trace, prophet=None):
    """§2.4: per block a schedule from its mask count; exactly steps/num_blocks whole-sequence forwards."""
    steps, B = s["steps"], s["block_length"]
    cfg, eos_inf, conf_inf = s["cfg_scale"], s["logits_eos_inf"], s["confidence_eos_eot_inf"]
    mask, P = model.mask_id, len(prompt)
    x = list(prompt) + [mask] * gen
    blocks = gen // B
    per_block = steps // blocks
    excluded = (model.eos_id, model.eot_id) if conf_inf else ()  # §2.7 at temperature 0: both
    global_step = 0
    for b in range(blocks):
        lo, hi = P + b * B, P + (b + 1) * B
        schedule = transfer_counts(sum(x[p] == mask for p in range(lo, hi)), per_block)
        for k in schedule:
            step = trace.begin()
            logits = full_forward(model, x, trace)
            if cfg > 0:  # §2.4 b.2: a second pass with the prompt masked
                unconditional = [mask] * P + x[P:]
                u = full_forward(model, unconditional, trace)
                logits = u + (cfg + 1) * (logits - u)
            global_step += 1
            if prophet and prophet_commit(model, x, logits, global_step, steps, prophet, step, trace):
                return
            candidates = [p for p in range(lo, hi) if x[p] == mask]
            tokens, conf = {}, {}
            for p in candidates:
                row = logits[p].clone()
                if eos_inf:
                    row[model.eos_id] = float("-inf")
                tokens[p] = argmax_token(row)
                conf[p] = llada_confidence(row, tokens[p], excluded)
            for p in top_k(conf, k, trace, "low-confidence top-k"):
                row = logits[p].clone()
                if eos_inf:
                    row[model.eos_id] = float("-inf")
                argmax_token(row, trace, p)
                x[p] = tokens[p]
                step["c"].append((p, tokens[p], "schedule-topk"))


def prophet_commit(model, x, logits, global_step, total_steps, s, step, trace):
    """§7: mean top-1 − top-2 logit gap over the answer region against a progress-dependent
    threshold, progress = global_step / T with global_step counting from 1. On a hit every mask
    in the canvas takes its argmax (one early-commit fill) and the decode stops."""
    P = len(x) - s["gen"]
    region = range(P + s["answer_start"], min(P + s["answer_start"] + s["region_length"], len(x)))
    gaps = []
    for p in region:
        top = logits[p].topk(2).values
        gaps.append(float(top[0] - top[1]))
    gap = sum(gaps) / len(gaps)
    progress = global_step / total_steps
    threshold = s["threshold_early"] if progress < 0.33 else s["threshold_middle"] if progress < 0.67 else s["threshold_late"]
    trace.margin(gap - threshold, f"answer gap {gap:.6f} vs {threshold}")
    for edge in (0.33, 0.67):
        trace.margin(progress - edge, "progress at a threshold edge")
    if gap < threshold:
        return False
    for p in range(len(x)):
        if x[p] == model.mask_id:
            x[p] = argmax_token(logits[p], trace, p)
            step["fill"].append((p, x[p], "early-commit"))
    return True


def dparallel(model, prompt, gen, s, trace):
    """§7: per block, the lowest-entropy masked position unconditionally plus every H ≤ θ; no cache."""
    B, theta = s["block_length"], s["threshold"]
    mask, P = model.mask_id, len(prompt)
    x = list(prompt) + [mask] * gen
    for b in range(gen // B):
        lo, hi = P + b * B, P + (b + 1) * B
        while any(x[p] == mask for p in range(lo, hi)):
            step = trace.begin()
            logits = full_forward(model, x, trace)
            candidates = [p for p in range(lo, hi) if x[p] == mask]
            h = {p: entropy(logits[p]) for p in candidates}
            ranked = rank(h, descending=False)
            if len(ranked) > 1:
                trace.order(h[ranked[0]], h[ranked[1]], "lowest entropy vs second")
            for i, p in enumerate(ranked):
                trace.margin(h[p] - theta, f"entropy at {p} vs θ")
                if i == 0 or h[p] <= theta:
                    x[p] = argmax_token(logits[p], trace, p)
                    step["c"].append((p, x[p], "entropy" if h[p] <= theta else "global-min-entropy"))


def dream(model, prompt, gen, s, trace):
    """§2.5 at temperature 0: k = ⌊M(1 − s/t)⌋ (M at the last step) best-scored masks over the answer."""
    steps = s["steps"] or gen
    mask = model.mask_id
    x = list(prompt) + [mask] * gen
    for i in range(steps):
        masked = [p for p in range(len(x)) if x[p] == mask]
        if not masked:
            break
        step = trace.begin()
        logits = full_forward(model, x, trace)
        tokens, scores = {}, {}
        for p in masked:
            token, confidence, margin, neg_entropy, cut = dream_scores(logits[p], s["top_p"], s["top_k"])
            trace.margin(cut, f"top-p cut at {p}")
            tokens[p] = token
            scores[p] = {"maskgit_plus": confidence, "topk_margin": margin, "entropy": neg_entropy}[s["alg"]]
        if i == steps - 1:
            k = len(masked)
        else:
            k = math.floor(len(masked) * (1 - dream_time(i + 1, steps, s["eps"]) / dream_time(i, steps, s["eps"])))
        for p in top_k(scores, k, trace, f"{s['alg']} top-k"):
            argmax_token(logits[p], trace, p)
            x[p] = tokens[p]
            step["c"].append((p, tokens[p], "schedule-topk"))
