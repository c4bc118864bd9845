#!/usr/bin/env python3
"""Writes the GGUF fixtures: one small GGUF file holding a tensor of every ggml type dllm-play reads,
and the values the `gguf` package's own dequantizer gives for each (the golden the Swift reader is
checked against, block by block).

Run by hand, never in CI:
    python3 -m venv /work/venv-gguf
    /work/venv-gguf/bin/pip install gguf==0.19.0 numpy==2.4.6
    /work/venv-gguf/bin/python tools/reference/make_gguf_fixtures.py Tests/Fixtures/gguf

Tensors of the types the `gguf` package can quantize (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, BF16, F16)
are quantized from random normal rows plus edge rows (all zeros, one large outlier, a constant).
The K-quants (Q4_K, Q5_K, Q6_K) have no quantizer there: their blocks are random bytes with the
f16 scale fields replaced by finite values, so every bit pattern of the packed fields is exercised.
Each tensor is [2 rows, 256 columns] (one 256-element super-block per row).

It then writes model files laid out as llama.cpp's convert_hf_to_gguf.py writes the `llada` and
`dream` architectures (gguf_models.py):
  llada-tiny.f32.gguf, llada-tiny.bf16.gguf, dream-tiny.f32.gguf, dream-tiny.f16.gguf
      from the HF fixtures Tests/Fixtures/modeling/{llada-tiny, llada-tiny-bf16, dream-tiny}
      (same weights, so the same logits; no tokenizer vocabulary, as those folders have none);
  llada-tok.gguf, dream-tok.gguf
      seeded random weights in the block types (Q8_0, Q4_0, Q4_1, Q5_0, Q5_1 / Q4_K, Q5_K, Q6_K,
      Q8_0), carrying the tokenizers Tests/Fixtures/tokenization/{qwen2,llama3}-style.tokenizer.json
      as gpt2-style tokenizer.ggml.* keys (pre "qwen2" / "llama-bpe").
"""
import json
import os
import sys

import gguf
import numpy as np
from gguf import GGMLQuantizationType as T

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gguf_models import read_safetensors, write_model  # noqa: E402

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "Tests", "Fixtures")

ROWS, COLUMNS = 2, 256
QUANTIZABLE = [T.F32, T.F16, T.BF16, T.Q8_0, T.Q4_0, T.Q4_1, T.Q5_0, T.Q5_1]
K_QUANTS = [T.Q4_K, T.Q5_K, T.Q6_K]


class FixtureError(Exception):
    """A fixture that could not be made as specified."""


def source_rows(rng: np.random.Generator) -> np.ndarray:
    """Random normal rows with edge cases spliced in: a zero run, an outlier, a constant run."""
    rows = rng.standard_normal((ROWS, COLUMNS)).astype(np.float32)
    rows[0, :32] = 0
    rows[0, 40] = 37.5
    rows[1, 64:96] = -1.25
    return rows


