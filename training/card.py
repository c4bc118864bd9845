"""Writes the model card (Models/llada-mini/README.md) from the run's logs."""
import csv
import json
import os

from .batcher import CANVAS_MODES, PROSE_SHARE, TIGHT_EXTRA_PAD, TIGHT_PROSE_LEN
from .common import SEED

# Seconds per training step on this project's 2-core CPU machine (bf16 autocast, 2 threads), per
# row of the batch: the shipped plan's 256-row step took 7.5 s (8 steps in a one-minute segment of
# train() with device "cpu"); the step time grows about linearly with the batch.
CPU_STEP_S_PER_ROW = 7.5 / 256


def _ascii_curve(rows, width=60, height=12):
    ys = [float(r["loss"]) for r in rows]
    if not ys:
        return ""
    lo, hi = min(ys), max(ys)
    cols = [ys[int(i * (len(ys) - 1) / max(1, width - 1))] for i in range(width)]
    grid = [[" "] * width for _ in range(height)]
    for x, y in enumerate(cols):
        r = int((hi - y) / max(1e-9, hi - lo) * (height - 1))
        grid[r][x] = "*"
    lines = [f"{hi:7.3f} |" + "".join(grid[0])]
    lines += ["        |" + "".join(g) for g in grid[1:-1]]
    lines += [f"{lo:7.3f} |" + "".join(grid[-1]),
              "        +" + "-" * width,
              f"         step {rows[0]['step']} .. {rows[-1]['step']}"]
    return "\n".join(lines)


def _scope(results):
    ns = sorted({v['n'] for v in results.values()})
    if ns == [200]:
        return 'all items scored'
    return 'scored here: the first ' + '/'.join(map(str, ns)) + ' items of each suite, for lack of time'


def write_card(model_dir, log_dir, run_dir, n_params, results, plan_name, plan, command_args="", smoke=False):
    """plan: the plans.Plan that was run, named plan_name; command_args: the pipeline options that
    reproduce it (empty for the default plan)."""
    rows = list(csv.DictReader(open(os.path.join(run_dir, "loss.csv")))) if os.path.exists(
        os.path.join(run_dir, "loss.csv")) else []
    summ = json.load(open(os.path.join(run_dir, "train_summary.json"))) if os.path.exists(
        os.path.join(run_dir, "train_summary.json")) else {}
    ev = json.load(open(os.path.join(log_dir, "eval.json")))
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    table_steps = rows[:: max(1, len(rows) // 12)] + ([rows[-1]] if rows else [])
    seen, tbl = set(), []
    for r in table_steps:
        if r["step"] in seen:
            continue
        seen.add(r["step"])
        tbl.append(f"| {r['step']} | {float(r['elapsed_s']) / 60:.1f} | {r['lr']} | {r['loss']} | {r['loss_sft']} | {r['loss_prose']} |")
    res = "\n".join(f"| {t} | {v['correct']}/{v['n']} | {100 * v['accuracy']:.1f}% |" for t, v in results.items())
    prose = "\n".join(f"- prefix: `{p['prefix']}`\n  continuation: `{p['continuation']}`" for p in ev.get("prose", []))
    samples = []
    for t, ss in ev.get("samples", {}).items():
        for s in ss[:2]:
            samples.append(f"| {t} | `{s['prompt']}` | `{s['pred']}` | {'yes' if s['ok'] else 'no'} |")
    card = open(os.path.join(os.path.dirname(__file__), "card_template.md")).read()
    # the decoding the scores were measured with (a smoke run decodes with fewer steps than
    # generation_config.json recommends)
    shipped_cfg = json.load(open(os.path.join(model_dir, "generation_config.json")))
    gcfg = ev.get("settings") or shipped_cfg
    per_step = gcfg["gen_length"] // gcfg["steps"]
    settings = lambda g: f"gen_length {g['gen_length']}, block_length {g['block_length']}, steps {g['steps']}"
    shards = plan.shard_mib and len(set(json.load(open(os.path.join(model_dir, "model.safetensors.index.json")))
                                        ["weight_map"].values()))
    card = card.format(
        weights=plan.export_dtype + (f", in {shards} shards below {plan.shard_mib:g} MiB" if shards else ""),
        context=cfg["max_sequence_length"], gen_canvas=plan.gen_canvas,
        decoding=settings(gcfg), recommended=settings(shipped_cfg),
        per_step="one token per\nstep" if per_step == 1 else f"{per_step} tokens per\nstep",
        n_params=f"{n_params:,}", d_model=cfg["d_model"], n_layers=cfg["n_layers"], n_heads=cfg["n_heads"],
        head_dim=cfg["d_model"] // cfg["n_heads"], mlp=cfg["mlp_hidden_size"], vocab=cfg["vocab_size"],
        rope_theta=cfg["rope_theta"], eps=cfg["rms_norm_eps"], mask_id=cfg["mask_token_id"],
        eos_id=cfg["eos_token_id"], bos_id=cfg["bos_token_id"], seed=SEED,
        steps_done=summ.get("steps_done", "?"), steps_planned=summ.get("steps_planned", "?"),
        progress_note="" if summ.get("finished", True) else (
            " (**training is not finished**: this is the checkpoint at the end of a segment, mid-schedule;"
            " rerunning the same command continues it exactly)"),
        wall_min=f"{summ.get('train_wall_s', 0) / 60:.1f}",
        hardware=summ.get("device", "unknown"), peak_lr=plan.peak_lr, warmup=plan.warmup, batch=plan.batch_size,
        plan_name=plan_name, plan_note=plan.note, command_args=command_args,
        cpu_step_s=f"{CPU_STEP_S_PER_ROW * plan.batch_size:.1f}",
        cpu_hours=f"{CPU_STEP_S_PER_ROW * plan.batch_size * plan.steps / 3600:.0f}",
        step_s=f"{summ.get('train_wall_s', 0) / max(1, summ.get('steps_done', 1)):.2f}",
        final_loss=rows[-1]["loss"] if rows else "?",
        per_task="generated training samples: " + "".join(f"{t} {n:,}, " for t, n in plan.train_rows.items())
        + ("every other task" if plan.train_rows else "every task") + f" {plan.train_rows_default:,}",
        task_weights=", ".join(f"{t} {round(w, 4)}" for t, w in plan.mixture().items()),
        prose_pct=round(100 * PROSE_SHARE),
        canvas_modes=", ".join(f"{m} {p}" for m, p in CANVAS_MODES.items()),
        tight_pad=TIGHT_EXTRA_PAD, tight_prose=TIGHT_PROSE_LEN,
        loss_table="\n".join(tbl), curve=_ascii_curve(rows), results=res, prose=prose,
        samples="\n".join(samples),
        eval_scope=_scope(results))
    if smoke:
        card = "**SMOKE TEST, NOT A REAL MODEL**\n\n" + card
    open(os.path.join(model_dir, "README.md"), "w").write(card)
