"""The engine's side of the protocol: HELLO/WELCOME, then one reply per request until the client
closes the stream. Every failure becomes an ERROR frame; a fatal one (malformed, version, too
large) also ends the connection, since the stream can no longer be trusted."""
import os
import socket
import struct
import sys
import traceback

import torch

from . import wire
from .errors import EngineFailure, INTERNAL, INVALID_REQUEST, OUT_OF_MEMORY, UNSUPPORTED


def log(message):
    print(f"dllm-play-engine: {message}", file=sys.stderr, flush=True)


def _as_failure(error):
    if isinstance(error, EngineFailure):
        return error
    if isinstance(error, torch.cuda.OutOfMemoryError) or "out of memory" in str(error).lower():
        return EngineFailure(OUT_OF_MEMORY, f"{str(error).splitlines()[0]} (hint: fewer tokens per forward, "
                                            "--device-map balanced over more GPUs, or a smaller model)")
    traceback.print_exc(file=sys.stderr)
    return EngineFailure(INTERNAL, f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")


class Session:
    """One client connection over a pair of binary streams."""

    def __init__(self, backend, folder, rfile, wfile):
        self.backend, self.folder, self.r, self.w = backend, folder, rfile, wfile
        self.format = None

    def run(self, load_error=None):
        try:
            payload = wire.read_frame(self.r)
            self.format = wire.parse_hello(payload, served=self.backend.formats if self.backend else (wire.F32,))
            if load_error is not None:
                raise load_error
            wire.write_frame(self.w, wire.WELCOME, wire.welcome(self.format, self.backend.descriptor))
        except wire.EndOfStream:
            return
        except Exception as error:  # noqa: BLE001 - every failure goes back typed
            self._error(_as_failure(error))
            return
        if self.backend is not None:
            self.backend.reset()
        while True:
            try:
                payload = wire.read_frame(self.r)
                self._serve(payload)
            except wire.EndOfStream:
                return
            except (BrokenPipeError, ConnectionResetError):
                return
            except Exception as error:  # noqa: BLE001
                failure = _as_failure(error)
                if not self._error(failure) or failure.fatal:
                    return

    def _serve(self, payload):
        kind = payload[0]
        if kind == wire.FORWARD:
            request = wire.parse_forward(payload)
            logits, seconds = self.backend.forward(request)
            body = wire.logits_body(logits, self.format, request.cache, request.a, request.b, self.backend.cached, seconds)
            wire.write_frame(self.w, wire.LOGITS, body)
        elif kind in (wire.RESET, wire.TRUNCATE):
            reader = wire.Reader(payload)
            reader.u8("kind")
            if kind == wire.RESET:
                reader.finish("RESET")
                self.backend.reset()
            else:
                length = reader.u32("length")
                reader.finish("TRUNCATE")
                self.backend.truncate(length)
            wire.write_frame(self.w, wire.CACHE, struct.pack("<I", self.backend.cached))
        elif kind == wire.FILE_REQUEST:
            reader = wire.Reader(payload)
            reader.u8("kind")
            name = reader.string("file name")
            reader.finish("FILE?")
            if name not in wire.SERVED_FILES:
                raise EngineFailure(INVALID_REQUEST, f"file {name!r} is not served (only {', '.join(wire.SERVED_FILES)})")
            path = os.path.join(self.folder, name)
            data = b""
            if os.path.exists(path):
                if os.path.getsize(path) > wire.MAX_FILE:
                    raise EngineFailure(UNSUPPORTED, f"{path} is larger than {wire.MAX_FILE} bytes")
                with open(path, "rb") as f:
                    data = f.read()
            wire.write_frame(self.w, wire.FILE, struct.pack("<BI", 1 if os.path.exists(path) else 0, len(data)), data)
        else:
            raise EngineFailure(wire.MALFORMED, f"unknown frame kind 0x{kind:02x}")

    def _error(self, failure):
        log(str(failure))
        try:
            wire.write_frame(self.w, wire.ERROR, wire.error_body(failure))
            return True
        except OSError:
            return False


def serve_stdio(backend, folder, load_error=None):
    """Frames on the real standard output; anything else printing goes to standard error."""
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    stdin = os.fdopen(os.dup(0), "rb", buffering=0)
    Session(backend, folder, stdin, _Buffered(out)).run(load_error)


def serve_tcp(backend, folder, host, port, load_error=None, once=False):
    """Serves one client at a time, for as long as the process lives (or one client with `once`)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((host, port))
        server.listen(1)
        log(f"listening on {host}:{server.getsockname()[1]}")
        while True:
            connection, peer = server.accept()
            log(f"client {peer[0]}:{peer[1]}")
            with connection:
                connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                rfile, wfile = connection.makefile("rb"), connection.makefile("wb")
                Session(backend, folder, rfile, wfile).run(load_error)
            if once:
                return


class _Buffered:
    """Joins a frame's parts into one write (one syscall per frame)."""

    def __init__(self, raw):
        self.raw, self.parts = raw, []

    def write(self, data):
        self.parts.append(bytes(data))

    def flush(self):
        data, self.parts = b"".join(self.parts), []
        view = memoryview(data)
        while view:
            written = self.raw.write(view)
            view = view[written:]
