"""The protocol end to end over in-memory streams: handshake, forwards, cache messages, files, and
every broken frame answered by a typed ERROR (and a closed connection where the stream is lost)."""
import io
import os
import struct

import numpy as np
import pytest

from conftest import FIXTURES
from dllm_play_engine import wire
from dllm_play_engine.backends import OwnBackend
from dllm_play_engine.errors import INVALID_REQUEST, MALFORMED, TOO_LARGE, UNSUPPORTED, VERSION
from dllm_play_engine.server import Session

FOLDER = os.path.join(FIXTURES, "llada-tiny")


@pytest.fixture(scope="module")
def backend():
    return OwnBackend(FOLDER)


def frame(kind, body=b"", length=None):
    return struct.pack("<IB", len(body) + 1 if length is None else length, kind) + body


def hello(formats=(wire.F32,), version=1, magic=b"DLPE"):
    return frame(wire.HELLO, magic + struct.pack("<HB", version, len(formats)) + bytes(formats))


def forward(tokens, cache=0, a=0, b=0, rows=None):
    body = struct.pack("<I", len(tokens)) + struct.pack(f"<{len(tokens)}I", *tokens)
    body += struct.pack(f"<{len(tokens)}I", *range(len(tokens))) + struct.pack("<BIIB", cache, a, b, 0)
    body += b"\x00" if rows is None else struct.pack("<BI", 1, len(rows)) + struct.pack(f"<{len(rows)}I", *rows)
    return frame(wire.FORWARD, body)


def converse(backend, data):
    out = io.BytesIO()
    Session(backend, FOLDER, io.BytesIO(data), out).run()
    replies, stream = [], io.BytesIO(out.getvalue())
    while True:
        try:
            replies.append(wire.read_frame(stream))
        except wire.EndOfStream:
            return replies


def error_of(payload):
    assert payload[0] == wire.ERROR, f"expected an ERROR frame, got kind {payload[0]:#x}"
    r = wire.Reader(payload)
    r.u8("kind")
    return r.u16("code"), r.string("message")


def test_handshake_forward_and_cache_messages(backend):
    replies = converse(backend, hello() + forward([1, 2, 3], cache=wire.CACHE_BUILD, rows=[2])
                       + frame(wire.TRUNCATE, struct.pack("<I", 2)) + frame(wire.RESET)
                       + frame(wire.FILE_REQUEST, wire.string("tokenizer.json"))
                       + frame(wire.FILE_REQUEST, wire.string("generation_config.json")))
    welcome, logits, truncated, reset, tokenizer, absent = replies
    assert welcome[0] == wire.WELCOME and welcome[1:5] == b"DLPE"
    version, fmt, family, vocab = struct.unpack_from("<HBBI", welcome, 5)
    assert (version, fmt, family, vocab) == (1, wire.F32, 0, 97)
    rows, v, fmt, cache, a, b, cached, seconds = struct.unpack_from("<IIBBIIId", logits, 1)
    assert (rows, v, fmt, cache, cached) == (1, 97, wire.F32, wire.CACHE_BUILD, 3) and seconds >= 0
    values = np.frombuffer(logits[35 - 4:], dtype="<f4")
    assert values.shape == (97,) and np.isfinite(values).all()
    assert truncated == bytes([wire.CACHE]) + struct.pack("<I", 2)
    assert reset == bytes([wire.CACHE]) + struct.pack("<I", 0)
    assert tokenizer[0] == wire.FILE and tokenizer[1] == 1
    with open(os.path.join(FOLDER, "tokenizer.json"), "rb") as f:
        assert tokenizer[6:] == f.read()
    assert absent == bytes([wire.FILE, 0]) + struct.pack("<I", 0)


def test_f16_logits_are_the_f32_ones_rounded(backend):
    f32 = converse(backend, hello((wire.F32,)) + forward([4, 5, 6]))[1]
    f16 = converse(backend, hello((wire.F16,)) + forward([4, 5, 6]))[1]
    a = np.frombuffer(f32[35 - 4:], dtype="<f4")
    b = np.frombuffer(f16[35 - 4:], dtype="<f2").astype(np.float32)
    assert a.shape == b.shape == (3 * 97,)
    assert np.allclose(a, b, rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("data, code, text", [
    (hello(version=2), VERSION, "version 2"),
    (hello(magic=b"XXXX"), VERSION, "b'XXXX'"),
    (hello(formats=(9,)), UNSUPPORTED, "none of the logit formats [9]"),
    (hello()[:-1], MALFORMED, "stream ended"),
    (struct.pack("<I", wire.MAX_PAYLOAD + 1), TOO_LARGE, "exceeds the cap"),
    (struct.pack("<I", 0), MALFORMED, "empty frame"),
])
def test_broken_handshakes(backend, data, code, text):
    replies = converse(backend, data)
    assert len(replies) == 1
    got, message = error_of(replies[0])
    assert got == code and text in message, message


@pytest.mark.parametrize("data, code, text, serves_on", [
    (forward([1, 2, 500]), INVALID_REQUEST, "outside the vocabulary", True),
    (forward([1, 2], cache=wire.CACHE_PREFIX, a=9), INVALID_REQUEST, "prefix of 9 rows", True),
    (frame(wire.FILE_REQUEST, wire.string("../../etc/passwd")), INVALID_REQUEST, "is not served", True),
    (frame(wire.FORWARD, struct.pack("<I", wire.MAX_TOKENS + 1)), TOO_LARGE, "token count of 65537", False),
    (frame(wire.FORWARD, struct.pack("<I", 3) + b"\x01"), MALFORMED, "payload ends inside token ids", False),
    (frame(wire.FORWARD, forward([1])[5:] + b"\x00"), MALFORMED, "stray bytes", False),
    (frame(0x42), MALFORMED, "unknown frame kind 0x42", False),
    (frame(wire.FORWARD, struct.pack("<I", 1) + bytes(8) + struct.pack("<BIIBII", 0, 0, 0, 1, 60000, 60000)),
     TOO_LARGE, "attention mask of 60000x60000", False),
])
def test_broken_requests(backend, data, code, text, serves_on):
    replies = converse(backend, hello() + data + forward([1, 2]))
    got, message = error_of(replies[1])
    assert got == code and text in message, message
    # Request errors leave the connection serving; a broken stream is closed after the reply.
    assert len(replies) == (3 if serves_on else 2)
    if serves_on:
        assert replies[2][0] == wire.LOGITS


def test_load_failure_is_the_reply_to_hello():
    from dllm_play_engine.errors import DEVICE, EngineFailure
    out = io.BytesIO()
    Session(None, FOLDER, io.BytesIO(hello()), out).run(EngineFailure(DEVICE, "--device cuda: no CUDA device"))
    code, message = error_of(wire.read_frame(io.BytesIO(out.getvalue())))
    assert code == DEVICE and "no CUDA device" in message


def test_a_frame_cut_short_by_the_end_of_the_stream(backend):
    replies = converse(backend, hello() + forward([1, 2])[:-3])
    code, message = error_of(replies[1])
    assert len(replies) == 2 and code == MALFORMED and "stream ended 29 bytes into the 32-byte frame payload" in message
