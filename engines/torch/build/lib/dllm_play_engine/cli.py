"""`dllm-play-engine`: serve a model over the engine protocol (standard streams, or TCP with
--listen), or `bench` its forward passes, or write a `random` checkpoint of a named shape."""
import argparse
import os
import sys

import torch

from .errors import EngineFailure, INVALID_REQUEST

DTYPES = {"f32": torch.float32, "float32": torch.float32, "bf16": torch.bfloat16, "bfloat16": torch.bfloat16,
          "f16": torch.float16, "float16": torch.float16}


def add_model_options(p):
    p.add_argument("--model", required=True, help="HF checkpoint folder (config.json, safetensors, tokenizer.json)")
    p.add_argument("--device", default="cpu", help="cpu, cuda or cuda:N (default cpu)")
    p.add_argument("--dtype", choices=sorted(DTYPES), help="compute dtype (default: bf16 on CUDA, f32 on CPU)")
    p.add_argument("--device-map", choices=["none", "auto", "balanced"], default="none",
                   help="spread the layers over every visible GPU (auto and balanced: evenly, in order)")
    p.add_argument("--backend", choices=["auto", "own", "transformers"], default="auto",
                   help="own: our LLaDA/Dream forward with every cache mode; transformers: the folder's own modeling "
                        "code, uncached (auto: own for LLaDA and Dream folders)")
    p.add_argument("--threads", type=int, help="torch CPU threads")


def make_backend(args):
    """The backend, or (None, failure) when loading failed: the failure is sent as the reply to HELLO."""
    from .backends import OwnBackend, TransformersBackend
    from .checkpoint import family_of, read_json
    if args.threads:
        torch.set_num_threads(args.threads)
    dtype = DTYPES[args.dtype] if args.dtype else None
    folder = args.model
    try:
        if not os.path.isdir(folder):
            raise EngineFailure(INVALID_REQUEST, f"--model {folder}: no such folder on this machine")
        backend = args.backend
        if backend == "auto":
            backend = "own" if family_of(read_json(os.path.join(folder, "config.json"))) else "transformers"
        cls = OwnBackend if backend == "own" else TransformersBackend
        return cls(folder, device=args.device, dtype=dtype, device_map=args.device_map), None
    except EngineFailure as failure:
        return None, failure
    except Exception as error:  # noqa: BLE001 - out of memory, CUDA errors: typed for the client
        from .server import _as_failure
        return None, _as_failure(error)


def serve_main(argv):
    p = argparse.ArgumentParser(prog="dllm-play-engine", description=__doc__)
    add_model_options(p)
    p.add_argument("--listen", metavar="HOST:PORT", help="serve TCP clients instead of standard input/output")
    p.add_argument("--once", action="store_true", help="with --listen: exit after the first client")
    args = p.parse_args(argv)
    from .server import log, serve_stdio, serve_tcp
    backend, failure = make_backend(args)
    if failure is not None:
        log(f"cannot load {args.model}: {failure}")
    else:
        log(f"{backend.descriptor.name}: {backend.descriptor.engine}"
            + (f" ({backend.descriptor.note})" if backend.descriptor.note else ""))
    if args.listen:
        host, _, port = args.listen.rpartition(":")
        if not host or not port.isdigit():
            p.error(f"--listen {args.listen}: expected HOST:PORT, e.g. 0.0.0.0:7077")
        serve_tcp(backend, args.model, host.strip("[]"), int(port), failure, once=args.once)
    else:
        serve_stdio(backend, args.model, failure)
    return 0


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] == "bench":
            from .bench import main as bench_main
            return bench_main(argv[1:])
        if argv and argv[0] == "random":
            from .random_checkpoint import main as random_main
            return random_main(argv[1:])
        return serve_main(argv)
    except KeyboardInterrupt:
        return 130
