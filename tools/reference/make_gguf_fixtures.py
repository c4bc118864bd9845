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
"""
import json
import os
import sys

import gguf
import numpy as np
from gguf import GGMLQuantizationType as T

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


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_gguf_fixtures.py OUT_DIR")
    main(sys.argv[1])
