#!/usr/bin/env python3
"""Writes the decoder reference trajectories that Tests/DecodingTests/ReferenceParityTests.swift checks.

The reference (tools/reference/decoders/) is the project's own float64 PyTorch implementation of every
decoder's decision rules, written from docs/decoders.md alone. It is run by hand, never in CI:
    python3 -m venv /work/venv-ref
    /work/venv-ref/bin/pip install torch==2.13.0+cpu safetensors numpy   # used: torch 2.13.0+cpu, safetensors 0.8.0
    /work/venv-ref/bin/python tools/reference/make_decoder_references.py Tests/Fixtures/decoding/reference

It first runs hand-worked checks of its selection rules (decoders/selftest.py), checks its forward against the engine's golden logits (Tests/Fixtures/modeling/*/golden.json),
then writes the tiny checkpoints under <out>/models/ (seeded, so rerunning rewrites the same bytes) and
one <configuration>.json per decoder configuration. Each case holds, per decoder step, one line:
    "<forward>[lo,hi) ... | commit pos:token:reason ... | fill pos:token:reason ... | draft pos:token ... | remask pos ..."
plus the reference NFE and the number of forwards. A decision whose margin is under 1e-4 (a confidence
or entropy against its threshold or against the competing candidate, a top-2 logit gap) is a near-tie
that float32 and float64 may settle differently: the case records `compareSteps` (the steps before it)
and `nearTie` (why), and the Swift test compares only those steps and says so.
"""
import json
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402

from decoders.cases import CONFIGURATIONS, RUN, parse, prompts  # noqa: E402
from decoders.model import Model  # noqa: E402
from decoders.models import check_golden, write_models  # noqa: E402
from decoders.rules import MaskWritten, Trace  # noqa: E402
from decoders import selftest  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "Fixtures")
MIN_CASES = 24


def model_path(name):
    return f"modeling/{name}" if name in ("llada-tiny", "dream-tiny") else f"decoding/reference/models/{name}"


def main():
    torch.set_num_threads(1)
    selftest.run()
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(FIXTURES, "decoding", "reference")
    for name in ("llada-tiny", "llada-tiny-bf16", "dream-tiny"):
        worst = check_golden(os.path.join(FIXTURES, "modeling", name))
        print(f"forward vs {name}/golden.json: max |Δlogit| {worst:.2e}")
    write_models(os.path.join(out, "models"))
    models = {}
    summary = []
    for seed, entry in enumerate(CONFIGURATIONS):
        name, decoder, fixed, model_names, variants = entry[:5]
        fewest = entry[5] if len(entry) > 5 else MIN_CASES
        per = max(3, math.ceil(fewest / (len(model_names) * len(variants))))
        cases, ties, mask_ids = [], 0, 0
        for model_name in model_names:
            if model_name not in models:
                models[model_name] = Model(os.path.join(FIXTURES, model_path(model_name)))
            model = models[model_name]
            for gen, block in variants:
                settings = [t.format(gen=gen, half=gen // 2, double=2 * gen) for t in fixed]
                if decoder != "dream":
                    settings.append(f"block_length={block}")
                for prompt in prompts(per, 1000 * seed + gen + block):
                    s = parse(decoder, settings)
                    s["gen"] = gen
                    trace = Trace(model.mask_id)
                    model.forwards = 0
                    try:
                        RUN[decoder](model, prompt, gen, s, trace)
                    except MaskWritten:
                        pass
                    case = {"model": model_path(model_name), "settings": settings, "prompt": prompt, "gen": gen,
                            "steps": [trace.line(step) for step in trace.steps], "nfe": trace.nfe,
                            "forwards": model.forwards}
                    stop = trace.near_tie
                    written = next((i for i, step in enumerate(trace.steps) if trace.wrote_mask(step)), None)
                    if written is not None and (stop is None or written + 1 < stop[0]):
                        # decoders.md has no rule for a predicted mask id; the reference leaves the
                        # position masked (x == MASK), so the steps after it are not compared.
                        stop = (written + 1, f"step {written + 1} writes the mask id {model.mask_id}")
                        mask_ids += 1
                    if stop:
                        case["compareSteps"], case["nearTie"] = stop
                        ties += 1
                    cases.append(case)
        with open(os.path.join(out, f"{name}.json"), "w") as f:
            json.dump({"configuration": name, "decoder": decoder, "cases": cases}, f, separators=(",", ":"))
            f.write("\n")
        fills = sum(any("fill " in line for line in c["steps"]) for c in cases)
        summary.append((name, len(cases), ties, fills))
        print(f"{name}: {len(cases)} cases, {ties} compared up to a stop ({mask_ids} for a predicted mask id), "
              f"{fills} with fills", flush=True)
    return summary


if __name__ == "__main__":
    main()
