"""A plain quantizer for the K-quant block formats (Q4_K, Q5_K, Q6_K), which the `gguf` package can
dequantize but not quantize. Not llama.cpp's search for the best scales: per sub-block min/max
scales, rounded, packed in the formats' layouts. Good enough to make fixtures and benchmark files;
the values a file holds are whatever `gguf.quants.dequantize` reads back, and that is what the
tests compare against.
"""
import numpy as np
from gguf import GGMLQuantizationType as T


def _f16(x):
    return np.asarray(x, dtype=np.float16)


def _pack_scales(sc, mn):
    """The 12-byte 6-bit scales/mins of Q4_K/Q5_K: [n, 8] each, values 0..63 -> [n, 12] uint8."""
    out = np.zeros((sc.shape[0], 12), dtype=np.uint8)
    out[:, 0:4] = (sc[:, 0:4] & 63) | ((sc[:, 4:8] >> 4) << 6)
    out[:, 4:8] = (mn[:, 0:4] & 63) | ((mn[:, 4:8] >> 4) << 6)
    out[:, 8:12] = (sc[:, 4:8] & 15) | ((mn[:, 4:8] & 15) << 4)
    return out


def _q45(blocks, bits):
    """Q4_K (bits 4) or Q5_K (bits 5) super-blocks [n, 256] -> (d, dmin, scales12, q [n, 256])."""
    top = (1 << bits) - 1
    sub = blocks.reshape(-1, 8, 32)
    low = np.minimum(sub.min(axis=2), 0)
    span = sub.max(axis=2) - low
    scale = span / top
    d = _f16(scale.max(axis=1) / 63).astype(np.float32)
    dmin = _f16((-low).max(axis=1) / 63).astype(np.float32)
    sc = np.clip(np.round(np.divide(scale, d[:, None], out=np.zeros_like(scale), where=d[:, None] > 0)), 0, 63).astype(np.uint8)
    mn = np.clip(np.round(np.divide(-low, dmin[:, None], out=np.zeros_like(low), where=dmin[:, None] > 0)), 0, 63).astype(np.uint8)
    step = d[:, None] * sc
    offset = dmin[:, None] * mn
    q = np.divide(sub + offset[:, :, None], step[:, :, None], out=np.zeros_like(sub), where=step[:, :, None] > 0)
    q = np.clip(np.round(q), 0, top).astype(np.uint8).reshape(-1, 256)
    return d, dmin, _pack_scales(sc, mn), q


def _nibbles(q):
    """qs bytes of Q4_K/Q5_K: each 64-element group as 32 bytes, low nibble element l, high l + 32."""
    g = q.reshape(-1, 4, 2, 32) & 15
    return (g[:, :, 0, :] | (g[:, :, 1, :] << 4)).reshape(-1, 128).astype(np.uint8)


def quantize_q4_k(blocks):
    d, dmin, scales, q = _q45(blocks, 4)
    return np.concatenate([_f16(d).view(np.uint8).reshape(-1, 2), _f16(dmin).view(np.uint8).reshape(-1, 2),
                           scales, _nibbles(q)], axis=1)


def quantize_q5_k(blocks):
    d, dmin, scales, q = _q45(blocks, 5)
    high = (q >> 4).reshape(-1, 4, 2, 32)
    qh = np.zeros((q.shape[0], 32), dtype=np.uint8)
    for g in range(4):
        qh |= (high[:, g, 0, :] << (2 * g)).astype(np.uint8)
        qh |= (high[:, g, 1, :] << (2 * g + 1)).astype(np.uint8)
    return np.concatenate([_f16(d).view(np.uint8).reshape(-1, 2), _f16(dmin).view(np.uint8).reshape(-1, 2),
                           scales, qh, _nibbles(q)], axis=1)


def quantize_q6_k(blocks):
    sub = blocks.reshape(-1, 16, 16)
    amax = np.abs(sub).max(axis=2)
    scale = amax / 31
    d = _f16(scale.max(axis=1) / 127).astype(np.float32)
    sc = np.clip(np.round(np.divide(scale, d[:, None], out=np.zeros_like(scale), where=d[:, None] > 0)), -128, 127).astype(np.int8)
    step = d[:, None] * sc.astype(np.float32)
    q = np.divide(sub, step[:, :, None], out=np.zeros_like(sub), where=step[:, :, None] > 0)
    q = (np.clip(np.round(q), -32, 31) + 32).astype(np.uint8).reshape(-1, 2, 4, 32)  # [n, half, k, l]: element 32k + l
    ql = np.concatenate([(q[:, :, 0] & 15) | ((q[:, :, 2] & 15) << 4), (q[:, :, 1] & 15) | ((q[:, :, 3] & 15) << 4)], axis=2)
    qh = (q[:, :, 0] >> 4) | ((q[:, :, 1] >> 4) << 2) | ((q[:, :, 2] >> 4) << 4) | ((q[:, :, 3] >> 4) << 6)
    return np.concatenate([ql.reshape(-1, 128).astype(np.uint8), qh.reshape(-1, 64).astype(np.uint8), sc.view(np.uint8),
                           _f16(d).view(np.uint8).reshape(-1, 2)], axis=1)


def quantize_k(values, qtype):
    """[rows, columns] float32 (columns a multiple of 256) -> [rows, bytes] uint8 of `qtype`."""
    rows, columns = values.shape
    blocks = values.astype(np.float32).reshape(-1, 256)
    packed = {T.Q4_K: quantize_q4_k, T.Q5_K: quantize_q5_k, T.Q6_K: quantize_q6_k}[qtype](blocks)
    return np.ascontiguousarray(packed.reshape(rows, -1))
