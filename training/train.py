"""LLaDA masked-diffusion training loop (SFT tasks + prose pretraining-style chunks)."""
import csv
import json
import math
import os
import random
import time

import torch
import torch.nn.functional as F

from .batcher import CANVAS_MODES, PROSE_SHARE, TIGHT_EXTRA_PAD, TIGHT_PROSE_LEN, Batcher
from .model import LLaDA

EPS = 1e-3



def lr_at(step, progress, peak, warmup, floor=0.1):
    """Linear warmup over `warmup` steps, then cosine decay to floor*peak as progress goes 0 -> 1."""
    if step < warmup:
        return peak * (step + 1) / warmup
    return peak * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))


def plan_of(cfg, plan, seed, bf16, device="cpu"):
    """Everything that fixes a run's weights, as plain data: a checkpoint resumes only under the
    same plan (the model shape, the schedule, the seed, the data mixture and the device kind, since
    CPU and CUDA kernels round differently). `plan` is a plans.Plan; its row counts act earlier,
    when the data is generated."""
    return {"model": cfg.to_dict(), "steps": plan.steps, "batch_size": plan.batch_size, "peak_lr": plan.peak_lr,
            "warmup": plan.warmup, "seed": seed, "bf16": bf16, "device": device,
            "task_weights": plan.mixture(), "continuation_share": plan.continuation_share,
            "prose_share": PROSE_SHARE, "canvas_modes": CANVAS_MODES, "tight_extra_pad": TIGHT_EXTRA_PAD,
            "tight_prose_len": TIGHT_PROSE_LEN, "gen_canvas": plan.gen_canvas}


def plan_difference(saved, plan):
    """Keys whose values differ between a checkpoint's plan and this run's (JSON-normalised)."""
    norm = lambda d: json.loads(json.dumps(d))
    saved, plan = norm(saved or {}), norm(plan)
    return sorted(k for k in set(saved) | set(plan) if saved.get(k) != plan.get(k))


