"""WINO (§5.3–§5.4): draft wide (c > τ1, capped), verify narrow through a shadow copy of the block
(re-mask a previous draft whose shadow probability is < τ2), in one forward with a boolean mask."""
import math

import torch

from .rules import argmax_token, probs, rank


def wino(model, prompt, gen, s, trace):
    B, tau1, tau2 = s["block_length"], s["threshold"], s["threshold_back"]
    mask, P = model.mask_id, len(prompt)
    G = gen
    x = list(prompt) + [mask] * G + [mask] * B  # the shadow slots [P+G, P+G+B) stay MASK
    L = P + G + B
    for b in range(G // B):
        lo, hi = P + b * B, P + (b + 1) * B
        masked = set(range(lo, hi))
        decided = [False] * B
        last_accept = s["initial_last_accept"]
        # §5.3: real rows see every real column; shadow rows see the shadow and every real
        # column except their own counterpart.
        attention = torch.ones(L, L, dtype=torch.bool)
        attention[:P + G, P + G:] = False
        for j in range(B):
            attention[P + G + j, lo + j] = False
        positions = list(range(P + G)) + list(range(lo, hi))
        while masked:
            step = trace.begin()
            cap = min(max(math.floor(s["draft_cap_fraction"] * len(masked)), s["draft_cap_min"]), s["draft_cap_max"])
            logits, _ = model.forward(x, positions, mask=attention)
            trace.forward("full", 0, P + G)  # the event names the real canvas; the shadow is not canvas
            trace.nfe += 1
            tokens, draft = {}, {}
            for p in sorted(masked):
                tokens[p] = argmax_token(logits[p])
                draft[p] = float(probs(logits[p])[tokens[p]])
            verify = {j: float(probs(logits[P + G + j])[x[lo + j]]) for j in range(B) if decided[j]}
            selected = [p for p in rank(draft) if draft[p] > tau1]
            for p in draft:
                trace.margin(draft[p] - tau1, f"draft confidence at {p} vs τ1")
            if len(selected) > cap:
                trace.order(draft[selected[cap - 1]], draft[selected[cap]], "draft cap cut")
                selected = selected[:cap]
            if not selected:
                ranked = rank(draft)
                if len(ranked) > 1:
                    trace.order(draft[ranked[0]], draft[ranked[1]], "forced draft top-1 vs top-2")
                selected = ranked[:1]
            for p in selected:
                argmax_token(logits[p], trace, p)
                x[p] = tokens[p]
                step["d"].append((p, tokens[p]))
            n_acc = len(selected)
            revoked = []
            if n_acc > 1:
                for j, v in verify.items():
                    trace.margin(v - tau2, f"shadow probability at {lo + j} vs τ2")
                revoked = [j for j, v in verify.items() if v < tau2]
                if len(revoked) >= last_accept:
                    lowest = rank(verify, descending=False)
                    keep = last_accept - 1
                    if 0 < keep < len(lowest):
                        trace.order(verify[lowest[keep - 1]], verify[lowest[keep]], "re-mask cap cut")
                    revoked = lowest[:keep]
            for j in revoked:
                x[lo + j] = mask
                masked.add(lo + j)
                step["r"].append(lo + j)
            for p in selected:
                masked.discard(p)
                decided[p - lo] = True
            for j in revoked:
                decided[j] = False
            last_accept = n_acc
