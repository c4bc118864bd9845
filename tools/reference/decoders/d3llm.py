"""d3LLM multi-block entropy decoding (§4.3–§4.7): the block state machine, the KV variant with
append / use / refresh forwards, and EOS early stop with the reference's order of effects (§4.6)."""
from .model import append, prefix_attend, truncate
from .rules import argmax_token, entropy, rank


def d3llm(model, prompt, gen, s, trace):
    B, theta = s["block_length"], s["threshold"]
    add_t, full_t = s["block_add_threshold"], s["decoded_token_threshold"]
    kv, delay, refresh = s["kv_cache"], s["cache_delay_iter"], s["refresh_interval"]
    mask, eos, P = model.mask_id, model.eos_id, len(prompt)
    dream = model.family == "dream"
    x = list(prompt) + [mask] * gen
    L, count = len(x), gen // B
    blocks = []

    def open_block(full, masks=B, cached=False):
        start = P + len(blocks) * B
        blocks.append({"start": start, "end": start + B, "masks": masks, "full": full, "done_at": None, "cached": cached})

    def progress(b):
        return 1 - b["masks"] / B

    prompt_block = {"start": 0, "end": P, "masks": 0, "full": True, "done_at": 0, "cached": False}
    open_block(full=1.0 >= full_t)
    eos_seen, nfe, cache, cache_len = False, 0, None, 0
    while True:
        pre_fill = [p for p in range(P, L) if x[p] == mask]
        if (not pre_fill and len(blocks) == count) or nfe >= 10_000:
            break
        step = trace.begin()
        nfe += 1
        trace.nfe = nfe
        # §4.6: the fill lands in the canvas before this iteration's forward.
        if s["early_stop"]:
            q = next((p for p in range(P, L) if x[p] == eos), None)
            if q is not None:
                eos_seen = True
                for p in range(q + 1, L):
                    if x[p] != eos:
                        x[p] = eos
                        step["fill"].append((p, eos, "eos-fill"))
                for b in blocks:
                    if b["start"] > q:
                        b["masks"] = 0
                    elif b["start"] <= q < b["end"]:
                        b["masks"] = sum(x[p] == mask for p in range(b["start"], q + 1))
                while len(blocks) < count:  # created complete (and cached in the KV code)
                    open_block(full=True, masks=0, cached=kv)
                if dream:
                    for b in blocks:
                        b["masks"] = sum(x[p] == mask for p in range(b["start"], b["end"]))
        if not any(x[p] == mask for p in range(P, L)):
            continue  # the NFE counts, no forward runs (§4.6)
        # §4.3: promote to full, then open at most one block.
        for i in range(1, len(blocks)):
            if not blocks[i]["full"] and progress(blocks[i - 1]) >= full_t:
                blocks[i]["full"] = True
        last = blocks[-1]
        if len(blocks) < count and not eos_seen and (progress(last) >= add_t or last["masks"] == 0):
            open_block(full=progress(last) >= full_t)
        active_end = max((b["end"] for b in blocks if b["full"] or b["masks"] > 0), default=L)
        candidates = [p for p in pre_fill if p < active_end]

        # §4.4 step 5 / §4.5: the forward.
        start = 0
        if not kv:
            logits, _ = model.forward(x, list(range(L)))
            trace.forward("full", 0, L)
        else:
            cache_end = cache_len
            for b in [prompt_block] + blocks:
                if b["end"] <= cache_len:
                    continue
                if b["masks"] > 0:
                    break
                if b["done_at"] is None:
                    b["done_at"] = nfe
                if nfe - b["done_at"] < delay:
                    break
                b["cached"] = True
                cache_end = b["end"]
            update = cache_end - cache_len
            stabilizing = [b for b in blocks if b["masks"] == 0 and b["done_at"] is not None and not b["cached"]]
            if update > 0:
                start = cache_len
                attend = prefix_attend(cache, cache_len) if cache_len > 0 else None
                logits, fresh = model.forward(x[start:], list(range(start, L)), attend=attend)
                trace.forward("append-to-cache", start, L)
                cache = append(cache, fresh, update) if cache_len > 0 else truncate(fresh, update)
                cache_len = cache_end
            elif cache_len > 0 and not stabilizing and nfe % refresh != 0:
                start = cache_len
                logits, _ = model.forward(x[start:], list(range(start, L)), attend=prefix_attend(cache, cache_len))
                trace.forward("prefix-cached", start, L)
            elif cache_len > 0:
                logits, fresh = model.forward(x, list(range(L)))
                trace.forward("full+refresh", 0, L)
                refresh_pos = stabilizing[-1]["start"] if stabilizing else cache_len
                if refresh_pos != cache_len and trace.near_tie is None:
                    trace.near_tie = (len(trace.steps) - 1, f"refresh_pos {refresh_pos} != cache_len {cache_len} (§4.11)")
                cache = truncate(fresh, cache_len)
            else:
                logits, _ = model.forward(x, list(range(L)))
                trace.forward("full", 0, L)

        # §4.4 steps 6–7 (§4.7 for Dream): entropy selection among the pre-fill candidates.
        rows = {p: logits[p - start] for p in candidates}
        h = {p: entropy(rows[p]) for p in candidates}
        ranked = rank(h, descending=False)
        chosen = []
        for i, p in enumerate(ranked):
            trace.margin(h[p] - theta, f"entropy at {p} vs θ")
            if (h[p] < theta) if dream else (h[p] <= theta):
                chosen.append((p, "entropy"))
            elif i == 0 and not dream:
                chosen.append((p, "global-min-entropy"))
        if not dream and len(ranked) > 1:
            trace.order(h[ranked[0]], h[ranked[1]], "lowest entropy vs second")
        first_full = next((b for b in blocks if b["full"] and b["masks"] > 0), None)
        if first_full and not any(first_full["start"] <= p < first_full["end"] for p, _ in chosen):
            inside = [p for p in ranked if first_full["start"] <= p < first_full["end"]]
            if inside:
                if len(inside) > 1:
                    trace.order(h[inside[0]], h[inside[1]], "forced commit: lowest entropy vs second")
                chosen.append((inside[0], "forced-first-full-block"))
        for p, reason in chosen:
            x[p] = argmax_token(rows[p], trace, p)
            step["c"].append((p, x[p], reason))
            for b in blocks:
                if b["start"] <= p < b["end"]:
                    b["masks"] -= 1
