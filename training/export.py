"""Export a checkpoint as an HF-layout LLaDA folder, and write the golden logits file."""
import glob
import json
import os
import shutil

import torch
from safetensors.torch import load_file, save_file
from tokenizers import Tokenizer

from .common import (BOS, CHAT_TEMPLATE_JINJA, EOS, EOT, GOLDEN_DIR, MASK, chat_prompt)
from .model import LLaDA, Config

GEN_DEFAULTS = {"gen_length": 64, "block_length": 32, "steps": 64, "temperature": 0.0,
                "remasking": "low_confidence"}


INDEX = "model.safetensors.index.json"
DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16}


def shard_groups(sd, limit_bytes):
    """Tensor names in state-dict order, grouped greedily into shards of at most limit_bytes of
    tensor data (a tensor larger than the limit gets a shard of its own)."""
    groups, cur, size = [], [], 0
    for name, t in sd.items():
        n = t.numel() * t.element_size()
        if cur and size + n > limit_bytes:
            groups.append(cur)
            cur, size = [], 0
        cur.append(name)
        size += n
    return groups + ([cur] if cur else [])


def save_weights(sd, out_dir, shard_mib=0):
    """One model.safetensors (shard_mib 0), or shards model-0000i-of-0000n.safetensors below
    shard_mib MiB each (safetensors header included) and model.safetensors.index.json, the layout
    of HF sharded checkpoints that the engine's Checkpoint reads. Returns the files written."""
    for old in glob.glob(os.path.join(out_dir, "model*.safetensors")) + glob.glob(os.path.join(out_dir, INDEX)):
        os.remove(old)          # a stale single file or shard set would shadow or contradict the new one
    if not shard_mib:
        save_file(sd, os.path.join(out_dir, "model.safetensors"), metadata={"format": "pt"})
        return ["model.safetensors"]
    # headers are ~100 bytes per tensor; keep 64 KiB of room for them under the limit
    groups = shard_groups(sd, int(shard_mib * 2 ** 20) - 65536)
    names, weight_map = [], {}
    for i, group in enumerate(groups):
        fn = f"model-{i + 1:05d}-of-{len(groups):05d}.safetensors"
        save_file({k: sd[k] for k in group}, os.path.join(out_dir, fn), metadata={"format": "pt"})
        if os.path.getsize(os.path.join(out_dir, fn)) >= shard_mib * 2 ** 20:
            raise SystemExit(f"export: {fn} is not below {shard_mib} MiB; a single tensor is too large to shard")
        names.append(fn)
        weight_map.update({k: fn for k in group})
    total = sum(t.numel() * t.element_size() for t in sd.values())
    json.dump({"metadata": {"total_size": total}, "weight_map": weight_map},
              open(os.path.join(out_dir, INDEX), "w"), indent=2)
    return names + [INDEX]


