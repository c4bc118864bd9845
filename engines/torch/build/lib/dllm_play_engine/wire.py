"""Frames of the engine protocol (docs/engine-protocol.md): little-endian, length-prefixed, every
length checked against its cap before anything is allocated or read."""
import struct
from dataclasses import dataclass

import numpy as np
import torch

from .errors import EngineFailure, MALFORMED, TOO_LARGE, UNSUPPORTED, VERSION

MAGIC = b"DLPE"
VERSION_NUMBER = 1
HELLO, WELCOME, FORWARD, RESET, TRUNCATE, FILE_REQUEST = 0x01, 0x02, 0x03, 0x04, 0x05, 0x06
LOGITS, CACHE, FILE, ERROR = 0x81, 0x82, 0x83, 0xEE

MAX_PAYLOAD = 1 << 30
MAX_TOKENS = 65536
MAX_MASK_CELLS = 1 << 28
MAX_VOCABULARY = 1 << 24
MAX_STRING = 4096
MAX_FILE = 64 << 20
SERVED_FILES = ("tokenizer.json", "tokenizer_config.json", "config.json", "generation_config.json")

F32, F16, BF16 = 1, 2, 3
FORMAT_NAMES = {F32: "f32", F16: "f16", BF16: "bf16"}
CACHE_NONE, CACHE_BUILD, CACHE_PREFIX, CACHE_WINDOW, CACHE_EXTEND = range(5)
CACHE_KIND_NAMES = {CACHE_NONE: "none", CACHE_BUILD: "build", CACHE_PREFIX: "prefix", CACHE_WINDOW: "window",
                    CACHE_EXTEND: "extend"}
MODE_BITS = {CACHE_BUILD: 1, CACHE_PREFIX: 2, CACHE_WINDOW: 4, CACHE_EXTEND: 8}
ALL_MODES = 15


class EndOfStream(Exception):
    """The client closed the stream between frames (a normal end)."""


def _read_exactly(stream, count, what):
    chunks, got = [], 0
    while got < count:
        chunk = stream.read(count - got)
        if not chunk:
            if got == 0 and what == "frame length":
                raise EndOfStream()
            raise EngineFailure(MALFORMED, f"stream ended {got} bytes into the {count}-byte {what}")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def read_frame(stream):
    """One payload (kind byte first); raises EndOfStream at a clean end."""
    (length,) = struct.unpack("<I", _read_exactly(stream, 4, "frame length"))
    if length > MAX_PAYLOAD:
        raise EngineFailure(TOO_LARGE, f"frame payload of {length} bytes exceeds the cap of {MAX_PAYLOAD}")
    if length == 0:
        raise EngineFailure(MALFORMED, "empty frame (no kind byte)")
    return _read_exactly(stream, length, "frame payload")


def write_frame(stream, kind, *parts):
    body = b"".join(parts)
    stream.write(struct.pack("<IB", len(body) + 1, kind))
    stream.write(body)
    stream.flush()


def string(text):
    data = text.encode("utf-8")[:MAX_STRING]
    while True:  # never cut inside a character
        try:
            data.decode("utf-8")
            break
        except UnicodeDecodeError:
            data = data[:-1]
    return struct.pack("<H", len(data)) + data


class Reader:
    """Reads fields of one payload, never past its end."""

    def __init__(self, payload):
        self.data, self.at = payload, 0

    def take(self, count, field):
        if count < 0 or self.at + count > len(self.data):
            raise EngineFailure(MALFORMED, f"payload ends inside {field} (needs {count} bytes at offset {self.at}, "
                                           f"{len(self.data) - self.at} left)")
        chunk = self.data[self.at:self.at + count]
        self.at += count
        return chunk

    def u8(self, field):
        return self.take(1, field)[0]

    def u16(self, field):
        return struct.unpack("<H", self.take(2, field))[0]

    def u32(self, field):
        return struct.unpack("<I", self.take(4, field))[0]

    def count(self, field, cap):
        value = self.u32(field)
        if value > cap:
            raise EngineFailure(TOO_LARGE, f"{field} of {value} exceeds the cap of {cap}")
        return value

    def u32s(self, n, field):
        return np.frombuffer(self.take(4 * n, field), dtype="<u4").astype(np.int64)

    def string(self, field):
        n = self.u16(field)
        if n > MAX_STRING:
            raise EngineFailure(TOO_LARGE, f"{field} of {n} bytes exceeds the cap of {MAX_STRING}")
        return self.take(n, field).decode("utf-8", errors="replace")

    def finish(self, frame):
        if self.at != len(self.data):
            raise EngineFailure(MALFORMED, f"{len(self.data) - self.at} stray bytes after the {frame} frame")


