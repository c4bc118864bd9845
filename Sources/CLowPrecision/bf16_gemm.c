// bf16 x bf16 -> f32 matmul on oneDNN, with the primitives cached by shape.
#include "CLowPrecision.h"

#include <oneapi/dnnl/dnnl.h>
#include <stdlib.h>
#include <string.h>

/// Distinct shapes a model uses: 4–5 projections × a few token counts. Beyond this the oldest
/// entry is replaced (round robin).
enum { CACHE_SLOTS = 48 };

typedef struct {
    int64_t m, n, k, ldc;
    int accumulate;
    dnnl_primitive_t primitive;
    dnnl_memory_t src, weights, dst;
} cache_entry;

struct dllm_bf16_gemm {
    dnnl_engine_t engine;
    dnnl_stream_t stream;
    cache_entry entries[CACHE_SLOTS];
    int count;
    int next_victim;
};

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

/// Builds the primitive for one shape: src [m, k] bf16 dense, weights [k, n] bf16 read from the
/// stored [n, k] (strides {1, k}), dst [m, n] f32 with row stride ldc; a sum post-op adds the old
/// dst when accumulating.
static dnnl_status_t build(dllm_bf16_gemm *gemm, cache_entry *e) {
    dnnl_memory_desc_t src_md, wei_md, dst_md;
    dnnl_dims_t src_dims = {e->m, e->k}, src_strides = {e->k, 1};
    dnnl_dims_t wei_dims = {e->k, e->n}, wei_strides = {1, e->k};
    dnnl_dims_t dst_dims = {e->m, e->n}, dst_strides = {e->ldc, 1};
    dnnl_status_t s;
    if ((s = dnnl_memory_desc_init_by_strides(&src_md, 2, src_dims, dnnl_bf16, src_strides))) return s;
    if ((s = dnnl_memory_desc_init_by_strides(&wei_md, 2, wei_dims, dnnl_bf16, wei_strides))) return s;
    if ((s = dnnl_memory_desc_init_by_strides(&dst_md, 2, dst_dims, dnnl_f32, dst_strides))) return s;
    dnnl_matmul_desc_t desc;
    if ((s = dnnl_matmul_desc_init(&desc, &src_md, &wei_md, NULL, &dst_md))) return s;

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
                           dnnl_status_t *status) {
    for (int i = 0; i < gemm->count; i++) {
        cache_entry *e = &gemm->entries[i];
        if (e->m == m && e->n == n && e->k == k && e->ldc == ldc && e->accumulate == accumulate) return e;
    }
    cache_entry *e;
    if (gemm->count < CACHE_SLOTS) {
        e = &gemm->entries[gemm->count++];
    } else {
        e = &gemm->entries[gemm->next_victim];
        gemm->next_victim = (gemm->next_victim + 1) % CACHE_SLOTS;
        release(e);
    }
    *e = (cache_entry){.m = m, .n = n, .k = k, .ldc = ldc, .accumulate = accumulate};
    *status = build(gemm, e);
    if (*status) {
        release(e);  // leaves a zero entry (m == 0) that no real shape matches
        return NULL;
    }
    return e;
}

int dllm_bf16_gemm_run(dllm_bf16_gemm *gemm, const uint16_t *a, const uint16_t *w, float *c,
                       int64_t m, int64_t n, int64_t k, int64_t ldc, int accumulate) {
    if (m <= 0 || n <= 0 || k <= 0) return dnnl_invalid_arguments;
    dnnl_status_t s = dnnl_success;
    cache_entry *e = lookup(gemm, m, n, k, ldc, accumulate ? 1 : 0, &s);
    if (!e) return s ? (int)s : (int)dnnl_runtime_error;
    if ((s = dnnl_memory_set_data_handle(e->src, (void *)a))) return s;
    if ((s = dnnl_memory_set_data_handle(e->weights, (void *)w))) return s;
    if ((s = dnnl_memory_set_data_handle(e->dst, c))) return s;
    dnnl_exec_arg_t args[3] = {
        {DNNL_ARG_SRC, e->src}, {DNNL_ARG_WEIGHTS, e->weights}, {DNNL_ARG_DST, e->dst}};
    if ((s = dnnl_primitive_execute(e->primitive, gemm->stream, 3, args))) return s;
    return dnnl_stream_wait(gemm->stream);
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