def export(model, tok_path, out_dir, gen_defaults=None, shard_mib=0, dtype="float32"):
    """gen_defaults: gen_length, block_length and steps for generation_config.json (default
    GEN_DEFAULTS'); shard_mib and dtype: how the weights are written (plans.Plan)."""
    os.makedirs(out_dir, exist_ok=True)
    tok = Tokenizer.from_file(tok_path)
    cfg = model.cfg
    ids = {k: tok.token_to_id(v) for k, v in
           {"mask": MASK, "eos": EOS, "bos": BOS, "eot": EOT}.items()}
    config = {
        "architectures": ["LLaDAModelLM"],
        "model_type": "llada",
        "d_model": cfg.d_model,
        "n_layers": cfg.n_layers,
        "n_heads": cfg.n_heads,
        "n_kv_heads": cfg.n_heads,
        "mlp_hidden_size": cfg.mlp_hidden_size,
        "vocab_size": cfg.vocab_size,
        "embedding_size": cfg.vocab_size,
        "max_sequence_length": cfg.max_sequence_length,
        "rope_theta": cfg.rope_theta,
        "rms_norm_eps": cfg.rms_norm_eps,
        "weight_tying": False,
        "include_bias": False,
        "block_type": "llama",
        "activation_type": "silu",
        "layer_norm_type": "rms",
        "rope": True,
        "mask_token_id": ids["mask"],
        "eos_token_id": ids["eos"],
        "pad_token_id": ids["eos"],
        "bos_token_id": ids["bos"],
    }
    json.dump(config, open(os.path.join(out_dir, "config.json"), "w"), indent=2)
    sd = {"model." + k: v.detach().to(DTYPES[dtype]).contiguous() for k, v in model.state_dict().items()}
    save_weights(sd, out_dir, shard_mib)
    shutil.copyfile(tok_path, os.path.join(out_dir, "tokenizer.json"))
    tcfg = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": BOS, "eos_token": EOS, "pad_token": EOS, "mask_token": MASK,
        "additional_special_tokens": ["<|start_header_id|>", "<|end_header_id|>", EOT],
        "add_bos_token": False, "add_eos_token": False,
        "model_max_length": cfg.max_sequence_length,
        "chat_template": CHAT_TEMPLATE_JINJA,
    }
    json.dump(tcfg, open(os.path.join(out_dir, "tokenizer_config.json"), "w"), indent=2)
    gcfg = dict(GEN_DEFAULTS, **(gen_defaults or {}), mask_token_id=ids["mask"], eos_token_id=ids["eos"], eot_token_id=ids["eot"],
                bos_token_id=ids["bos"], pad_token_id=ids["eos"])
    json.dump(gcfg, open(os.path.join(out_dir, "generation_config.json"), "w"), indent=2)


def load_exported(model_dir):
    c = json.load(open(os.path.join(model_dir, "config.json")))
    cfg = Config(vocab_size=c["vocab_size"], d_model=c["d_model"], n_layers=c["n_layers"], n_heads=c["n_heads"],
                 mlp_hidden_size=c["mlp_hidden_size"], max_sequence_length=c["max_sequence_length"],
                 rope_theta=c["rope_theta"], rms_norm_eps=c["rms_norm_eps"])
    model = LLaDA(cfg)
    index = os.path.join(model_dir, INDEX)
    if os.path.exists(index):
        sd = {}
        for fn in sorted(set(json.load(open(index))["weight_map"].values())):
            sd.update(load_file(os.path.join(model_dir, fn)))
    else:
        sd = load_file(os.path.join(model_dir, "model.safetensors"))
    model.load_state_dict({k[len("model."):]: v for k, v in sd.items()}, strict=True)
    model.eval()
    return model, Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))


@torch.no_grad()
def write_golden(model_dir, out_dir=GOLDEN_DIR):
    """Input ids and logits of a few rows of one full forward pass, from the exported weights."""
    model, tok = load_exported(model_dir)
    user = "What is 12 + 34?"
    prompt = tok.encode(chat_prompt(user)).ids
    n_mask = 16
    ids = prompt + [tok.token_to_id(MASK)] * n_mask
    logits = model(torch.tensor([ids]))[0]
    rows = [0, len(prompt) - 1, len(prompt) + 2]
    os.makedirs(out_dir, exist_ok=True)
    gold = {
        "description": "Full bidirectional forward pass of Models/llada-mini (float32, PyTorch) on the "
                       "templated prompt followed by 16 mask tokens; positions are 0..len-1, no attention mask.",
        "user": user,
        "templated_prompt": chat_prompt(user),
        "n_mask": n_mask,
        "input_ids": ids,
        "rows": [{"position": r, "first_8_logits": [float(v) for v in logits[r, :8]],
                  "argmax": int(logits[r].argmax()), "max_logit": float(logits[r].max())} for r in rows],
    }
    json.dump(gold, open(os.path.join(out_dir, "llada-mini-forward.json"), "w"), indent=1)
    return gold
