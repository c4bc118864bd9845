"""An HF checkpoint folder as the Swift engine reads it (Sources/Modeling/ModelConfig.swift,
SpecialTokens.swift, WeightsHash.swift): the same architecture numbers, special ids and weights
hash, so a trajectory recorded through this engine names the same model as a local one."""
import json
import os
import struct
from dataclasses import dataclass

from .errors import EngineFailure, INVALID_REQUEST


def _fail(path, reason):
    return EngineFailure(INVALID_REQUEST, f"{path}: {reason}")


@dataclass
class Config:
    family: str            # "llada" or "dream"
    hidden: int
    layers: int
    heads: int
    kv_heads: int
    intermediate: int
    vocabulary: int        # rows of the embedding and head (LLaDA's embedding_size may pad vocab_size)
    rope_theta: float
    eps: float
    max_sequence: int
    tied: bool
    qkv_bias: bool
    mask_id: int | None
    eos_id: int | None
    pad_id: int | None
    model_type: str

    @property
    def head_dim(self):
        return self.hidden // self.heads


def family_of(c):
    """"llada", "dream", or None (another family: the transformers fallback's business)."""
    model_type = str(c.get("model_type", "")).lower()
    if model_type in ("llada", "dream"):
        return model_type
    for name in c.get("architectures") or []:
        if name.startswith("LLaDA"):
            return "llada"
        if name.startswith("Dream"):
            return "dream"
    return None


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise _fail(path, f"cannot read: {e.strerror}") from None
    except json.JSONDecodeError as e:
        raise _fail(path, f"malformed JSON: {e}") from None


def _first(value):
    return value[0] if isinstance(value, list) and value else value


def load_config(folder):
    path = os.path.join(folder, "config.json")
    c = read_json(path)
    family = family_of(c)
    try:
        if family == "llada":
            vocab = max(c.get("embedding_size") or c["vocab_size"], c["vocab_size"])
            config = Config("llada", c["d_model"], c["n_layers"], c["n_heads"], c.get("n_kv_heads") or c["n_heads"],
                            c["mlp_hidden_size"], vocab, float(c.get("rope_theta", 10000)), float(c.get("rms_norm_eps", 1e-5)),
                            c.get("max_sequence_length", 4096), bool(c.get("weight_tying", False)), False,
                            c.get("mask_token_id"), _first(c.get("eos_token_id")), c.get("pad_token_id"), "llada")
        elif family == "dream":
            config = Config("dream", c["hidden_size"], c["num_hidden_layers"], c["num_attention_heads"],
                            c.get("num_key_value_heads") or c["num_attention_heads"], c["intermediate_size"], c["vocab_size"],
                            float(c.get("rope_theta", 10000)), float(c.get("rms_norm_eps", 1e-6)),
                            c.get("max_position_embeddings", 2048), bool(c.get("tie_word_embeddings", False)), True,
                            c.get("mask_token_id"), _first(c.get("eos_token_id")), c.get("pad_token_id"), "dream")
        else:
            raise _fail(path, f"unknown model family (model_type {c.get('model_type')!r}, architectures "
                              f"{c.get('architectures')}); expected LLaDA or Dream (hint: --backend transformers)")
    except KeyError as e:
        raise _fail(path, f"missing key {e.args[0]!r}") from None
    if config.hidden % config.heads or config.heads % config.kv_heads or config.head_dim % 2:
        raise _fail(path, f"hidden {config.hidden}, {config.heads} heads, {config.kv_heads} KV heads do not divide")
    return config


@dataclass
class SpecialIds:
    mask: int
    end_of_text: int
    end_of_turn: int | None


def added_tokens(folder):
    path = os.path.join(folder, "tokenizer.json")
    if not os.path.exists(path):
        return {}
    added = {}
    for t in read_json(path).get("added_tokens") or []:
        added.setdefault(t["content"], t["id"])
    return added


def special_ids(folder, family, mask_id, eos_id, pad_id):
    """The same search order as SpecialTokens.read."""
    added = added_tokens(folder)
    generation = None
    gpath = os.path.join(folder, "generation_config.json")
    if os.path.exists(gpath):
        generation = _first(read_json(gpath).get("eos_token_id"))
    mask = mask_id if mask_id is not None else added.get("<|mdm_mask|>", added.get("<|mask|>"))
    if mask is None:
        raise _fail(folder, "no mask id (searched config.json mask_token_id, tokenizer.json <|mdm_mask|>, <|mask|>)")
    eos = next((v for v in (added.get("<|endoftext|>"), eos_id, generation, pad_id) if v is not None), None)
    if eos is None:
        raise _fail(folder, "no end-of-text id (searched tokenizer.json <|endoftext|>, eos_token_id, pad_token_id)")
    order = ("<|eot_id|>", "<|im_end|>") if family == "llada" else ("<|im_end|>", "<|eot_id|>")
    turn = next((added[k] for k in order if k in added), None)
    return SpecialIds(mask, eos, turn)


def weight_files(folder):
    index = os.path.join(folder, "model.safetensors.index.json")
    if os.path.exists(index):
        names = sorted(set(read_json(index)["weight_map"].values()))
    else:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".safetensors"))
    if not names:
        raise _fail(folder, "no .safetensors files")
    return [os.path.join(folder, n) for n in names]


FULL_HASH_LIMIT = 64 << 20
SAMPLES, SAMPLE_BYTES = 256, 4096
_FNV_OFFSET, _FNV_PRIME, _MASK64 = 0xCBF29CE484222325, 0x100000001B3, (1 << 64) - 1


def weights_hash(paths):
    """WeightsHash.compute: FNV-1a 64 over each file's name, size and bytes (or header + 256 samples)."""
    h = _FNV_OFFSET

    def mix(data):
        nonlocal h
        x, prime, mask = h, _FNV_PRIME, _MASK64
        for byte in data:
            x = ((x ^ byte) * prime) & mask
        h = x

    for path in sorted(paths):
        size = os.path.getsize(path)
        mix(os.path.basename(path).encode("utf-8"))
        mix(struct.pack("<Q", size))
        with open(path, "rb") as f:
            if size <= FULL_HASH_LIMIT:
                mix(f.read())
                continue
            header_length = struct.unpack("<Q", f.read(8))[0]
            data_start = 8 + header_length
            f.seek(0)
            mix(f.read(data_start))
            span = size - data_start - SAMPLE_BYTES
            for i in range(SAMPLES):
                f.seek(data_start + span // (SAMPLES - 1) * i)
                mix(f.read(SAMPLE_BYTES))
    return f"{h:016x}"
