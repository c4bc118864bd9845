"""A compact float64 forward of the two model families, written from docs/decoders.md §1.5, §1.7, §8.

LLaDA: pre-RMSNorm blocks, bias-free Q/K/V, SwiGLU MLP, untied head, rotate-half RoPE, full attention.
Dream: the Qwen2 layout (QKV bias, grouped KV heads) with full attention and the one-position logit
shift applied to the forwarded slice: row 0 of a slice keeps its own output (§1.5, §4.7).

Keys are cached after RoPE at their absolute positions (§1.7, equivalent to caching before RoPE).
`forward` takes an `attend(layer, k, v) -> (K, V)` callback that builds the keys/values the slice's
queries see from its own fresh ones, so one function serves every cache kind:
    none   : K = k
    prefix : K = cache[:s] ++ k                 (Fast-dLLM PrefixCache, d3LLM use/append)
    window : K = cache with rows [s, e) := k    (Fast-dLLM DualCache)
"""
import json
import os

import torch
from safetensors.torch import load_file


class Model:
    def __init__(self, folder):
        with open(os.path.join(folder, "config.json")) as f:
            c = json.load(f)
        self.family = "dream" if str(c.get("model_type", "")).lower() == "dream" else "llada"
        tensors = {}
        index = os.path.join(folder, "model.safetensors.index.json")
        if os.path.exists(index):
            with open(index) as f:
                shards = sorted(set(json.load(f)["weight_map"].values()))
        else:
            shards = ["model.safetensors"]
        for shard in shards:
            tensors.update(load_file(os.path.join(folder, shard)))
        w = {k: v.double() for k, v in tensors.items()}
        if self.family == "llada":
            self.layers_n, self.heads = c["n_layers"], c["n_heads"]
            self.kv_heads = c.get("n_kv_heads", self.heads)
            self.d, self.theta, self.eps = c["d_model"], c["rope_theta"], c["rms_norm_eps"]
            t = "model.transformer."
            self.embed, self.norm, self.head = w[t + "wte.weight"], w[t + "ln_f.weight"], w[t + "ff_out.weight"]
            self.layers = []
            for i in range(self.layers_n):
                b = f"{t}blocks.{i}."
                g = lambda n: w[b + n + ".weight"]
                self.layers.append(dict(n1=g("attn_norm"), q=g("q_proj"), k=g("k_proj"), v=g("v_proj"), o=g("attn_out"),
                                        n2=g("ff_norm"), gate=g("ff_proj"), up=g("up_proj"), down=g("ff_out"),
                                        qb=None, kb=None, vb=None))
            self.mask_id, self.eos_id = c["mask_token_id"], c["eos_token_id"]
        else:
            self.layers_n, self.heads = c["num_hidden_layers"], c["num_attention_heads"]
            self.kv_heads = c.get("num_key_value_heads", self.heads)
            self.d, self.theta, self.eps = c["hidden_size"], c["rope_theta"], c["rms_norm_eps"]
            self.embed, self.norm, self.head = w["model.embed_tokens.weight"], w["model.norm.weight"], w["lm_head.weight"]
            self.layers = []
            for i in range(self.layers_n):
                b = f"model.layers.{i}."
                a = b + "self_attn."
                self.layers.append(dict(n1=w[b + "input_layernorm.weight"], q=w[a + "q_proj.weight"], k=w[a + "k_proj.weight"],
                                        v=w[a + "v_proj.weight"], o=w[a + "o_proj.weight"],
                                        qb=w.get(a + "q_proj.bias"), kb=w.get(a + "k_proj.bias"), vb=w.get(a + "v_proj.bias"),
                                        n2=w[b + "post_attention_layernorm.weight"], gate=w[b + "mlp.gate_proj.weight"],
                                        up=w[b + "mlp.up_proj.weight"], down=w[b + "mlp.down_proj.weight"]))
            self.mask_id, self.eos_id = c["mask_token_id"], c["eos_token_id"]
        if isinstance(self.eos_id, list):
            self.eos_id = self.eos_id[0]
        with open(os.path.join(folder, "tokenizer.json")) as f:
            added = {t["content"]: t["id"] for t in json.load(f).get("added_tokens", [])}
        self.eot_id = added.get("<|eot_id|>", added.get("<|im_end|>"))
        self.head_dim = self.d // self.heads
        self.vocab = self.head.shape[0]
        self.forwards = 0  # every call is one model forward pass

    def _rms(self, x, weight):
        return x * torch.rsqrt((x * x).mean(-1, keepdim=True) + self.eps) * weight

    def _rope(self, x, positions):
        """x: [heads, n, head_dim]; rotate-half RoPE at absolute `positions`."""
        half = self.head_dim // 2
        inv = 1.0 / (self.theta ** (torch.arange(0, self.head_dim, 2, dtype=torch.float64) / self.head_dim))
        ang = torch.tensor(positions, dtype=torch.float64)[:, None] * inv[None, :]
        cos, sin = torch.cat([ang.cos(), ang.cos()], -1), torch.cat([ang.sin(), ang.sin()], -1)
        rotated = torch.cat([-x[..., half:], x[..., :half]], -1)
        return x * cos + rotated * sin

    def forward(self, tokens, positions, attend=None, mask=None):
        """tokens, positions: [n] ints. mask: optional [n, keys] bool (True = may attend).
        Returns (logits [n, vocab] float64, fresh [(k, v)] per layer with k, v: [kv_heads, n, head_dim])."""
        self.forwards += 1
        n = len(tokens)
        x = self.embed[torch.tensor(tokens)]
        fresh = []
        group = self.heads // self.kv_heads
        for li, L in enumerate(self.layers):
            h = self._rms(x, L["n1"])
            q, k, v = h @ L["q"].T, h @ L["k"].T, h @ L["v"].T
            if L["qb"] is not None:
                q, k, v = q + L["qb"], k + L["kb"], v + L["vb"]
            q = self._rope(q.view(n, self.heads, self.head_dim).transpose(0, 1), positions)
            k = self._rope(k.view(n, self.kv_heads, self.head_dim).transpose(0, 1), positions)
            v = v.view(n, self.kv_heads, self.head_dim).transpose(0, 1)
            fresh.append((k, v))
            K, V = attend(li, k, v) if attend else (k, v)
            K, V = K.repeat_interleave(group, 0), V.repeat_interleave(group, 0)
            scores = q @ K.transpose(1, 2) / self.head_dim ** 0.5
            if mask is not None:
                scores = scores.masked_fill(~mask[None], float("-inf"))
            attn = torch.softmax(scores, -1) @ V  # [heads, n, head_dim]
            x = x + attn.transpose(0, 1).reshape(n, self.d) @ L["o"].T
            h = self._rms(x, L["n2"])
            x = x + (torch.nn.functional.silu(h @ L["gate"].T) * (h @ L["up"].T)) @ L["down"].T
        logits = self._rms(x, self.norm) @ self.head.T
        if self.family == "dream":  # slice-local shift: new[0] = old[0], new[i] = old[i-1]
            logits = torch.cat([logits[:1], logits[:-1]], 0)
        return logits, fresh


def prefix_attend(cache, length):
    """Queries see cache rows [0, length) followed by the slice's own keys."""
    def attend(li, k, v):
        K, V = cache[li]
        return torch.cat([K[:, :length], k], 1), torch.cat([V[:, :length], v], 1)
    return attend


def window_attend(cache, start):
    """Dual cache: the slice's fresh K/V overwrite rows [start, start+n) of a full-length cache."""
    def attend(li, k, v):
        K, V = cache[li][0].clone(), cache[li][1].clone()
        K[:, start:start + k.shape[1]] = k
        V[:, start:start + v.shape[1]] = v
        return K, V
    return attend


def truncate(fresh, length):
    return [(k[:, :length], v[:, :length]) for k, v in fresh]


def append(cache, fresh, count):
    """d3LLM append: the first `count` fresh rows join the cache."""
    return [(torch.cat([K, k[:, :count]], 1), torch.cat([V, v[:, :count]], 1)) for (K, V), (k, v) in zip(cache, fresh)]
