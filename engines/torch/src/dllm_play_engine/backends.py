"""What the server drives: our own LLaDA/Dream forward (every cache mode), or the `transformers`
fallback (uncached full forwards of any folder with its own modeling code)."""
import os

import torch

from . import wire
from .checkpoint import family_of, read_json
from .errors import EngineFailure, INVALID_REQUEST, UNSUPPORTED


def _engine_name(kind, devices, dtype):
    names = ",".join(dict.fromkeys(str(d) for d in devices))
    return f"torch {torch.__version__} {kind} {names} {str(dtype).replace('torch.', '')}"


class OwnBackend:
    formats = (wire.F16, wire.BF16, wire.F32)

    def __init__(self, folder, device="cpu", dtype=None, device_map=None):
        from .model import TorchModel
        self.model = m = TorchModel(folder, device=device, dtype=dtype, device_map=device_map)
        c, s = m.config, m.special
        self.descriptor = wire.Descriptor(
            family=c.family, vocabulary=c.vocabulary, max_sequence=c.max_sequence, mask_id=s.mask,
            end_of_text_id=s.end_of_text, end_of_turn_id=-1 if s.end_of_turn is None else s.end_of_turn,
            cache_modes=wire.ALL_MODES, max_tokens=min(c.max_sequence, wire.MAX_TOKENS),
            name=os.path.basename(os.path.normpath(folder)), weights_hash=m.weights_hash,
            engine=_engine_name("own", m.devices, m.dtype))

    @property
    def cached(self):
        return self.model.cached

    def reset(self):
        self.model.reset()

    def truncate(self, length):
        self.model.truncate(length)

    def forward(self, request):
        return self.model.forward(request)


class TransformersBackend:
    """`AutoModel.from_pretrained(folder, trust_remote_code=True)`: full forwards only. Requests
    with a cache, an attention mask, or positions other than 0..n-1 are `unsupported`."""
    formats = (wire.F16, wire.BF16, wire.F32)

    def __init__(self, folder, device="cpu", dtype=None, device_map=None):
        try:
            import transformers
        except ImportError:
            raise EngineFailure(UNSUPPORTED, "the transformers fallback needs `pip install './engines/torch[transformers]'`") from None
        from .checkpoint import special_ids, weight_files, weights_hash
        config = read_json(os.path.join(folder, "config.json"))
        self.family = family_of(config) or "llada"
        self.dtype = dtype or (torch.bfloat16 if str(device).startswith("cuda") else torch.float32)
        kwargs = dict(trust_remote_code=True, torch_dtype=self.dtype)
        if device_map not in (None, "none"):
            kwargs["device_map"] = device_map
        auto = transformers.AutoModelForCausalLM if "AutoModelForCausalLM" in (config.get("auto_map") or {}) else transformers.AutoModel
        self.model = auto.from_pretrained(folder, **kwargs).eval()
        if device_map in (None, "none"):
            self.model.to(device)
        self.device = next(self.model.parameters()).device
        vocab = config.get("embedding_size") or config.get("vocab_size")
        s = special_ids(folder, self.family, config.get("mask_token_id"),
                        config.get("eos_token_id") if not isinstance(config.get("eos_token_id"), list) else config["eos_token_id"][0],
                        config.get("pad_token_id"))
        self.descriptor = wire.Descriptor(
            family=self.family, vocabulary=int(vocab), max_sequence=int(config.get("max_sequence_length")
                                                                          or config.get("max_position_embeddings") or 4096),
            mask_id=s.mask, end_of_text_id=s.end_of_text, end_of_turn_id=-1 if s.end_of_turn is None else s.end_of_turn,
            cache_modes=0, max_tokens=wire.MAX_TOKENS, name=os.path.basename(os.path.normpath(folder)),
            weights_hash=weights_hash(weight_files(folder)),
            engine=_engine_name(f"transformers-{transformers.__version__}", [self.device], self.dtype),
            note=f"transformers fallback for model_type {config.get('model_type')!r}: uncached full forwards only")
        self.cached = 0

    def reset(self):
        pass

    def truncate(self, length):
        pass

    @torch.inference_mode()
    def forward(self, request):
        import time
        start = time.perf_counter()
        n = len(request.tokens)
        if request.cache != wire.CACHE_NONE:
            raise EngineFailure(UNSUPPORTED, f"{wire.CACHE_KIND_NAMES[request.cache]} cache: the transformers fallback "
                                             "runs uncached full forwards only (hint: --set cache=none)")
        if request.mask is not None:
            raise EngineFailure(UNSUPPORTED, "attention masks: the transformers fallback runs full attention only")
        if not torch.equal(request.positions, torch.arange(n)):
            raise EngineFailure(UNSUPPORTED, "positions other than 0..n-1: the transformers fallback runs full forwards only")
        if int(request.tokens.max()) >= self.descriptor.vocabulary:
            raise EngineFailure(INVALID_REQUEST, f"token id {int(request.tokens.max())} outside the vocabulary")
        out = self.model(request.tokens[None].to(self.device))
        logits = (out.logits if hasattr(out, "logits") else out[0])[0]
        if self.family == "dream":  # the model's own generate shifts by one; the protocol wants it applied
            logits = torch.cat([logits[:1], logits[:-1]], 0)
        rows = list(range(n)) if request.rows is None else request.rows
        if rows and max(rows) >= n:
            raise EngineFailure(INVALID_REQUEST, f"logit row {max(rows)} outside [0, {n})")
        return logits[torch.tensor(rows, dtype=torch.long, device=logits.device)].float(), time.perf_counter() - start
