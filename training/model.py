"""LLaDA-architecture masked-diffusion transformer (bidirectional Llama-style), written for this project.

Parameter names mirror LLaDA's checkpoint layout so export is a rename-free dump:
  transformer.wte, transformer.blocks.{i}.{attn_norm,q_proj,k_proj,v_proj,attn_out,ff_norm,ff_proj,up_proj,ff_out},
  transformer.ln_f, transformer.ff_out
"""
import math
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Config:
    vocab_size: int = 4096
    d_model: int = 256
    n_layers: int = 6
    n_heads: int = 4
    mlp_hidden_size: int = 768
    max_sequence_length: int = 128
    rope_theta: float = 10000.0
    rms_norm_eps: float = 1e-5

    def to_dict(self):
        return asdict(self)


class RMSNorm(nn.Module):
    def __init__(self, d, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x):
        var = x.pow(2).mean(-1, keepdim=True)
        return x * torch.rsqrt(var + self.eps) * self.weight


def rope_tables(positions, head_dim, theta):
    """cos/sin of shape [..., L, head_dim] for the rotate-half (non-interleaved) form, in fp32."""
    inv = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32, device=positions.device) / head_dim))
    freqs = positions.to(torch.float32)[..., None] * inv  # [..., L, hd/2]
    emb = torch.cat([freqs, freqs], dim=-1)
    return emb.cos(), emb.sin()


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], dim=-1)


class Block(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        d = cfg.d_model
        self.n_heads = cfg.n_heads
        self.head_dim = d // cfg.n_heads
        self.attn_norm = RMSNorm(d, cfg.rms_norm_eps)
        self.q_proj = nn.Linear(d, d, bias=False)
        self.k_proj = nn.Linear(d, d, bias=False)
        self.v_proj = nn.Linear(d, d, bias=False)
        self.attn_out = nn.Linear(d, d, bias=False)
        self.ff_norm = RMSNorm(d, cfg.rms_norm_eps)
        self.ff_proj = nn.Linear(d, cfg.mlp_hidden_size, bias=False)
        self.up_proj = nn.Linear(d, cfg.mlp_hidden_size, bias=False)
        self.ff_out = nn.Linear(cfg.mlp_hidden_size, d, bias=False)

    def forward(self, x, cos, sin, attn_mask):
        B, L, D = x.shape
        h = self.attn_norm(x)
        q = self.q_proj(h).view(B, L, self.n_heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(h).view(B, L, self.n_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(h).view(B, L, self.n_heads, self.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        a = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=False)
        x = x + self.attn_out(a.transpose(1, 2).reshape(B, L, D))
        h = self.ff_norm(x)
        return x + self.ff_out(F.silu(self.ff_proj(h)) * self.up_proj(h))


class Transformer(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        self.wte = nn.Embedding(cfg.vocab_size, cfg.d_model)
        self.blocks = nn.ModuleList([Block(cfg) for _ in range(cfg.n_layers)])
        self.ln_f = RMSNorm(cfg.d_model, cfg.rms_norm_eps)
        self.ff_out = nn.Linear(cfg.d_model, cfg.vocab_size, bias=False)


class LLaDA(nn.Module):
    def __init__(self, cfg: Config):
        super().__init__()
        self.cfg = cfg
        self.transformer = Transformer(cfg)
        self.reset_parameters()

    def reset_parameters(self):
        std = 0.02
        out_std = std / math.sqrt(2 * self.cfg.n_layers)
        for name, p in self.named_parameters():
            if p.dim() == 1:
                nn.init.ones_(p)
            elif name.endswith("attn_out.weight") or (name.endswith("ff_out.weight") and "blocks" in name):
                nn.init.normal_(p, 0.0, out_std)
            else:
                nn.init.normal_(p, 0.0, std)

    def hidden(self, ids, valid=None, positions=None):
        """ids [B,L]; valid [B,L] bool (False = key padding, ignored by attention); returns ln_f output."""
        B, L = ids.shape
        if positions is None:
            positions = torch.arange(L, device=ids.device)
        cos, sin = rope_tables(positions, self.cfg.d_model // self.cfg.n_heads, self.cfg.rope_theta)
        if cos.dim() == 2:
            cos, sin = cos[None, None], sin[None, None]
        else:
            cos, sin = cos[:, None], sin[:, None]
        attn_mask = None if valid is None else valid[:, None, None, :]
        x = self.transformer.wte(ids)
        for blk in self.transformer.blocks:
            x = blk(x, cos, sin, attn_mask)
        return self.transformer.ln_f(x)

    def forward(self, ids, valid=None, positions=None):
        return self.transformer.ff_out(self.hidden(ids, valid, positions))

    def head(self, h):
        return self.transformer.ff_out(h)


def count_params(model):
    return sum(p.numel() for p in model.parameters())