def parse_hello(payload, served=(F16, BF16, F32)):
    """The logit format to use: the client's first choice this engine serves."""
    r = Reader(payload)
    if r.u8("kind") != HELLO:
        raise EngineFailure(MALFORMED, f"expected HELLO (0x01), got frame kind 0x{payload[0]:02x}")
    magic = r.take(4, "magic")
    version = r.u16("version")
    if magic != MAGIC or version != VERSION_NUMBER:
        raise EngineFailure(VERSION, f"client speaks {magic!r} version {version}; this engine speaks {MAGIC!r} "
                                     f"version {VERSION_NUMBER} (hint: use the engine of the same checkout)")
    formats = [r.u8("logit format") for _ in range(r.u8("format count"))]
    r.finish("HELLO")
    for f in formats:
        if f in served:
            return f
    raise EngineFailure(UNSUPPORTED, f"none of the logit formats {formats} is served (f32=1, f16=2, bf16=3)")


@dataclass
class Descriptor:
    family: str            # "llada" or "dream"
    vocabulary: int
    max_sequence: int
    mask_id: int
    end_of_text_id: int
    end_of_turn_id: int    # -1: none
    cache_modes: int       # bit set, see MODE_BITS
    max_tokens: int
    name: str
    weights_hash: str
    engine: str
    note: str = ""


def welcome(fmt, d):
    return (MAGIC + struct.pack("<HBBIIIIiBI", VERSION_NUMBER, fmt, 1 if d.family == "dream" else 0, d.vocabulary,
                                d.max_sequence, d.mask_id, d.end_of_text_id, d.end_of_turn_id, d.cache_modes, d.max_tokens)
            + string(d.name) + string(d.weights_hash) + string(d.engine) + string(d.note))


@dataclass
class Request:
    tokens: torch.Tensor      # [n] int64
    positions: torch.Tensor   # [n] int64
    cache: int                # CACHE_*
    a: int
    b: int
    mask: torch.Tensor | None  # [n, keys] bool, True = may attend
    rows: list | None


def parse_forward(payload):
    r = Reader(payload)
    r.u8("kind")
    n = r.count("token count", MAX_TOKENS)
    if n == 0:
        raise EngineFailure(MALFORMED, "FORWARD with no tokens")
    tokens = torch.from_numpy(r.u32s(n, "token ids"))
    positions = torch.from_numpy(r.u32s(n, "positions"))
    cache = r.u8("cache kind")
    if cache not in CACHE_KIND_NAMES:
        raise EngineFailure(MALFORMED, f"unknown cache kind {cache}")
    a, b = r.u32("cache a"), r.u32("cache b")
    mask = None
    mask_kind = r.u8("mask kind")
    if mask_kind == 1:
        q, k = r.count("mask queries", MAX_TOKENS), r.u32("mask keys")
        if q * k > MAX_MASK_CELLS:
            raise EngineFailure(TOO_LARGE, f"attention mask of {q}x{k} cells exceeds the cap of {MAX_MASK_CELLS}")
        bits = np.frombuffer(r.take((q * k + 7) // 8, "mask bits"), dtype=np.uint8)
        mask = torch.from_numpy(np.unpackbits(bits, bitorder="little")[:q * k].astype(bool).reshape(q, k))
    elif mask_kind != 0:
        raise EngineFailure(MALFORMED, f"unknown mask kind {mask_kind}")
    rows = None
    rows_kind = r.u8("rows kind")
    if rows_kind == 1:
        rows = r.u32s(r.count("row count", MAX_TOKENS), "logit rows").tolist()
    elif rows_kind != 0:
        raise EngineFailure(MALFORMED, f"unknown rows kind {rows_kind}")
    r.finish("FORWARD")
    return Request(tokens, positions, cache, a, b, mask, rows)


def logits_body(logits, fmt, cache, a, b, cached_after, seconds):
    """logits: [rows, vocab] float tensor (any device)."""
    rows, vocab = logits.shape
    header = struct.pack("<IIBBIIId", rows, vocab, fmt, cache, a, b, cached_after, seconds)
    t = logits.detach()
    if fmt == F32:
        data = t.to(torch.float32).cpu().contiguous().numpy().astype("<f4").tobytes()
    elif fmt == F16:
        data = t.to(torch.float16).cpu().contiguous().numpy().astype("<f2").tobytes()
    else:
        data = t.to(torch.bfloat16).cpu().contiguous().view(torch.int16).numpy().astype("<i2").tobytes()
    return header + data


def error_body(failure):
    return struct.pack("<H", failure.code) + string(failure.message)
