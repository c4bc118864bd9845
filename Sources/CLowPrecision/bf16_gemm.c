// bf16 x bf16 -> f32 matmul on oneDNN, with the primitives cached by shape.
#include "bf16_internal.h"

#include <stdlib.h>
#include <string.h>

dllm_bf16_gemm *dllm_bf16_gemm_create(void) {
    dllm_bf16_gemm *gemm = calloc(1, sizeof *gemm);
    if (!gemm) return NULL;
    if (dnnl_engine_create(&gemm->engine, dnnl_cpu, 0) != dnnl_success) {
        free(gemm);
        return NULL;
    }
    if (dnnl_stream_create(&gemm->stream, gemm->engine, dnnl_stream_default_flags) != dnnl_success) {
        dnnl_engine_destroy(gemm->engine);
        free(gemm);
        return NULL;
    }
    return gemm;
}

static void release(cache_entry *e) {
    if (e->primitive) dnnl_primitive_destroy(e->primitive);
    if (e->src) dnnl_memory_destroy(e->src);
    if (e->weights) dnnl_memory_destroy(e->weights);
    if (e->dst) dnnl_memory_destroy(e->dst);
    memset(e, 0, sizeof *e);
}

void dllm_bf16_gemm_destroy(dllm_bf16_gemm *gemm) {
    if (!gemm) return;
    for (int i = 0; i < gemm->count; i++) release(&gemm->entries[i]);
    dnnl_stream_destroy(gemm->stream);
    dnnl_engine_destroy(gemm->engine);
    free(gemm);
}

int dllm_bf16_gemm_cached(const dllm_bf16_gemm *gemm) { return gemm->count; }

/// The matmul descriptor of one shape: src [m, k] bf16 dense, weights [k, n] bf16 as `wei_md`
/// describes them, dst [m, n] f32 with row stride ldc.
static dnnl_status_t describe(dnnl_matmul_desc_t *desc, int64_t m, int64_t n, int64_t k, int64_t ldc,
                              const dnnl_memory_desc_t *wei_md, dnnl_memory_desc_t *src_md, dnnl_memory_desc_t *dst_md) {
    dnnl_dims_t src_dims = {m, k}, src_strides = {k, 1};
    dnnl_dims_t dst_dims = {m, n}, dst_strides = {ldc, 1};
    dnnl_status_t s;
    if ((s = dnnl_memory_desc_init_by_strides(src_md, 2, src_dims, dnnl_bf16, src_strides))) return s;
    if ((s = dnnl_memory_desc_init_by_strides(dst_md, 2, dst_dims, dnnl_f32, dst_strides))) return s;
    return dnnl_matmul_desc_init(desc, src_md, wei_md, NULL, dst_md);
}

/// Weights [k, n] read from the stored [n, k] (strides {1, k}), or in the layout oneDNN picks.
dnnl_status_t dllm_bf16_weights_md(dnnl_memory_desc_t *md, int64_t n, int64_t k, int any) {
    dnnl_dims_t dims = {k, n}, strides = {1, k};
    return any ? dnnl_memory_desc_init_by_tag(md, 2, dims, dnnl_bf16, dnnl_format_tag_any)
               : dnnl_memory_desc_init_by_strides(md, 2, dims, dnnl_bf16, strides);
}

/// The weights layout oneDNN's matmul picks for m rows (`*md`), or a status.
dnnl_status_t dllm_bf16_preferred_layout(dllm_bf16_gemm *gemm, int64_t m, int64_t n, int64_t k, dnnl_memory_desc_t *md) {
    dnnl_memory_desc_t any, src_md, dst_md;
    dnnl_matmul_desc_t desc;
    dnnl_primitive_desc_t pd = NULL;
    dnnl_status_t s;
    if ((s = dllm_bf16_weights_md(&any, n, k, 1)) || (s = describe(&desc, m, n, k, n, &any, &src_md, &dst_md))) return s;
    if ((s = dnnl_primitive_desc_create(&pd, &desc, NULL, gemm->engine, NULL))) return s;
    const dnnl_memory_desc_t *chosen = dnnl_primitive_desc_query_md(pd, dnnl_query_weights_md, 0);
    if (chosen) *md = *chosen;
    dnnl_primitive_desc_destroy(pd);
    return chosen ? dnnl_success : dnnl_runtime_error;
}

/// Builds the primitive for one shape (weights plain, or packed when `e->packed` and oneDNN picks
/// that same layout for this m; otherwise fails with dnnl_unimplemented); a sum post-op adds the
/// old dst when accumulating.
static dnnl_status_t build(dllm_bf16_gemm *gemm, cache_entry *e, const dllm_bf16_packed *packed) {
    dnnl_memory_desc_t src_md, wei_md, dst_md;
    dnnl_status_t s;
    if (e->packed) {
        dnnl_memory_desc_t preferred;
        if ((s = dllm_bf16_preferred_layout(gemm, e->m, e->n, e->k, &preferred))) return s;
        if (!dnnl_memory_desc_equal(&preferred, &packed->md)) return dnnl_unimplemented;
        wei_md = packed->md;
    } else if ((s = dllm_bf16_weights_md(&wei_md, e->n, e->k, 0))) {
        return s;
    }
    dnnl_matmul_desc_t desc;
    if ((s = describe(&desc, e->m, e->n, e->k, e->ldc, &wei_md, &src_md, &dst_md))) return s;

    dnnl_primitive_attr_t attr = NULL;
    dnnl_post_ops_t ops = NULL;
    if ((s = dnnl_primitive_attr_create(&attr))) return s;
    if (e->accumulate) {
        if ((s = dnnl_post_ops_create(&ops)) || (s = dnnl_post_ops_append_sum(ops, 1.0f))
            || (s = dnnl_primitive_attr_set_post_ops(attr, ops))) {
            if (ops) dnnl_post_ops_destroy(ops);
            dnnl_primitive_attr_destroy(attr);
            return s;
        }
    }
    dnnl_primitive_desc_t pd = NULL;
    s = dnnl_primitive_desc_create(&pd, &desc, attr, gemm->engine, NULL);
    if (ops) dnnl_post_ops_destroy(ops);
    dnnl_primitive_attr_destroy(attr);
    if (s) return s;
    s = dnnl_primitive_create(&e->primitive, pd);
    dnnl_primitive_desc_destroy(pd);
    if (s) return s;
    // Memory objects without buffers; each run points them at the caller's data.
    if ((s = dnnl_memory_create(&e->src, &src_md, gemm->engine, DNNL_MEMORY_NONE))) return s;
    if ((s = dnnl_memory_create(&e->weights, &wei_md, gemm->engine, DNNL_MEMORY_NONE))) return s;
    return dnnl_memory_create(&e->dst, &dst_md, gemm->engine, DNNL_MEMORY_NONE);
}