def train(cfg, tok, sft_rows, prose_ids, run_dir, log, plan, threads=2, ckpt_minutes=10.0,
          stop_after_minutes=None, quick_eval=None):
    """Trains under `plan` (see plan_of), resuming exactly from run_dir/ckpt.pt when it exists.

    The checkpoint holds the model, the optimizer, the step, and the state of both random streams
    (the batcher's numpy generator: which rows and canvases; the torch generator: t and the masks),
    and the LR schedule is a function of the step alone, so a run stopped and continued gives the
    same weights as one uninterrupted run on the same machine and thread count.
    stop_after_minutes ends this segment (with a checkpoint) without touching the schedule.
    bf16 (in the plan): the forward and backward matmuls run under bfloat16 autocast (weights,
    optimizer state and the loss stay float32); about 1.5x faster on CPUs with AVX512-BF16.
    device (in the plan): "cpu" or "cuda". Batches, t and the masks are always drawn on the CPU
    from the same generators and then moved, so the data stream is the same on either device.
    Returns (model, steps done, training wall seconds over all segments, loss.csv path, finished)."""
    steps, batch_size, peak_lr, warmup, seed, bf16 = (plan[k] for k in
                                                      ("steps", "batch_size", "peak_lr", "warmup", "seed", "bf16"))
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    random.seed(seed)
    ckpt_path = os.path.join(run_dir, "ckpt.pt")
    device = torch.device(plan.get("device", "cpu"))
    ck = torch.load(ckpt_path, weights_only=False, map_location=device) if os.path.exists(ckpt_path) else None
    if ck is not None and plan_difference(ck.get("plan"), plan):
        raise SystemExit(f"{ckpt_path} was made under another plan (differs in: "
                         f"{', '.join(plan_difference(ck.get('plan'), plan))}); "
                         f"rerun with the same options to continue it, or with --fresh to start over")
    batcher = Batcher(tok, sft_rows, prose_ids, seed, plan["task_weights"],
                      seq_len=plan["model"]["max_sequence_length"], gen_canvas=plan["gen_canvas"])
    log(f"batcher: {sum(len(v) for v in batcher.by_task.values())} SFT rows "
        f"(dropped {batcher.dropped} too long; {batcher.continuation_skipped} continuation cuts off a token "
        f"boundary), prose tokens {len(batcher.prose)}")
    model = LLaDA(cfg).to(device)
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.1},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=peak_lr, betas=(0.9, 0.95), eps=1e-8, fused=device.type == "cuda")
    gen = torch.Generator().manual_seed(seed)
    csv_path = os.path.join(run_dir, "loss.csv")
    header = ["step", "elapsed_s", "lr", "loss", "loss_sft", "loss_prose", "step_s"]
    start, elapsed0, old_rows = 0, 0.0, []
    if ck is not None:
        model.load_state_dict(ck["model"])
        opt.load_state_dict(ck["opt"])
        batcher.rng.bit_generator.state = ck["batcher_rng"]
        gen.set_state(ck["torch_rng"].cpu())
        start, elapsed0 = ck["step"], ck["elapsed_s"]
        old_rows = [r for r in csv.reader(open(csv_path))][1:] if os.path.exists(csv_path) else []
        old_rows = [r for r in old_rows if int(r[0]) <= start]
        log(f"resuming {ckpt_path} at step {start} of {steps} (training time so far {elapsed0 / 60:.1f} min)")
    fcsv = open(csv_path, "w", newline="")
    wr = csv.writer(fcsv)
    wr.writerow(header)
    wr.writerows(old_rows)
    fcsv.flush()

    t_start = time.time()
    last_ckpt = t_start
    segment_s = stop_after_minutes * 60 if stop_after_minutes is not None else float("inf")

    def streams():
        return batcher.rng.bit_generator.state, gen.get_state()

    def save(step_done, streams_after):
        """streams_after: the random streams as they were after the last finished step's batch
        (the next batch may already be drawn), so that a resumed run draws that batch again."""
        torch.save({"plan": plan, "cfg": cfg.to_dict(), "model": model.state_dict(), "opt": opt.state_dict(),
                    "batcher_rng": streams_after[0], "torch_rng": streams_after[1],
                    "step": step_done, "elapsed_s": time.time() - t_start + elapsed0}, ckpt_path + ".tmp")
        os.replace(ckpt_path + ".tmp", ckpt_path)
        log(f"checkpoint step {step_done} -> {ckpt_path}")

    def draw():
        """One batch and its noise, drawn on the CPU from the seeded streams (the same data on
        every device), then sent to the device without blocking the host (pinned on CUDA)."""
        ids, valid, maskable, is_prose = batcher.sample(batch_size)
        B, L = ids.shape
        t = EPS + (1 - EPS) * torch.rand(B, 1, generator=gen)
        masked = maskable & (torch.rand(B, L, generator=gen) < t)
        batch = (ids, valid, maskable, is_prose, t, masked)
        if device.type == "cuda":
            batch = tuple(x.pin_memory() for x in batch)
        return tuple(x.to(device, non_blocking=True) for x in batch)

    # Running sums stay on the device (no per-step host sync); read every 50 steps.
    zero_acc = lambda: {k: torch.zeros((), device=device) for k in ("loss", "sft", "ns", "prose", "np")}
    acc, acc_n = zero_acc(), 0
    skipped = 0
    t_window = time.time()
    step = start
    batch = draw() if start < steps else None
    for step in range(start, steps):
        lr = lr_at(step, (step - warmup) / max(1, steps - warmup), peak_lr, warmup)
        for g in opt.param_groups:
            g["lr"] = lr
        ids, valid, maskable, is_prose, t, masked = batch
        B, L = ids.shape
        noisy = torch.where(masked, torch.full_like(ids, batcher.mask_id), ids)
        model.train()
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=bf16):
            # the head runs on every position (logits [B, L, V]): gathering only the masked rows
            # would need their count on the host, a device sync every step
            logits = model(noisy, valid)
        ce = F.cross_entropy(logits.float().flatten(0, 1), ids.flatten(), reduction="none").view(B, L)
        # LLaDA weighting: 1/t per masked token, normalised by the maskable (answer) length
        w = 1.0 / (t * maskable.sum(1, keepdim=True).clamp(min=1))
        per_tok = torch.where(masked, ce * w, torch.zeros_like(ce))
        loss = per_tok.sum() / B
        opt.zero_grad(set_to_none=True)
        loss.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        # Draw the next batch while the device is still busy with this one.
        streams_after = streams()
        if step + 1 < steps:
            batch = draw()
        if torch.isfinite(grad_norm):
            opt.step()
        else:
            # A non-finite loss or gradient would poison the weights and the Adam moments for
            # good; skip the update and say so (the step still counts, so the schedule holds).
            skipped += 1
            log(f"step {step + 1}: non-finite gradient norm, update skipped ({skipped} so far)")
        # bookkeeping: per-sequence losses split by kind
        with torch.no_grad():
            per_seq = per_tok.detach().sum(1)
            prose_f = is_prose.float()
            acc["loss"] += loss.detach(); acc_n += 1
            acc["sft"] += (per_seq * (1 - prose_f)).sum(); acc["ns"] += (1 - prose_f).sum()
            acc["prose"] += (per_seq * prose_f).sum(); acc["np"] += prose_f.sum()
        done = step + 1
        if done % 50 == 0 or done == steps:
            el = time.time() - t_start + elapsed0
            a = {k: v.item() for k, v in acc.items()}
            row = [done, round(el, 1), f"{lr:.3e}", round(a["loss"] / acc_n, 4),
                   round(a["sft"] / max(1, a["ns"]), 4), round(a["prose"] / max(1, a["np"]), 4),
                   round((time.time() - t_window) / acc_n, 4)]
            wr.writerow(row)
            fcsv.flush()
            log(f"step {row[0]} t={row[1]}s lr={row[2]} loss={row[3]} sft={row[4]} prose={row[5]} step_s={row[6]}")
            acc, acc_n = zero_acc(), 0
            t_window = time.time()
        out_of_segment = time.time() - t_start > segment_s
        if time.time() - last_ckpt > ckpt_minutes * 60 or done == steps or out_of_segment:
            save(done, streams_after)
            if quick_eval is not None:
                quick_eval(model, done)
            last_ckpt = time.time()
        if out_of_segment and done < steps:
            log(f"segment of {stop_after_minutes} min over at step {done} of {steps}; "
                f"the same command continues from the checkpoint")
            break
    fcsv.close()
    done = step + 1 if steps > start else start
    return model, done, time.time() - t_start + elapsed0, csv_path, done >= steps
