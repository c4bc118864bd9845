"""Shared per-position scores, selection rules and step records (docs/decoders.md §1.2–§1.6, §2.3, §3.3).

Every decision that compares two floating-point numbers reports its margin to a `Trace`, so the
generator can tell a real decision from a near-tie that float32 (the Swift engine) and float64 (this
reference) may resolve differently (§1.6). Exact ties are broken as §1.6 recommends: the lower
position first, the lower token id first.
"""
import math

import torch

TIE = 1e-4  # a margin below this is a near-tie: the Swift comparison stops at that step


class MaskWritten(Exception):
    """A step wrote the mask id. decoders.md has no rule for it: the position stays masked
    (x == MASK) and may be predicted again forever, so the decode is cut there."""


class Trace:
    """The record of one decode: one entry per decoder step, plus the first near-tie."""

    def __init__(self, mask_id):
        self.steps = []
        self.near_tie = None  # (step index, text)
        self.nfe = 0
        self.mask_id = mask_id

    def wrote_mask(self, step):
        return any(t == self.mask_id for _, t, *_ in step["c"] + step["fill"] + step["d"])

    def begin(self):
        if self.steps and self.wrote_mask(self.steps[-1]):
            raise MaskWritten()
        if len(self.steps) >= 5000:
            raise RuntimeError("no end after 5000 steps")
        self.steps.append({"f": [], "c": [], "fill": [], "d": [], "r": []})
        return self.steps[-1]

    def forward(self, mode, lower, upper):
        self.steps[-1]["f"].append(f"{mode}[{lower},{upper})")

    def margin(self, gap, text):
        """Notes a decision margin; the first one under TIE marks its step."""
        if self.near_tie is None and abs(gap) < TIE:
            self.near_tie = (len(self.steps) - 1, f"{text} (margin {abs(gap):.2e} < {TIE:g})")

    def order(self, a, b, text):
        """Notes the gap between two ranked scores. Exactly equal scores are a structural tie (e.g.
        two saturated probabilities), broken the same way on both sides by the lower position."""
        if a != b:
            self.margin(a - b, text)

    def line(self, step):
        parts = [" ".join(step["f"])]
        if step["c"]:
            parts.append("commit " + " ".join(f"{p}:{t}:{r}" for p, t, r in sorted(step["c"])))
        if step["fill"]:
            parts.append("fill " + " ".join(f"{p}:{t}:{r}" for p, t, r in sorted(step["fill"])))
        if step["d"]:
            parts.append("draft " + " ".join(f"{p}:{t}" for p, t in sorted(step["d"])))
        if step["r"]:
            parts.append("remask " + " ".join(str(p) for p in sorted(step["r"])))
        return " | ".join(parts)


def argmax_token(row, trace=None, where=""):
    """Greedy token (§1.2 step 1 at temperature 0): the first maximal id; notes the top-2 logit gap."""
    top = torch.topk(row, 2)
    token = int(torch.nonzero(row == top.values[0])[0])
    if trace is not None:
        trace.margin(float(top.values[0] - top.values[1]), f"top-2 logit gap at {where}")
    return token


def probs(row):
    return torch.softmax(row.double(), -1)


def llada_confidence(row, token, excluded=()):
    """softmax(ℓ)[x0] over the full vocabulary in float64 (§1.2 step 2); `excluded` ids leave the softmax."""
    if token in excluded:
        return 0.0
    row = row.clone()
    for e in excluded:
        row[e] = float("-inf")
    return float(probs(row)[token])


def entropy(row):
    """−Σ p log(p + 1e-12), float64, no temperature (§1.2 step 3)."""
    p = probs(row)
    return float(-(p * torch.log(p + 1e-12)).sum())


def rank(scores, descending=True):
    """Positions by score; equal scores go to the lower position first (§1.6)."""
    return sorted(scores, key=lambda p: (-scores[p] if descending else scores[p], p))


def top_k(scores, k, trace, what):
    """The k best positions; notes the gap between the last chosen and the best left out."""
    ranked = rank(scores)
    if 0 < k < len(ranked):
        trace.order(scores[ranked[k - 1]], scores[ranked[k]], f"{what}: rank {k} vs {k + 1}")
    return ranked[:max(0, k)]


def threshold_rule(conf, tau, trace):
    """Fast-dLLM `get_transfer_index` (§3.3): the top-1 always, plus every c ≥ τ. Returns [(pos, reason)]."""
    if not conf:
        return []
    ranked = rank(conf)
    if len(ranked) > 1:
        trace.order(conf[ranked[0]], conf[ranked[1]], "threshold rule top-1 vs top-2")
    chosen = [(ranked[0], "threshold" if conf[ranked[0]] >= tau else "forced-top1")]
    for p in ranked:
        trace.margin(conf[p] - tau, f"confidence at {p} vs τ {tau}")
        if p != ranked[0] and conf[p] >= tau:
            chosen.append((p, "threshold"))
    return chosen


def factor_rule(conf, f, trace):
    """Fast-dLLM `get_transfer_index_dynamic` (§3.3) with the §3.6 quirk: stop at the first failing
    0-based index i, then add one if i is 0 or N−1 (so a lone failing last candidate is committed)."""
    ranked = rank(conf)
    n = len(ranked)
    if n == 0:
        return []
    stop = n
    for i, p in enumerate(ranked):
        theta = -1.0 if i == 0 else 1 - f / (i + 2)
        trace.margin(conf[p] - theta, f"factor rule c_{i + 1} vs θ {theta:.6f}")
        if i + 1 < n:
            trace.order(conf[p], conf[ranked[i + 1]], f"factor rule order {i + 1}")
        if conf[p] < theta:
            stop = i
            break
    if stop == 0 or stop == n - 1:
        stop += 1
    return [(p, "factor") for p in ranked[:stop]]


def transfer_counts(m, s):
    """§2.3: base = ⌊m/s⌋, the first m mod s steps get one more."""
    base, r = divmod(m, s)
    return [base + 1 if i < r else base for i in range(s)]


def dream_scores(row, top_p=1.0, top_k_=0):
    """Dream `sample_tokens` at temperature 0 (§1.4): top-p then top-k filtering, softmax, argmax.
    Returns (token, confidence, margin, negative entropy, the smallest top-p cut margin)."""
    row = row.double().clone()
    cut = math.inf
    if top_p < 1:
        order = torch.argsort(row, descending=True, stable=True)
        cumulative = torch.cumsum(torch.softmax(row[order], -1), -1)
        remove = cumulative > top_p
        cut = float((cumulative - top_p).abs().min())
        remove[1:] = remove[:-1].clone()
        remove[0] = False
        row[order[remove]] = float("-inf")
    if top_k_ > 0:
        kth = torch.topk(row, min(top_k_, row.numel())).values[-1]
        row[row < kth] = float("-inf")
    p = torch.softmax(row, -1)
    top = torch.topk(p, 2)
    token = int(torch.nonzero(p == top.values[0])[0])
    neg_entropy = float((p * torch.log(p + 1e-10)).sum())
    return token, float(top.values[0]), float(top.values[0] - top.values[1]), neg_entropy, cut


def dream_time(i, steps, eps):
    """t_i of linspace(1, eps, steps + 1) (§2.5)."""
    return 1 + (eps - 1) * i / steps
