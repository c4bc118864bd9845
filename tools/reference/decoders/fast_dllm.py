"""Fast-dLLM (§3.3–§3.4) with its three cache modes, and R² (§6.3) layered on it."""
from .model import prefix_attend, truncate, window_attend
from .rules import argmax_token, dream_scores, factor_rule, llada_confidence, threshold_rule


def fast_dllm(model, prompt, gen, s, trace, r2=None):
    """Blocks left to right; each starts with a full forward (that builds the cache), then forwards
    x[s:] against the prefix cache, x[s:e] against the dual cache, or the whole x (no cache), until
    the block has no masks. The mask count is checked before every forward (FD-new, §3.6).
    Dream: the block-start forward commits only the block's first position (§3.4)."""
    B, mode = s["block_length"], s["cache"]
    mask, P = model.mask_id, len(prompt)
    x = list(prompt) + [mask] * gen
    L = len(x)
    dream = model.family == "dream"
    for b in range(gen // B):
        lo, hi = P + b * B, P + (b + 1) * B
        cache, first = None, True
        if r2:
            r2.new_block()
        while any(x[p] == mask for p in range(lo, hi)):
            step = trace.begin()
            trace.nfe += 1
            candidates = [p for p in range(lo, hi) if x[p] == mask]
            if first or mode == "none":
                logits, fresh = model.forward(x, list(range(L)))
                trace.forward("full", 0, L)
                row_of = {p: p for p in range(L)}
                cache = truncate(fresh, lo) if mode == "prefix" else fresh
            elif mode == "prefix":
                logits, _ = model.forward(x[lo:], list(range(lo, L)), attend=prefix_attend(cache, lo))
                trace.forward("prefix-cached", lo, L)
                row_of = {p: p - lo for p in range(lo, L)}
            else:
                logits, _ = model.forward(x[lo:hi], list(range(lo, hi)), attend=window_attend(cache, lo))
                trace.forward("dual-cached", lo, hi)
                row_of = {p: p - lo for p in range(lo, hi)}
            rows = {p: logits[row_of[p]] for p in range(lo, hi)}
            tokens, conf = {}, {}
            for p in candidates:
                if dream:
                    tokens[p], conf[p] = dream_scores(rows[p])[:2]
                else:
                    tokens[p] = argmax_token(rows[p])
                    conf[p] = llada_confidence(rows[p], tokens[p])
            if dream and first:
                chosen = [(lo, "block-start-first-token")] if lo in conf else []
            elif s["rule"] == "threshold":
                chosen = threshold_rule(conf, s["threshold"], trace)
            else:
                chosen = factor_rule(conf, s["factor"], trace)
            for p, reason in chosen:
                argmax_token(rows[p], trace, p)
                x[p] = tokens[p]
                step["c"].append((p, tokens[p], reason))
            if r2:
                r2.after_base(x, lo, hi, candidates, tokens, conf, rows, step, trace)
            first = False


class R2:
    """R²'s three rules after every forward, on that forward's logits only (§6.3 steps 2–4)."""

    def __init__(self, model, s):
        self.mask, self.s, self.dream = model.mask_id, s, model.family == "dream"
        self.streak = {}

    def new_block(self):
        self.streak = {}

    def after_base(self, x, lo, hi, candidates, tokens, conf, rows, step, trace):
        s, mask = self.s, self.mask
        w, theta_s = s["confidence_cluster_size"], s["spatial_threshold"]
        top = {}  # per still-masked block position: (top-1 id, top-1 prob), no Gumbel
        for p in range(lo, hi):
            probs = rows[p].double().softmax(-1)
            token = argmax_token(rows[p], trace if x[p] == mask else None, p)
            top[p] = (token, float(probs[token]))
        # Step 2: confidence-cluster sweep over windows inside the block.
        if w > 0:
            marked = set()
            for a in range(lo, hi - w + 1):
                window = range(a, a + w)
                unmasked = sum(x[p] != mask for p in window)
                still = [p for p in window if x[p] == mask]
                if unmasked > s["confidence_cluster_unmasked"] or not still:
                    continue
                mean = sum(conf[p] for p in still) / len(still)
                trace.margin(mean - theta_s, f"window mean at {a} vs θs")
                if mean >= theta_s:
                    marked.update(still)
            for p in sorted(marked):
                x[p] = tokens[p]
                step["c"].append((p, tokens[p], "window-cluster"))
        # Step 3: token-cluster rule over runs of still-masked positions sharing a top-1 id.
        if s["token_cluster"] != "off" and w > 0:
            shortest = s["token_cluster_size"] if self.dream else 2
            p = lo
            while p < hi:
                if x[p] != mask:
                    p += 1
                    continue
                run = [p]
                while run[-1] + 1 < hi and x[run[-1] + 1] == mask and top[run[-1] + 1][0] == top[p][0]:
                    run.append(run[-1] + 1)
                p = run[-1] + 1
                if len(run) < shortest:
                    continue
                best = max(top[q][1] for q in run)
                trace.margin(best - theta_s, f"token-cluster max at {run[0]} vs θs")
                if best <= theta_s:
                    continue
                if s["token_cluster"] == "mid":
                    at = run[0] + len(run) // 2
                else:
                    ordered = sorted(run, key=lambda q: (-top[q][1], q))
                    trace.order(top[ordered[0]][1], top[ordered[1]][1], "token-cluster best position")
                    at = ordered[0]
                x[at] = top[at][0]
                step["c"].append((at, top[at][0], "token-cluster"))
        # Step 4: temporal finalization of candidates that stayed masked.
        n, theta_t = s["temporal_steps"], s["temporal_threshold"]
        if n <= 0:
            return
        for p in candidates:
            if x[p] != mask:
                self.streak.pop(p, None)
                continue
            token, prob = top[p]
            c = self.streak.get(p)
            if c and c["id"] == token:
                c["count"] += 1
                c["sum"] += prob
                c["max"] = max(c["max"], prob)
            else:
                self.streak[p] = c = {"id": token, "count": 1, "sum": prob, "max": prob}
            if c["count"] < n:
                continue
            value = {"last": prob, "ave": c["sum"] / c["count"], "max": c["max"]}[s["temporal_eval"]]
            trace.margin(value - theta_t, f"temporal confidence at {p} vs θt")
            if value >= theta_t:
                x[p] = c["id"]
                step["c"].append((p, c["id"], "temporal-stable"))
                del self.streak[p]
