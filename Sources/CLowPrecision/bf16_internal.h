// Shared between bf16_gemm.c (primitives and runs) and bf16_pack.c (weights packed once): the
// engine with its primitive cache, the packed weights, and the two layout helpers.
#ifndef DLLM_BF16_INTERNAL_H
#define DLLM_BF16_INTERNAL_H

#include "CLowPrecision.h"

#include <oneapi/dnnl/dnnl.h>

typedef struct {
    int64_t m, n, k, ldc;
    int accumulate;
    int packed;                  // weights in the layout of `dllm_bf16_packed` (same for every n, k)
    dnnl_primitive_t primitive;
    dnnl_memory_t src, weights, dst;
} cache_entry;

/// Distinct shapes a model uses: 4–5 projections × a few token counts × stored or packed. Beyond
/// this the oldest entry is replaced (round robin).
enum { CACHE_SLOTS = 96 };

struct dllm_bf16_gemm {
    dnnl_engine_t engine;
    dnnl_stream_t stream;
    cache_entry entries[CACHE_SLOTS];
    int count;
    int next_victim;
};

/// Weights reordered once into the blocked layout oneDNN's matmul picks for them, so that no call
/// repacks them (plain [out, in] weights are copied into that layout on every call: measured 1.05×
/// at 288 rows, 1.3–1.4× at 32 and 2–5× at one to three rows on a 5632×2048 weight).
struct dllm_bf16_packed {
    dnnl_memory_desc_t md;
    void *data;
    size_t bytes;
    int64_t n, k;
};

/// Weights [k, n] read from the stored [n, k] (strides {1, k}), or (`any`) in the layout oneDNN picks.
dnnl_status_t dllm_bf16_weights_md(dnnl_memory_desc_t *md, int64_t n, int64_t k, int any);

/// The weights layout oneDNN's matmul picks for m rows (`*md`), or a status.
dnnl_status_t dllm_bf16_preferred_layout(dllm_bf16_gemm *gemm, int64_t m, int64_t n, int64_t k, dnnl_memory_desc_t *md);

#endif
