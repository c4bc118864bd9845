#!/usr/bin/env python3
"""A misbehaving engine for the protocol tests (RemoteEngineTests): it speaks just enough of
docs/engine-protocol.md to get a decode going, then breaks the protocol in the way MODE names.
Describes a model like Tests/Fixtures/modeling/llada-tiny (vocabulary 97, mask 96, end of text 94)
and answers forwards with all-zero f32 logits. Standard library only.

    fake-engine.py MODE [FORWARDS]    FORWARDS: good forwards served before MODE applies (default 0)
"""
import os
import signal
import struct
import sys
import time

MODE = sys.argv[1]
GOOD = int(sys.argv[2]) if len(sys.argv) > 2 else 0
VOCAB = 97
TOKENIZER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tui", "tiny-tokenizer.json")
out, inp = sys.stdout.buffer, sys.stdin.buffer


def read_exactly(n):
    data = b""
    while len(data) < n:
        chunk = inp.read(n - len(data))
        if not chunk:
            sys.exit(0)
        data += chunk
    return data


def read_frame():
    (length,) = struct.unpack("<I", read_exactly(4))
    return read_exactly(length)


def send(kind, body=b"", length=None):
    out.write(struct.pack("<IB", len(body) + 1 if length is None else length, kind) + body)
    out.flush()


def string(text):
    data = text.encode()
    return struct.pack("<H", len(data)) + data


def welcome(version=1, fmt=1):
    return (b"DLPE" + struct.pack("<HBBIIIIiBI", version, fmt, 0, VOCAB, 128, 96, 94, 93, 15, 128)
            + string("fake") + string("0000000000000000") + string("fake engine " + MODE) + string(""))


hello = read_frame()
if MODE == "garbage-welcome":
    out.write(b"this is not a frame, it is a log line printed to standard output\n")
    out.flush()
    time.sleep(5)
    sys.exit(0)
if MODE == "truncated-welcome":
    whole = welcome()
    out.write(struct.pack("<IB", len(whole) + 1, 0x02) + whole[:7])
    out.flush()
    sys.exit(0)
if MODE == "wrong-version":
    send(0x02, welcome(version=7))
    time.sleep(5)
    sys.exit(0)
if MODE == "exit-before-welcome":
    print("fake engine: CUDA error: no kernel image is available for execution on the device", file=sys.stderr, flush=True)
    sys.exit(3)
send(0x02, welcome())

served = 0
while True:
    payload = read_frame()
    kind = payload[0]
    if kind in (0x04, 0x05):  # RESET, TRUNCATE
        send(0x82, struct.pack("<I", 0))
        continue
    if kind == 0x06:  # FILE?: the tiny byte-level tokenizer, nothing else
        name = payload[3:].decode()
        if name == "tokenizer.json":
            with open(TOKENIZER, "rb") as f:
                data = f.read()
            send(0x83, struct.pack("<BI", 1, len(data)) + data)
        else:
            send(0x83, struct.pack("<BI", 0, 0))
        continue
    n = struct.unpack_from("<I", payload, 1)[0]
    at = 5 + 8 * n
    cache, a, b = struct.unpack_from("<BII", payload, at)
    at += 9
    if payload[at] == 1:
        q, k = struct.unpack_from("<II", payload, at + 1)
        at += 9 + (q * k + 7) // 8
    else:
        at += 1
    if payload[at] == 1:
        rows = struct.unpack_from("<I", payload, at + 1)[0]
    else:
        rows = n
    if served >= GOOD:
        if MODE == "kill-mid-decode":
            os.kill(os.getpid(), signal.SIGKILL)
        if MODE == "oversized-logits":
            send(0x81, b"", length=0xFFFFFFF0)
            time.sleep(5)
            sys.exit(0)
        if MODE == "truncated-logits":
            header = struct.pack("<IIBBIIId", rows, VOCAB, 1, cache, a, b, 0, 0.0)
            send(0x81, header + bytes(8), length=len(header) + 1 + rows * VOCAB * 4)
            sys.exit(0)
        if MODE == "error-on-forward":
            send(0xEE, struct.pack("<H", 5) + string("CUDA out of memory. Tried to allocate 2.00 GiB"))
            continue
        if MODE == "silent":
            time.sleep(60)
            sys.exit(0)
        if MODE == "wrong-kind":
            send(0x82, struct.pack("<I", 0))
            continue
    served += 1
    header = struct.pack("<IIBBIIId", rows, VOCAB, 1, cache, a, b, 0, 0.001)
    send(0x81, header + bytes(rows * VOCAB * 4))
