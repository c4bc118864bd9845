#!/usr/bin/env python3
"""Copies a GGUF model file, adding the tokenizer of another GGUF file (stdlib only).

    graft_tokenizer.py MODEL.gguf DONOR.gguf OUT.gguf

The random models `dllm-play bench --gguf --keep-gguf` writes carry no vocabulary, and both
llama.cpp and `dllm-play run` need one. OUT gets every key of MODEL except tokenizer.*, then the
donor's tokenizer.* keys; the token list is padded to MODEL's vocabulary (the rows of
token_embd.weight) with tokens of type 5 (unused), so the embedding and the vocabulary agree.
The special ids (mask, end of text, padding) are the donor's. Tensor infos and the data section
are copied unchanged (offsets are relative to the data section, which is re-aligned).
"""
import struct
import sys

# GGUF value types: id -> struct format of a scalar (8 string, 9 array).
SCALARS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q", 12: "d"}


class GraftError(Exception):
    pass


class Reader:
    def __init__(self, path):
        self.path, self.f = path, open(path, "rb")

    def take(self, fmt):
        size = struct.calcsize("<" + fmt)
        raw = self.f.read(size)
        if len(raw) != size:
            raise GraftError(f"{self.path}: truncated at byte {self.f.tell()}")
        return struct.unpack("<" + fmt, raw)[0]

    def string(self):
        n = self.take("Q")
        return self.f.read(n).decode("utf-8")

    def value(self, vtype):
        if vtype == 8:
            return self.string()
        if vtype == 9:
            etype, n = self.take("I"), self.take("Q")
            return (etype, [self.value(etype) for _ in range(n)])
        if vtype not in SCALARS:
            raise GraftError(f"{self.path}: unknown value type {vtype} at byte {self.f.tell()}")
        return self.take(SCALARS[vtype])


def read_header(path):
    """(kvs [(key, type, value)], tensor infos [(name, dims, type, offset)], data start, alignment)."""
    r = Reader(path)
    if r.f.read(4) != b"GGUF":
        raise GraftError(f"{path}: not a GGUF file (expected magic 'GGUF')")
    version = r.take("I")
    if version != 3:
        raise GraftError(f"{path}: GGUF version {version}, expected 3")
    n_tensors, n_kv = r.take("Q"), r.take("Q")
    kvs = []
    for _ in range(n_kv):
        key = r.string()
        vtype = r.take("I")
        kvs.append((key, vtype, r.value(vtype)))
    tensors = []
    for _ in range(n_tensors):
        name = r.string()
        dims = [r.take("Q") for _ in range(r.take("I"))]
        tensors.append((name, dims, r.take("I"), r.take("Q")))
    alignment = next((v for k, _, v in kvs if k == "general.alignment"), 32)
    start = -(-r.f.tell() // alignment) * alignment
    r.f.close()
    return kvs, tensors, start, alignment


def pack_value(vtype, value):
    if vtype == 8:
        raw = value.encode("utf-8")
        return struct.pack("<Q", len(raw)) + raw
    if vtype == 9:
        etype, items = value
        return struct.pack("<IQ", etype, len(items)) + b"".join(pack_value(etype, v) for v in items)
    return struct.pack("<" + SCALARS[vtype], value)


def pack_string(s):
    return pack_value(8, s)


def graft(model_path, donor_path, out_path):
    kvs, tensors, data_start, alignment = read_header(model_path)
    donor_kvs, _, _, _ = read_header(donor_path)
    embedding = next((dims for name, dims, _, _ in tensors if name == "token_embd.weight"), None)
    if embedding is None:
        raise GraftError(f"{model_path}: no token_embd.weight tensor; expected a llada or dream model")
    vocab = embedding[1]  # GGUF dims are [columns, rows]: [hidden, vocabulary]
    tok = {k: (t, v) for k, t, v in donor_kvs if k.startswith("tokenizer.")}
    if "tokenizer.ggml.tokens" not in tok or "tokenizer.ggml.token_type" not in tok:
        raise GraftError(f"{donor_path}: no tokenizer.ggml.tokens/token_type; expected a tokenizer-bearing GGUF")
    tokens = tok["tokenizer.ggml.tokens"][1][1]
    types = tok["tokenizer.ggml.token_type"][1][1]
    if len(tokens) > vocab:
        raise GraftError(f"{donor_path}: {len(tokens)} tokens exceed {model_path}'s vocabulary {vocab}")
    pad = vocab - len(tokens)
    tok["tokenizer.ggml.tokens"] = (9, (8, tokens + [f"<|unused_{i}|>" for i in range(pad)]))
    tok["tokenizer.ggml.token_type"] = (9, (5, types + [5] * pad))

    out_kvs = [(k, t, v) for k, t, v in kvs if not k.startswith("tokenizer.")] + [(k, t, v) for k, (t, v) in tok.items()]
    header = b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(out_kvs))
    for k, t, v in out_kvs:
        header += pack_string(k) + struct.pack("<I", t) + pack_value(t, v)
    for name, dims, ttype, offset in tensors:
        header += pack_string(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        header += struct.pack("<IQ", ttype, offset)
    header += b"\0" * (-len(header) % alignment)
    with open(model_path, "rb") as src, open(out_path, "wb") as dst:
        dst.write(header)
        src.seek(data_start)
        while chunk := src.read(1 << 24):
            dst.write(chunk)
    print(f"{out_path}: {donor_path}'s tokenizer ({len(tokens)} tokens) padded with {pad} unused tokens to {vocab}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: graft_tokenizer.py MODEL.gguf DONOR.gguf OUT.gguf")
    try:
        graft(*sys.argv[1:])
    except (GraftError, OSError, UnicodeDecodeError) as e:
        sys.exit(f"error: {e}")
