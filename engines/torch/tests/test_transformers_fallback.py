"""The `transformers` fallback on a folder that carries its own modeling code (trust_remote_code):
the toy masked-diffusion model of Tests/Fixtures/engine/toy-diffusion, so the test needs no download. Full forwards only; the
handshake says so, and cached or masked requests are `unsupported`."""
import os
import shutil

import pytest
import torch

from conftest import ROOT
from dllm_play_engine import wire
from dllm_play_engine.errors import EngineFailure, UNSUPPORTED

transformers = pytest.importorskip("transformers", reason="the transformers extra is not installed")

FIXTURE = os.path.join(ROOT, "Tests", "Fixtures", "engine", "toy-diffusion")


@pytest.fixture()
def folder(tmp_path):
    # A copy, so transformers' module cache writes nothing into the repository.
    return shutil.copytree(FIXTURE, tmp_path / "toy-diffusion").as_posix()


def request(tokens, cache=wire.CACHE_NONE, rows=None, positions=None):
    t = torch.tensor(tokens)
    return wire.Request(t, torch.arange(len(tokens)) if positions is None else torch.tensor(positions), cache, 0, 0, None, rows)


def test_full_forwards_through_the_folders_own_code(folder):
    from dllm_play_engine.backends import TransformersBackend
    backend = TransformersBackend(folder)
    d = backend.descriptor
    assert (d.family, d.vocabulary, d.mask_id, d.end_of_text_id, d.cache_modes) == ("llada", 97, 96, 94, 0)
    assert "uncached full forwards only" in d.note and d.engine.startswith("torch ") and "transformers-4.57.1" in d.engine
    logits, _ = backend.forward(request([5, 6, 96, 96], rows=[2, 3]))
    from safetensors.torch import load_file
    w = load_file(os.path.join(folder, "model.safetensors"))
    x = w["embed.weight"][torch.tensor([5, 6, 96, 96])]
    expected = (x + x.mean(0, keepdim=True)) @ w["head.weight"].T
    assert torch.allclose(logits, expected[[2, 3]], atol=1e-5)


@pytest.mark.parametrize("bad, reason", [
    (dict(cache=wire.CACHE_BUILD), "build cache: the transformers fallback runs uncached full forwards only"),
    (dict(positions=[4, 5, 6]), "positions other than 0..n-1"),
])
def test_what_the_fallback_cannot_serve(folder, bad, reason):
    from dllm_play_engine.backends import TransformersBackend
    backend = TransformersBackend(folder)
    with pytest.raises(EngineFailure) as caught:
        backend.forward(request([1, 2, 3], **bad))
    assert caught.value.code == UNSUPPORTED and reason in caught.value.message


def test_auto_backend_picks_the_fallback_for_an_unknown_family(folder):
    from dllm_play_engine.cli import make_backend
    import argparse
    args = argparse.Namespace(model=folder, device="cpu", dtype=None, device_map="none", backend="auto", threads=None)
    backend, failure = make_backend(args)
    assert failure is None and backend.descriptor.cache_modes == 0