def k_quant_blocks(rng: np.random.Generator, qtype: T) -> np.ndarray:
    """Random bytes per block, with the f16 scale fields set to finite values in [-2, 2]."""
    block_size, type_size = gguf.GGML_QUANT_SIZES[qtype]
    blocks = rng.integers(0, 256, size=(ROWS * COLUMNS // block_size, type_size), dtype=np.uint8)
    scales = rng.uniform(-2, 2, size=(blocks.shape[0], 2)).astype(np.float16).view(np.uint8)
    if qtype == T.Q6_K:  # layout: ql[128], qh[64], scales[16], d (f16) last
        blocks[:, -2:] = scales[:, :2]
    else:  # Q4_K / Q5_K: d, dmin (f16) first
        blocks[:, :4] = scales
    return blocks.reshape(ROWS, -1)


def main(out_dir: str) -> None:
    rng = np.random.default_rng(20261126)
    writer = gguf.GGUFWriter(os.path.join(out_dir, "types.gguf"), arch="llada")
    writer.add_name("dllm-play ggml type fixture")
    writer.add_uint32("dllm_play.fixture.rows", ROWS)
    writer.add_array("dllm_play.fixture.note", ["every", "ggml", "type"])
    golden = {}
    for qtype in QUANTIZABLE + K_QUANTS:
        name = f"tensor.{qtype.name.lower()}"
        if qtype in K_QUANTS:
            data = k_quant_blocks(rng, qtype)
        elif qtype == T.F32:
            data = source_rows(rng)
        else:
            data = gguf.quants.quantize(source_rows(rng), qtype)
        values = gguf.quants.dequantize(data, qtype)
        if values.shape != (ROWS, COLUMNS) or not np.all(np.isfinite(values)):
            raise FixtureError(f"{name}: dequantized shape {values.shape} or non-finite values")
        writer.add_tensor(name, data, raw_shape=data.shape if qtype == T.F32 else None, raw_dtype=qtype)
        golden[name] = {"type": qtype.name, "shape": [ROWS, COLUMNS], "values": values.reshape(-1)}
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    # 9 significant digits give every float32 back exactly.
    with open(os.path.join(out_dir, "types.golden.json"), "w") as f:
        f.write("{" + ",".join(
            f'"{name}":{{"type":"{entry["type"]}","shape":{json.dumps(entry["shape"])},"values":['
            + ",".join(f"{v:.9g}" for v in entry["values"]) + "]}" for name, entry in golden.items()) + "}\n")


def random_tensors(rng, config, family):
    """Seeded random HF-named weights of `config`'s shape (std 0.08; norms near 1; small biases)."""
    from gguf_models import HF_NAMES, hf_config
    c = hf_config(config)
    names = HF_NAMES[family]
    d, kv, mlp = c["hidden"], c["kv_heads"] * (c["hidden"] // c["heads"]), c["mlp"]
    shapes = {"attn_norm.weight": [d], "attn_q.weight": [d, d], "attn_k.weight": [kv, d], "attn_v.weight": [kv, d],
              "attn_output.weight": [d, d], "ffn_norm.weight": [d], "ffn_gate.weight": [mlp, d], "ffn_up.weight": [mlp, d],
              "ffn_down.weight": [d, mlp], "attn_q.bias": [d], "attn_k.bias": [kv], "attn_v.bias": [kv]}
    def draw(shape, norm=False):
        if norm:
            return (1 + 0.1 * rng.standard_normal(shape)).astype(np.float32)
        return (0.08 * rng.standard_normal(shape)).astype(np.float32)
    tensors = {names["embedding"]: draw([c["vocab"], d]), names["final_norm"]: draw([d], True),
               names["head"]: draw([c["vocab"], d])}
    for i in range(c["layers"]):
        for suffix, hf in names["roles"].items():
            tensors[names["layer"].format(i=i) + hf] = draw(shapes[suffix], suffix.endswith("norm.weight"))
    return tensors


def write_models(out_dir):
    modeling = os.path.join(FIXTURES, "modeling")
    for folder, out, qtype in [("llada-tiny", "llada-tiny.f32.gguf", T.F32), ("llada-tiny-bf16", "llada-tiny.bf16.gguf", T.BF16),
                               ("dream-tiny", "dream-tiny.f32.gguf", T.F32), ("dream-tiny", "dream-tiny.f16.gguf", T.F16)]:
        source = os.path.join(modeling, folder)
        config = json.load(open(os.path.join(source, "config.json")))
        write_model(os.path.join(out_dir, out), config, read_safetensors(source), lambda _name, q=qtype: q,
                    name=f"{folder} ({qtype.name})")
    tokenization = os.path.join(FIXTURES, "tokenization")
    rng = np.random.default_rng(20261127)
    llada = {"model_type": "llada", "d_model": 64, "n_layers": 2, "n_heads": 2, "n_kv_heads": 2, "mlp_hidden_size": 96,
             "vocab_size": 1512, "max_sequence_length": 512, "rope_theta": 10000.0, "rms_norm_eps": 1e-5, "mask_token_id": 1505}
    llada_types = {"token_embd": T.Q8_0, "attn_q": T.Q4_0, "attn_k": T.Q4_1, "attn_v": T.Q5_0, "attn_output": T.Q5_1,
                   "ffn_gate": T.Q8_0, "ffn_up": T.Q4_0, "ffn_down": T.Q8_0, "output": T.Q4_1}
    write_model(os.path.join(out_dir, "llada-tok.gguf"), llada, random_tensors(rng, llada, "llada"),
                lambda name: llada_types.get(name.split(".")[-2], T.F32),
                tokenizer={"json": json.load(open(os.path.join(tokenization, "qwen2-style.tokenizer.json"))), "pre": "qwen2"},
                name="llada-tok (Q8_0, Q4_0, Q4_1, Q5_0, Q5_1)")
    dream = {"model_type": "Dream", "hidden_size": 256, "num_hidden_layers": 1, "num_attention_heads": 4,
             "num_key_value_heads": 2, "intermediate_size": 256, "vocab_size": 1507, "max_position_embeddings": 512,
             "rope_theta": 1000000.0, "rms_norm_eps": 1e-6, "mask_token_id": 1504}
    dream_types = {"token_embd": T.Q4_K, "attn_q": T.Q4_K, "attn_k": T.Q5_K, "attn_v": T.Q6_K, "attn_output": T.Q8_0,
                   "ffn_gate": T.Q4_K, "ffn_up": T.Q5_K, "ffn_down": T.Q6_K, "output": T.Q6_K}
    write_model(os.path.join(out_dir, "dream-tok.gguf"), dream, random_tensors(rng, dream, "dream"),
                lambda name: dream_types.get(name.split(".")[-2], T.F32),
                tokenizer={"json": json.load(open(os.path.join(tokenization, "llama3-style.tokenizer.json"))), "pre": "llama-bpe"},
                name="dream-tok (Q4_K, Q5_K, Q6_K, Q8_0)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_gguf_fixtures.py OUT_DIR")
    main(sys.argv[1])
    write_models(sys.argv[1])
