"""A compact PyTorch forward of the LLaDA and Dream families with every KV-cache mode of the Swift
engine (Sources/Modeling/ForwardPass.swift, MaskPredictor.swift `CacheUse`, decoders.md §1.5, §1.7).

Pre-RMSNorm blocks, rotate-half RoPE at absolute positions, SwiGLU MLP, bidirectional attention with
grouped KV heads; Dream adds QKV bias and reads row r's logits from the output at r − 1 of the
forwarded slice (row 0 its own). Keys are cached after RoPE. Layers may sit on several devices
(`placement`); the residual stream moves with them.
"""
import time

import torch
import torch.nn.functional as F
from safetensors import safe_open

from . import wire
from .checkpoint import load_config, special_ids, weight_files, weights_hash
from .errors import EngineFailure, INVALID_REQUEST
from .placement import layer_devices


def _names(family, i=None):
    if family == "llada":
        if i is None:
            return dict(embed="model.transformer.wte.weight", norm="model.transformer.ln_f.weight",
                        head="model.transformer.ff_out.weight")
        p = f"model.transformer.blocks.{i}."
        return dict(n1=p + "attn_norm.weight", q=p + "q_proj.weight", k=p + "k_proj.weight", v=p + "v_proj.weight",
                    o=p + "attn_out.weight", n2=p + "ff_norm.weight", gate=p + "ff_proj.weight", up=p + "up_proj.weight",
                    down=p + "ff_out.weight")
    if i is None:
        return dict(embed="model.embed_tokens.weight", norm="model.norm.weight", head="lm_head.weight")
    p = f"model.layers.{i}."
    a = p + "self_attn."
    return dict(n1=p + "input_layernorm.weight", q=a + "q_proj.weight", k=a + "k_proj.weight", v=a + "v_proj.weight",
                o=a + "o_proj.weight", qb=a + "q_proj.bias", kb=a + "k_proj.bias", vb=a + "v_proj.bias",
                n2=p + "post_attention_layernorm.weight", gate=p + "mlp.gate_proj.weight", up=p + "mlp.up_proj.weight",
                down=p + "mlp.down_proj.weight")


