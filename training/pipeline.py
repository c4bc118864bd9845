"""One command for everything: data -> tokenizer -> train -> export -> golden -> eval -> model card.

  python -m training.pipeline                    # full run (what produced Models/llada-mini);
                                                 # if stopped, the same command continues it exactly
  python -m training.pipeline --plan large       # another plan of plans.py (sizes, schedule, mixture)
  python -m training.pipeline --smoke            # tiny end-to-end check into training/runs/smoke
  python -m training.pipeline --skip-train       # export/eval the last checkpoint in training/runs/main
"""
import argparse
import dataclasses
import json
import os
import platform
import random
import shutil
import time

import numpy as np
import torch

from . import data
from .common import LOG_DIR, MODEL_DIR, RUNS_DIR, SEED, GOLDEN_DIR
from .model import Config, LLaDA, count_params
from .plans import BASE_MODEL, PLANS

VOCAB = 2048
# Plan fields that a command-line option overrides: field -> (option, argparse dest)
PLAN_OPTIONS = {"steps": ("--steps", "steps"), "batch_size": ("--batch-size", "batch_size"),
                "peak_lr": ("--lr", "lr"), "warmup": ("--warmup", "warmup"),
                "continuation_share": ("--continuation-share", "continuation_share")}
MODEL_CFG = BASE_MODEL     # the shipped model's shape; a plan's model_config() may change it


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--plan", default="shipped", choices=sorted(PLANS),
                    help="data sizes, schedule and mixture (training/plans.py); the options below override one field")
    ap.add_argument("--steps", type=int, help="training steps (the LR schedule follows them)")
    ap.add_argument("--batch-size", type=int)
    ap.add_argument("--lr", type=float, help="peak learning rate")
    ap.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"],
                    help="where to train and evaluate (auto: cuda when torch sees a GPU)")
    ap.add_argument("--stop-after-minutes", type=float, default=None,
                    help="end this segment after N minutes of training (checkpointed; the schedule is unchanged, "
                         "and the same command continues); the partly trained model is exported and evaluated")
    ap.add_argument("--threads", type=int, default=2,
                    help="torch threads (use 1 when the 2 cores are shared: 2-thread OpenMP collapses under load)")
    ap.add_argument("--fp32", action="store_true", help="train in float32 instead of bfloat16 autocast")
    ap.add_argument("--warmup", type=int)
    ap.add_argument("--continuation-share", type=float,
                    help="share of word-problem draws whose never-masked prompt runs on into the reasoning")
    ap.add_argument("--train-only", action="store_true",
                    help="train (this segment) and stop: no export, evaluation or card, so the repository is untouched")
    ap.add_argument("--fresh", action="store_true", help="discard training/runs/main/ckpt.pt and start over")
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--tiny-model", action="store_true",
                    help="with --smoke: a 2-layer width-128 model of the plan's context, so a CPU can run a few "
                         "hundred steps of the plan's mixture and canvases")
    ap.add_argument("--skip-train", action="store_true")
    ap.add_argument("--eval-limit", type=int, default=None)
    ap.add_argument("--eval-workers", type=int, default=2, help="single-thread processes for the final eval")
    a = ap.parse_args()
    given = {field: getattr(a, dest) for field, (_, dest) in PLAN_OPTIONS.items() if getattr(a, dest) is not None}
    plan = dataclasses.replace(PLANS[a.plan], **given)
    # the options that reproduce this plan, for the model card
    command_args = (f" --plan {a.plan}" if a.plan != "shipped" else "") + "".join(
        f" {PLAN_OPTIONS[field][0]} {v}" for field, v in given.items())
    if a.tiny_model and not a.smoke:
        ap.error("--tiny-model is for --smoke runs only")
    if a.tiny_model:
        plan = dataclasses.replace(plan, model=dict(plan.model, d_model=128, n_layers=2, n_heads=4, mlp_hidden_size=384))
    if a.smoke:
        # tiny sizes, except where an option asked for others (--steps 300: a longer smoke run)
        plan = dataclasses.replace(plan, **dict(dict(steps=30, batch_size=16, warmup=5), **given),
                                   train_rows={}, train_rows_default=500)

    torch.set_num_threads(a.threads)
    device = ("cuda" if torch.cuda.is_available() else "cpu") if a.device == "auto" else a.device
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)

    run_dir = os.path.join(RUNS_DIR, "smoke" if a.smoke else "main")
    os.makedirs(run_dir, exist_ok=True)
    log_dir = run_dir if a.smoke else LOG_DIR
    model_dir = os.path.join(run_dir, "export") if a.smoke else MODEL_DIR
    golden_dir = os.path.join(run_dir, "golden") if a.smoke else GOLDEN_DIR
    os.makedirs(log_dir, exist_ok=True)
    # The whole run's log (every segment) lives beside the checkpoint; a run that exports copies it
    # to training/logs/ at the end, so --train-only segments leave the repository untouched.
    log_path = os.path.join(run_dir, "run.log")
    ckpt_path = os.path.join(run_dir, "ckpt.pt")
    if (a.fresh or a.smoke) and not a.skip_train and os.path.exists(ckpt_path):
        os.remove(ckpt_path)
    continuing = os.path.exists(ckpt_path)
    logf = open(log_path, "a" if continuing else "w")   # a fresh run starts a fresh log

    def log(msg):
        line = f"[{time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime())}] {msg}"
        print(line, flush=True)
        logf.write(line + "\n")
        logf.flush()

    t0 = time.time()
    log(f"=== pipeline start: args={vars(a)} seed={SEED} torch={torch.__version__} "
        f"python={platform.python_version()} threads={torch.get_num_threads()} device={device}"
        + (f" ({torch.cuda.get_device_name()})" if device == "cuda" else ""))

    # (a) data
    per_task = {t: plan.rows_for(t) for t in plan.task_weights}
    sft_rows, paras = data.build(per_task, log, tasks=list(plan.task_weights))
    train_paras, held_paras = data.held_out_paragraphs(paras)
    log(f"prose split: {len(train_paras)} train paragraphs, {len(held_paras)} held-out paragraphs")

    # (b) tokenizer
    from .tok import train_tokenizer
    tok_path = os.path.join(run_dir, "tokenizer.json")
    rng = random.Random(SEED + 2)
    tok_texts = train_paras + [r["prompt"] + " " + r["answer"] for r in rng.sample(sft_rows, min(40000, len(sft_rows)))]
    if continuing and os.path.exists(tok_path):
        from tokenizers import Tokenizer
        tok = Tokenizer.from_file(tok_path)     # the checkpoint was trained with this one
        log(f"tokenizer: reusing {tok_path} (vocab {tok.get_vocab_size()})")
    else:
        tok = train_tokenizer(tok_texts, VOCAB, tok_path)
        log(f"tokenizer: vocab {tok.get_vocab_size()} trained on {len(tok_texts)} texts")
    prose_ids = []
    for enc in tok.encode_batch(train_paras):
        prose_ids.extend(enc.ids)
    log(f"prose train tokens: {len(prose_ids)}")

    cfg = Config(**plan.model_config())

    # (c) train
    from .eval import answer_ce, evaluate, load_suites, run_items, score
    decoding = dict(gen_length=plan.gen_canvas, block_length=plan.block_length, steps=plan.eval_steps)
    if a.smoke:
        # a smoke run checks that decoding runs, not what it scores: one step per block
        decoding["steps"] = plan.gen_canvas // plan.block_length
    # On a GPU the whole suite decodes in about a second; on two CPU cores 16 items take ~10 s.
    quick = load_suites(limit=None if device == "cuda" else 16)

    def quick_eval(model, step):
        model.eval()
        parts = []
        for task in ("addition", "word-problems"):
            preds = run_items(model, tok, quick[task], **decoding)
            parts.append(f"{task} {sum(score(i, p) for i, p in zip(quick[task], preds))}/{len(preds)}")
        # A finer signal than 16 exact matches: cross-entropy per token of the held-out addition
        # answers (digits and <|eot_id|>) when the whole answer is masked.
        parts.append(f"addition answer CE {answer_ce(model, tok, quick['addition']):.3f}")
        log(f"quick eval @ step {step}: " + ", ".join(parts))
        model.train()

    if not a.skip_train:
        from .train import plan_of, train
        run_plan = plan_of(cfg, plan, SEED, bf16=not a.fp32, device=device)
        log(f"model config: {cfg.to_dict()}  params={count_params(LLaDA(cfg))}")
        log(f"training plan ({a.plan}): {run_plan}; threads={a.threads}; LR warmup then cosine to 10% over the steps")
        model, done, wall, csv_path, finished = train(
            cfg, tok, sft_rows, prose_ids, run_dir, log, run_plan, threads=a.threads,
            stop_after_minutes=a.stop_after_minutes, quick_eval=None if a.smoke else quick_eval)
        log(f"training {'done' if finished else 'paused'}: {done} of {plan.steps} steps, "
            f"{wall:.0f}s of training over all segments")
        json.dump({"steps_done": done, "steps_planned": plan.steps, "train_wall_s": wall, "finished": finished,
                   "plan_name": a.plan, "plan": plan.to_dict(),
                   "device": torch.cuda.get_device_name() if device == "cuda" else platform.processor() or "cpu"},
                  open(os.path.join(run_dir, "train_summary.json"), "w"))
        if not a.smoke and not a.train_only:
            shutil.copyfile(csv_path, os.path.join(LOG_DIR, "loss.csv"))
        if a.train_only:
            log(f"=== --train-only: stopping after training; checkpoint in {ckpt_path}")
            return
    else:
        ck = torch.load(ckpt_path, weights_only=False, map_location="cpu")
        model = LLaDA(Config(**ck["cfg"]))
        model.load_state_dict(ck["model"])
        log(f"loaded checkpoint at step {ck['step']} from {ckpt_path}")
        if os.path.exists(os.path.join(run_dir, "loss.csv")) and not a.smoke:
            shutil.copyfile(os.path.join(run_dir, "loss.csv"), os.path.join(LOG_DIR, "loss.csv"))

    # (e) export (before eval so evaluation reads the exported files)
    from .export import export, load_exported, write_golden
    model = model.cpu()
    export(model, tok_path, model_dir, gen_defaults=dict(decoding, steps=plan.eval_steps),
           shard_mib=plan.shard_mib, dtype=plan.export_dtype)
    log(f"exported to {model_dir}")
    write_golden(model_dir, golden_dir)
    log(f"golden forward written to {golden_dir}")

    # (d) evaluate the exported model
    emodel, etok = load_exported(model_dir)
    emodel.to(device)
    prefixes = [" ".join(p.split()[:12]) for p in held_paras[:: max(1, len(held_paras) // 6)][:6]]
    limit = (10 if plan.gen_canvas <= 64 else 2) if a.smoke else a.eval_limit
    results, conts = evaluate(emodel, etok, log, os.path.join(log_dir, "eval.json"), limit, prefixes,
                              workers=1 if device == "cuda" else a.eval_workers, decoding=decoding)

    from .card import write_card
    write_card(model_dir, log_dir, run_dir, count_params(emodel), results, a.plan, plan, command_args,
               smoke=a.smoke)
    log(f"=== pipeline end: total wall {time.time() - t0:.0f}s")
    if log_dir != run_dir:
        logf.flush()
        shutil.copyfile(log_path, os.path.join(log_dir, "run.log"))


if __name__ == "__main__":
    main()
