// bf16 weights packed once into the blocked layout oneDNN's matmul picks (see dllm_bf16_packed).
#include "bf16_internal.h"

#include <stdlib.h>
#include <string.h>

/// Rows the layout is chosen for; `build` checks every other row count against it.
enum { PACKING_ROWS = 256 };

dllm_bf16_packed *dllm_bf16_pack_prepare(dllm_bf16_gemm *gemm, int64_t n, int64_t k) {
    if (n <= 0 || k <= 0) return NULL;
    dnnl_memory_desc_t plain, preferred;
    if (dllm_bf16_weights_md(&plain, n, k, 0) || dllm_bf16_preferred_layout(gemm, PACKING_ROWS, n, k, &preferred)) return NULL;
    if (dnnl_memory_desc_equal(&plain, &preferred)) return NULL;   // nothing to gain
    dllm_bf16_packed *packed = calloc(1, sizeof *packed);
    if (!packed) return NULL;
    packed->md = preferred;
    packed->n = n;
    packed->k = k;
    packed->bytes = dnnl_memory_desc_get_size(&preferred);
    packed->data = packed->bytes ? aligned_alloc(64, (packed->bytes + 63) / 64 * 64) : NULL;
    if (!packed->data) {
        dllm_bf16_packed_destroy(packed);
        return NULL;
    }
    // Padding (k to the 32-row block, n to the 64-column block) must read as zeros.
    if (preferred.padded_dims[0] != k || preferred.padded_dims[1] != n) memset(packed->data, 0, packed->bytes);
    return packed;
}

int dllm_bf16_pack_reorder(dllm_bf16_gemm *gemm, dllm_bf16_packed *packed, const uint16_t *w) {
    dnnl_memory_desc_t plain;
    dnnl_primitive_desc_t rpd = NULL;
    dnnl_primitive_t reorder = NULL;
    dnnl_memory_t from = NULL, to = NULL;
    int ok = !dllm_bf16_weights_md(&plain, packed->n, packed->k, 0)
        && !dnnl_reorder_primitive_desc_create(&rpd, &plain, gemm->engine, &packed->md, gemm->engine, NULL)
        && !dnnl_primitive_create(&reorder, rpd)
        && !dnnl_memory_create(&from, &plain, gemm->engine, (void *)w)
        && !dnnl_memory_create(&to, &packed->md, gemm->engine, packed->data);
    if (ok) {
        dnnl_exec_arg_t args[2] = {{DNNL_ARG_FROM, from}, {DNNL_ARG_TO, to}};
        ok = !dnnl_primitive_execute(reorder, gemm->stream, 2, args) && !dnnl_stream_wait(gemm->stream);
    }
    if (to) dnnl_memory_destroy(to);
    if (from) dnnl_memory_destroy(from);
    if (reorder) dnnl_primitive_destroy(reorder);
    if (rpd) dnnl_primitive_desc_destroy(rpd);
    return ok;
}

/// The layout our own copy understands: k blocked as [A][.][2] around n blocked by B, i.e. oneDNN's
/// BA{A}a{B}b2a (inner blocks A of k, B of n, 2 of k); 0 for anything else.
static int fast_layout(const dllm_bf16_packed *p, int64_t *a_block, int64_t *n_block) {
    const dnnl_memory_desc_t *md = &p->md;
    const dnnl_blocking_desc_t *b = &md->format_desc.blocking;
    if (md->ndims != 2 || md->format_kind != dnnl_blocked || md->offset0 != 0 || b->inner_nblks != 3) return 0;
    if (b->inner_idxs[0] != 0 || b->inner_idxs[1] != 1 || b->inner_idxs[2] != 0 || b->inner_blks[2] != 2) return 0;
    *a_block = b->inner_blks[0];
    *n_block = b->inner_blks[1];
    return *a_block > 0 && *n_block > 0;
}

int64_t dllm_bf16_pack_column_blocks(const dllm_bf16_packed *p) {
    int64_t a_block, n_block;
    if (!fast_layout(p, &a_block, &n_block)) return 0;
    return (p->n + n_block - 1) / n_block;
}

void dllm_bf16_pack_blocks(dllm_bf16_packed *p, const uint16_t *w, const int64_t *row_order, int64_t first, int64_t end) {
    int64_t a_block, n_block;
    if (!fast_layout(p, &a_block, &n_block)) return;
    const dnnl_blocking_desc_t *b = &p->md.format_desc.blocking;
    int64_t k_block = 2 * a_block, n = p->n, k = p->k;
    uint16_t *out = p->data;
    for (int64_t nb = first; nb < end; nb++) {
        int64_t columns = n - nb * n_block < n_block ? n - nb * n_block : n_block;
        for (int64_t kb = 0; kb * k_block < k; kb++) {
            uint16_t *block = out + nb * b->strides[1] + kb * b->strides[0];
            int64_t valid = k - kb * k_block < k_block ? k - kb * k_block : k_block;
            // Logical row nb·B + j is stored row row_order[nb·B + j] (identity when NULL).
#define STORED_ROW(j) (w + (row_order ? row_order[nb * n_block + (j)] : nb * n_block + (j)) * k + kb * k_block)
            if (valid == k_block) {
                // A whole block: a transpose of B × A pairs of k (4 bytes each) into A × B, written
                // in order. Element (a, j) is the pair row_j[2a], row_j[2a + 1].
                for (int64_t j = 0; j < columns; j++) {
                    const uint16_t *row = STORED_ROW(j);
                    for (int64_t a = 0; a < a_block; a++) {
                        uint32_t pair;
                        memcpy(&pair, row + 2 * a, 4);
                        memcpy(block + (a * n_block + j) * 2, &pair, 4);
                    }
                }
            } else {
                // The last, partial block of k: element (a, j, t) holds row_j[2a + t] where it exists
                // (the rest is the zeroed padding).
                for (int64_t j = 0; j < columns; j++)
                    for (int64_t i = 0; i < valid; i++) block[((i >> 1) * n_block + j) * 2 + (i & 1)] = STORED_ROW(j)[i];
            }
#undef STORED_ROW
        }
    }
}

uint16_t *dllm_bf16_packed_data(dllm_bf16_packed *packed) { return packed->data; }

void dllm_bf16_packed_destroy(dllm_bf16_packed *packed) {
    if (!packed) return;
    free(packed->data);
    free(packed);
}

size_t dllm_bf16_packed_bytes(const dllm_bf16_packed *packed) { return packed->bytes; }