class TorchModel:
    """One caller at a time: a forward pass mutates the KV cache."""

    def __init__(self, folder, device="cpu", dtype=None, device_map=None):
        self.config = c = load_config(folder)
        files = weight_files(folder)
        self.dtype = dtype or (torch.bfloat16 if str(device).startswith("cuda") else torch.float32)
        self.devices = layer_devices(c.layers, device, device_map)  # one per layer
        self.first, self.last = self.devices[0], self.devices[-1]
        where = {}
        for path in files:
            with safe_open(path, framework="pt") as f:
                for name in f.keys():
                    where[name] = path
        handles = {}

        def tensor(name, device, shape):
            if name not in where:
                raise EngineFailure(INVALID_REQUEST, f"{folder}: missing tensor {name}")
            path = where[name]
            if path not in handles:
                handles[path] = safe_open(path, framework="pt")
            t = handles[path].get_tensor(name)
            if list(t.shape) != list(shape):
                raise EngineFailure(INVALID_REQUEST, f"{path}: tensor {name} has shape {list(t.shape)}, expected {list(shape)}")
            return t.to(device=device, dtype=self.dtype)

        d, kv, inter, V = c.hidden, c.kv_heads * c.head_dim, c.intermediate, c.vocabulary
        top = _names(c.family)
        self.embed = tensor(top["embed"], self.first, (V, d))
        self.norm = tensor(top["norm"], self.last, (d,))
        self.head = self.embed.to(self.last) if c.tied else tensor(top["head"], self.last, (V, d))
        shapes = dict(n1=(d,), q=(d, d), k=(kv, d), v=(kv, d), o=(d, d), qb=(d,), kb=(kv,), vb=(kv,), n2=(d,),
                      gate=(inter, d), up=(inter, d), down=(d, inter))
        self.layers = []
        for i in range(c.layers):
            names = _names(c.family, i)
            self.layers.append({role: tensor(name, self.devices[i], shapes[role]) for role, name in names.items()})
        handles.clear()
        self.special = special_ids(folder, c.family, c.mask_id, c.eos_id, c.pad_id)
        self.weights_hash = weights_hash(files)
        self.cache_k = [None] * c.layers  # per layer [kv_heads, capacity, head_dim]
        self.cache_v = [None] * c.layers
        self.cached = 0
        half = torch.arange(0, c.head_dim, 2, dtype=torch.float64) / c.head_dim
        self.inv_freq = 1.0 / (c.rope_theta ** half)  # [head_dim / 2] float64

    # Cache -------------------------------------------------------------------------------------

    def reset(self):
        self.cached = 0

    def truncate(self, length):
        self.cached = max(0, min(length, self.cached))

    def _reserve(self, rows):
        c = self.config
        for i in range(c.layers):
            old = self.cache_k[i]
            if old is not None and old.shape[1] >= rows:
                continue
            capacity = max(rows, (old.shape[1] * 3 // 2) if old is not None else 0, 64)
            shape = (c.kv_heads, capacity, c.head_dim)
            k = torch.empty(shape, dtype=self.dtype, device=self.devices[i])
            v = torch.empty(shape, dtype=self.dtype, device=self.devices[i])
            if old is not None and self.cached:
                k[:, :self.cached] = old[:, :self.cached]
                v[:, :self.cached] = self.cache_v[i][:, :self.cached]
            self.cache_k[i], self.cache_v[i] = k, v

    # Forward -----------------------------------------------------------------------------------

    def plan(self, r):
        """ForwardPlan: validates `r` and returns (keys, cache rows after or None)."""
        c, n = self.config, len(r.tokens)

        def fail(reason):
            return EngineFailure(INVALID_REQUEST, reason)

        if len(r.positions) != n:
            raise fail(f"{len(r.positions)} position ids for {n} tokens")
        if int(r.tokens.max()) >= c.vocabulary:
            raise fail(f"token id {int(r.tokens.max())} outside the vocabulary of {c.vocabulary}")
        if int(r.positions.max()) >= c.max_sequence:
            raise fail(f"position id {int(r.positions.max())} outside [0, {c.max_sequence})")
        if r.rows is not None and any(x >= n for x in r.rows):
            raise fail(f"logit row {max(r.rows)} outside [0, {n})")
        held = self.cached
        if r.cache == wire.CACHE_NONE:
            keys, after = n, None
        elif r.cache == wire.CACHE_BUILD:
            keys, after = n, n
        elif r.cache in (wire.CACHE_PREFIX, wire.CACHE_EXTEND):
            if r.a > held:
                raise fail(f"{wire.CACHE_KIND_NAMES[r.cache]} of {r.a} rows, cache holds {held}")
            keys, after = r.a + n, (r.a + n if r.cache == wire.CACHE_EXTEND else None)
        else:
            if not (r.a <= r.b <= held and r.b - r.a == n):
                raise fail(f"window rows {r.a}..<{r.b} for {n} tokens, cache holds {held}")
            keys, after = held, None
        if r.mask is not None and tuple(r.mask.shape) != (n, keys):
            raise fail(f"attention mask is {r.mask.shape[0]}x{r.mask.shape[1]}, expected {n}x{keys}")
        return keys, after

    def _rms(self, x, weight):
        x32 = x.float()
        return (x32 * torch.rsqrt(x32.pow(2).mean(-1, keepdim=True) + self.config.eps)).to(self.dtype) * weight

    def _rotary(self, positions, device):
        angles = positions.to(torch.float64)[:, None] * self.inv_freq[None, :]
        cos, sin = torch.cat([angles.cos()] * 2, -1), torch.cat([angles.sin()] * 2, -1)
        return cos.to(device=device, dtype=torch.float32), sin.to(device=device, dtype=torch.float32)

    @staticmethod
    def _rope(x, cos, sin):
        """x: [heads, n, head_dim]."""
        half = x.shape[-1] // 2
        x32 = x.float()
        rotated = torch.cat([-x32[..., half:], x32[..., :half]], -1)
        return (x32 * cos + rotated * sin).to(x.dtype)

    @torch.inference_mode()
    def forward(self, r):
        """Returns (logits [rows, vocab] on the last device, seconds)."""
        start = time.perf_counter()
        c = self.config
        keys, after = self.plan(r)
        if after is not None:
            self._reserve(after)
        n, hd = len(r.tokens), c.head_dim
        group = c.heads // c.kv_heads
        x = self.embed[r.tokens.to(self.first)]
        rope = {}
        for i, L in enumerate(self.layers):
            device = self.devices[i]
            x = x.to(device)
            if device not in rope:
                rope[device] = self._rotary(r.positions, device)
            cos, sin = rope[device]
            h = self._rms(x, L["n1"])
            q, k, v = h @ L["q"].T, h @ L["k"].T, h @ L["v"].T
            if "qb" in L:
                q, k, v = q + L["qb"], k + L["kb"], v + L["vb"]
            q = self._rope(q.view(n, c.heads, hd).transpose(0, 1), cos, sin)
            k = self._rope(k.view(n, c.kv_heads, hd).transpose(0, 1), cos, sin)
            v = v.view(n, c.kv_heads, hd).transpose(0, 1)
            K, V = self._keys(i, r, k, v)
            mask = r.mask.to(device) if r.mask is not None else None
            a = F.scaled_dot_product_attention(q[None], K[None], V[None], attn_mask=mask, enable_gqa=group > 1)[0]
            x = x + a.transpose(0, 1).reshape(n, c.hidden) @ L["o"].T
            h = self._rms(x, L["n2"])
            x = x + (F.silu(h @ L["gate"].T) * (h @ L["up"].T)) @ L["down"].T
        if after is not None:
            self.cached = after
        rows = list(range(n)) if r.rows is None else r.rows
        sources = [max(row - 1, 0) for row in rows] if c.family == "dream" else rows
        x = x.to(self.last)[torch.tensor(sources, dtype=torch.long, device=self.last)]
        logits = (self._rms(x, self.norm) @ self.head.T).float()
        if logits.is_cuda:
            torch.cuda.synchronize(logits.device)
        return logits, time.perf_counter() - start

    def _keys(self, i, r, k, v):
        """Keys and values in attention order for this cache use; stores fresh ones where it keeps them."""
        ck, cv = self.cache_k[i], self.cache_v[i]
        n = k.shape[1]
        if r.cache == wire.CACHE_NONE:
            return k, v
        if r.cache == wire.CACHE_BUILD:
            ck[:, :n], cv[:, :n] = k, v
            return k, v
        if r.cache == wire.CACHE_WINDOW:
            ck[:, r.a:r.b], cv[:, r.a:r.b] = k, v
            return ck[:, :self.cached], cv[:, :self.cached]
        K, V = torch.cat([ck[:, :r.a], k], 1), torch.cat([cv[:, :r.a], v], 1)
        if r.cache == wire.CACHE_EXTEND:
            ck[:, r.a:r.a + n], cv[:, r.a:r.a + n] = k, v
        return K, V
