"""Every decoder configuration the reference covers, with the cases (model, prompt, length, block)
run for it. Settings are the `key=value` strings the engine's DecoderRegistry accepts; the reference
reads them with the types of the defaults below (the engine's parameter names, decoders.md values)."""
import torch

from .d3llm import d3llm
from .fast_dllm import R2, fast_dllm
from .semi_ar import dparallel, dream, llada
from .wino import wino

DEFAULTS = {
    "llada": {"steps": 128, "block_length": 32, "temperature": 0.0, "cfg_scale": 0.0, "remasking": "low_confidence",
              "logits_eos_inf": False, "confidence_eos_eot_inf": False},
    "fast-dllm": {"block_length": 32, "rule": "threshold", "threshold": 0.9, "factor": 1.0, "cache": "prefix",
                  "temperature": 0.0},
    "d3llm": {"block_length": 32, "threshold": 0.5, "block_add_threshold": 0.1, "decoded_token_threshold": 0.95,
              "kv_cache": True, "cache_delay_iter": 2, "refresh_interval": 3, "early_stop": True, "temperature": 0.0},
    "wino": {"block_length": 128, "threshold": 0.6, "threshold_back": 0.9, "temperature": 0.0,
             "draft_cap_fraction": 0.7, "draft_cap_min": 5, "draft_cap_max": 20, "initial_last_accept": 30},
    "r2": {"block_length": 32, "threshold": 0.9, "cache": "dual", "temperature": 0.0, "rule": "threshold",
           "factor": 1.0, "confidence_cluster_size": 3, "spatial_threshold": 0.8, "confidence_cluster_unmasked": 1,
           "token_cluster": "confidence", "token_cluster_size": 2, "temporal_steps": 3, "temporal_threshold": 0.8,
           "temporal_eval": "last"},
    "dream": {"steps": 0, "alg": "entropy", "temperature": 0.1, "top_p": 0.9, "top_k": 0, "alg_temp": 0.0, "eps": 1e-3},
    "dparallel": {"block_length": 32, "threshold": 0.5, "temperature": 0.0},
    "prophet": {"steps": 128, "block_length": 32, "temperature": 0.0, "remasking": "low_confidence", "answer_start": 0,
                "region_length": 5, "threshold_early": 7.5, "threshold_middle": 5.0, "threshold_late": 2.5,
                "cfg_scale": 0.0, "logits_eos_inf": False, "confidence_eos_eot_inf": False},
}

LLADA_MODELS = ["ref-llada", "llada-tiny"]
DREAM_MODELS = ["ref-dream-gqa", "dream-tiny"]
BOTH = LLADA_MODELS + DREAM_MODELS