static cache_entry *lookup(dllm_bf16_gemm *gemm, int64_t m, int64_t n, int64_t k, int64_t ldc, int accumulate,
                           const dllm_bf16_packed *packed, dnnl_status_t *status) {
    int is_packed = packed != NULL;
    for (int i = 0; i < gemm->count; i++) {
        cache_entry *e = &gemm->entries[i];
        if (e->m == m && e->n == n && e->k == k && e->ldc == ldc && e->accumulate == accumulate && e->packed == is_packed) {
            if (!e->primitive) *status = dnnl_unimplemented;   // remembered: the packed layout does not suit m
            return e->primitive ? e : NULL;
        }
    }
    cache_entry *e;
    if (gemm->count < CACHE_SLOTS) {
        e = &gemm->entries[gemm->count++];
    } else {
        e = &gemm->entries[gemm->next_victim];
        gemm->next_victim = (gemm->next_victim + 1) % CACHE_SLOTS;
        release(e);
    }
    *e = (cache_entry){.m = m, .n = n, .k = k, .ldc = ldc, .accumulate = accumulate, .packed = is_packed};
    *status = build(gemm, e, packed);
    if (*status) {
        cache_entry key = *e;
        release(e);  // leaves a zero entry (m == 0) that no real shape matches ...
        if (*status == dnnl_unimplemented && is_packed) {
            // ... or, for a layout mismatch, the key alone, so the mismatch is not rebuilt per call.
            *e = (cache_entry){.m = key.m, .n = key.n, .k = key.k, .ldc = key.ldc, .accumulate = key.accumulate, .packed = 1};
        }
        return NULL;
    }
    return e;
}

static int run(dllm_bf16_gemm *gemm, const uint16_t *a, const void *w, const dllm_bf16_packed *packed, float *c,
               int64_t m, int64_t n, int64_t k, int64_t ldc, int accumulate) {
    if (m <= 0 || n <= 0 || k <= 0) return dnnl_invalid_arguments;
    dnnl_status_t s = dnnl_success;
    cache_entry *e = lookup(gemm, m, n, k, ldc, accumulate ? 1 : 0, packed, &s);
    if (!e) return s ? (int)s : (int)dnnl_runtime_error;
    if ((s = dnnl_memory_set_data_handle(e->src, (void *)a))) return s;
    if ((s = dnnl_memory_set_data_handle(e->weights, (void *)w))) return s;
    if ((s = dnnl_memory_set_data_handle(e->dst, c))) return s;
    dnnl_exec_arg_t args[3] = {
        {DNNL_ARG_SRC, e->src}, {DNNL_ARG_WEIGHTS, e->weights}, {DNNL_ARG_DST, e->dst}};
    if ((s = dnnl_primitive_execute(e->primitive, gemm->stream, 3, args))) return s;
    return dnnl_stream_wait(gemm->stream);
}

int dllm_bf16_gemm_run(dllm_bf16_gemm *gemm, const uint16_t *a, const uint16_t *w, float *c,
                       int64_t m, int64_t n, int64_t k, int64_t ldc, int accumulate) {
    return run(gemm, a, w, NULL, c, m, n, k, ldc, accumulate);
}

int dllm_bf16_gemm_run_packed(dllm_bf16_gemm *gemm, const uint16_t *a, const dllm_bf16_packed *w, float *c,
                              int64_t m, int64_t ldc, int accumulate) {
    return run(gemm, a, w->data, w, c, m, w->n, w->k, ldc, accumulate);
}

int dllm_onednn_native_bf16(void) {
    unsigned isa = (unsigned)dnnl_get_effective_cpu_isa();
    unsigned bf16 = (unsigned)dnnl_cpu_isa_avx512_core_bf16;
    return (isa & bf16) == bf16;
}

void dllm_f32_to_bf16(const float *src, uint16_t *dst, size_t count) {
    for (size_t i = 0; i < count; i++) {
        uint32_t bits;
        memcpy(&bits, &src[i], 4);
        if ((bits & 0x7fffffffu) > 0x7f800000u) {
            dst[i] = (uint16_t)((bits >> 16) | 0x40);  // quiet NaN
        } else {
            bits += 0x7fffu + ((bits >> 16) & 1u);  // round to nearest, ties to even
            dst[i] = (uint16_t)(bits >> 16);
        }
    }
}