# name, decoder, fixed settings, models, (gen, block) variants[, fewest cases when many are cut at near-ties]; "{gen}", "{half}", "{double}" scale with the length.
CONFIGURATIONS = [
    ("llada", "llada", ["steps={gen}"], LLADA_MODELS, [(16, 8), (16, 16), (24, 8)]),
    ("llada-2-per-step", "llada", ["steps={half}"], LLADA_MODELS, [(16, 8), (24, 8)]),
    ("llada-idle-steps", "llada", ["steps={double}"], LLADA_MODELS, [(16, 8)]),
    ("llada-eos-inf", "llada", ["steps={gen}", "logits_eos_inf=true"], LLADA_MODELS, [(16, 8)]),
    ("llada-confidence-eos-eot-inf", "llada", ["steps={gen}", "confidence_eos_eot_inf=true"], LLADA_MODELS, [(16, 8), (16, 16)]),
    ("llada-cfg", "llada", ["steps={gen}", "cfg_scale=1.5"], LLADA_MODELS, [(16, 8)], 48),
    ("fast-dllm-none", "fast-dllm", ["cache=none", "threshold=0.8"], BOTH, [(16, 8), (24, 8)]),
    ("fast-dllm-prefix", "fast-dllm", ["cache=prefix", "threshold=0.8"], BOTH, [(16, 8), (24, 8), (16, 4)]),
    ("fast-dllm-dual", "fast-dllm", ["cache=dual", "threshold=0.8"], BOTH, [(16, 8), (24, 8), (16, 4)]),
    ("fast-dllm-dual-high", "fast-dllm", ["cache=dual", "threshold=0.95"], BOTH, [(16, 8)]),
    ("fast-dllm-factor-none", "fast-dllm", ["cache=none", "rule=factor", "factor=1.0"], BOTH, [(16, 8)]),
    ("fast-dllm-factor-prefix", "fast-dllm", ["cache=prefix", "rule=factor", "factor=1.0"], BOTH, [(16, 8)]),
    ("fast-dllm-factor-dual", "fast-dllm", ["cache=dual", "rule=factor", "factor=2.0"], BOTH, [(16, 8), (24, 8)]),
    ("d3llm-nocache", "d3llm", ["kv_cache=false", "early_stop=false", "threshold=0.6"], BOTH, [(16, 4), (24, 8)]),
    ("d3llm-nocache-early-stop", "d3llm", ["kv_cache=false", "early_stop=true", "threshold=0.6"], BOTH, [(16, 4), (24, 8)]),
    ("d3llm-kv", "d3llm", ["kv_cache=true", "early_stop=false", "threshold=0.6", "cache_delay_iter=2",
                           "refresh_interval=3"], BOTH, [(16, 4), (24, 8)]),
    ("d3llm-kv-early-stop", "d3llm", ["kv_cache=true", "early_stop=true", "threshold=0.6", "cache_delay_iter=2",
                                      "refresh_interval=3"], BOTH, [(16, 4), (24, 8), (32, 4)]),
    ("d3llm-kv-delay1-early-stop", "d3llm", ["kv_cache=true", "early_stop=true", "threshold=0.4", "cache_delay_iter=1",
                                             "refresh_interval=10000", "block_add_threshold=0.5"], BOTH, [(16, 4), (24, 8)]),
    ("d3llm-kv-delay0-wide", "d3llm", ["kv_cache=true", "early_stop=true", "threshold=0.3", "cache_delay_iter=0",
                                       "refresh_interval=2", "decoded_token_threshold=0.5"], BOTH, [(16, 4), (24, 8)]),
    ("d3llm-nocache-unlimited", "d3llm", ["kv_cache=false", "early_stop=false", "threshold=5",
                                          "block_add_threshold=0.5"], BOTH, [(16, 4), (24, 8)]),
    ("wino", "wino", ["threshold=0.6", "threshold_back=0.9"], LLADA_MODELS, [(16, 8), (16, 16), (24, 8)]),
    ("wino-caps", "wino", ["threshold=0.4", "threshold_back=0.95", "draft_cap_min=1", "draft_cap_max=3",
                           "initial_last_accept=2"], LLADA_MODELS, [(16, 8), (16, 16)]),
    ("r2-dual", "r2", ["cache=dual"], BOTH, [(16, 8), (24, 8)]),
    ("r2-prefix-mid", "r2", ["cache=prefix", "token_cluster=mid", "spatial_threshold=0.5", "temporal_threshold=0.5"],
     BOTH, [(16, 8), (24, 8)]),
    ("r2-none-ave", "r2", ["cache=none", "temporal_eval=ave", "temporal_steps=2", "temporal_threshold=0.6",
                           "confidence_cluster_unmasked=2"], BOTH, [(16, 8)]),
    ("r2-dual-max", "r2", ["cache=dual", "temporal_eval=max", "spatial_threshold=0.6", "threshold=0.95"], BOTH, [(16, 8)]),
    ("r2-rules-off", "r2", ["cache=dual", "confidence_cluster_size=0", "token_cluster=off", "temporal_steps=0"],
     BOTH, [(16, 8)]),
    ("r2-dream-run3", "r2", ["cache=dual", "token_cluster_size=3", "spatial_threshold=0.5"], DREAM_MODELS, [(16, 8), (24, 8)]),
    ("dream-entropy-many-steps", "dream", ["alg=entropy", "temperature=0", "top_p=1", "steps={double}"], DREAM_MODELS,
     [(16, 16)]),
    ("dream-entropy", "dream", ["alg=entropy", "temperature=0", "top_p=1"], DREAM_MODELS, [(16, 16), (24, 24)]),
    ("dream-maskgit-plus", "dream", ["alg=maskgit_plus", "temperature=0", "top_p=1", "steps=8"], DREAM_MODELS, [(16, 16)]),
    ("dream-topk-margin", "dream", ["alg=topk_margin", "temperature=0", "top_p=1", "steps=6"], DREAM_MODELS, [(16, 16)]),
    ("dream-entropy-top-p", "dream", ["alg=entropy", "temperature=0", "top_p=0.9", "steps=8"], DREAM_MODELS, [(16, 16)],
     48),
    ("dparallel", "dparallel", ["threshold=0.5"], BOTH, [(16, 8), (24, 8)]),
    ("prophet", "prophet", ["steps={gen}", "answer_start=4", "threshold_early=6", "threshold_middle=4",
                            "threshold_late=2"], LLADA_MODELS, [(16, 8), (24, 8)]),
    ("prophet-defaults", "prophet", ["steps={gen}"], LLADA_MODELS, [(16, 8)]),
]

RUN = {"llada": llada, "fast-dllm": fast_dllm, "d3llm": d3llm, "wino": wino, "dparallel": dparallel, "dream": dream,
       "prophet": lambda m, p, g, s, t: llada(m, p, g, s, t, prophet=s),
       "r2": lambda m, p, g, s, t: fast_dllm(m, p, g, s, t, r2=R2(m, s))}


def parse(decoder, settings):
    """`key=value` strings -> typed settings over the defaults."""
    s = dict(DEFAULTS[decoder])
    for text in settings:
        key, value = text.split("=", 1)
        old = s[key]
        s[key] = (value == "true") if isinstance(old, bool) else type(old)(value)
    return s


def prompts(count, seed):
    """Prompt ids from the ordinary vocabulary (no special ids), lengths 3 to 8."""
    g = torch.Generator().manual_seed(seed)
    return [torch.randint(0, 90, (int(torch.randint(3, 9, (1,), generator=g)),), generator=g).tolist() for _ in range(count)]
