// Q8_0 for many activation rows (prefill): the weights are repacked once into a column-interleaved
// layout so that one 512-bit vpdpbusd does 4 MACs for each of 16 output columns, with the
// activation's 4 bytes broadcast. A block's 8 vpdpbusd then share one int->float convert, one
// scale multiply and one FMA for 16 columns (the row-major kernel pays those per column), which
// is what makes int8 faster than bf16 at a few hundred rows.
#include "CLowPrecision.h"

#include <immintrin.h>
#include <string.h>

/// Per (16-column group, block): 16 f32 scales, then 8 chunks of [16 columns × 4 bytes].
enum { GROUP = DLLM_Q8_0_PACKED_GROUP, CHUNKS = DLLM_Q8_0_BLOCK / 4,
       PACKED_BLOCK = 16 * 4 + CHUNKS * 64 };

int64_t dllm_q8_0_packed_bytes(int64_t n, int64_t k) {
    return (n + GROUP - 1) / GROUP * (k / DLLM_Q8_0_BLOCK) * PACKED_BLOCK;
}

__attribute__((target("f16c")))
void dllm_q8_0_pack(const uint8_t *w, int64_t n, int64_t k, const int64_t *row_order, uint8_t *packed) {
    const int64_t blocks = k / DLLM_Q8_0_BLOCK, row_bytes = blocks * DLLM_Q8_0_BLOCK_BYTES;
    const int64_t groups = (n + GROUP - 1) / GROUP;
    for (int64_t g = 0; g < groups; g++) {
        for (int64_t b = 0; b < blocks; b++) {
            uint8_t *out = packed + (g * blocks + b) * PACKED_BLOCK;
            float scales[GROUP];
            for (int t = 0; t < GROUP; t++) {
                const int64_t j = g * GROUP + t;
                // Columns past n: scale 0 and weights 0 (stored as 0x80), their outputs are discarded.
                if (j >= n) {
                    scales[t] = 0;
                    for (int c = 0; c < CHUNKS; c++) memset(out + 64 + c * 64 + t * 4, 0x80, 4);
                    continue;
                }
                const uint8_t *block = w + (row_order ? row_order[j] : j) * row_bytes + b * DLLM_Q8_0_BLOCK_BYTES;
                uint16_t h;
                memcpy(&h, block, 2);
                scales[t] = _cvtsh_ss(h);
                // vpdpbusd multiplies unsigned by signed bytes: weights go in as w + 128 (xor 0x80),
                // the kernel removes the extra 128·Σx per block.
                for (int c = 0; c < CHUNKS; c++)
                    for (int e = 0; e < 4; e++) out[64 + c * 64 + t * 4 + e] = block[2 + c * 4 + e] ^ 0x80;
            }
            memcpy(out, scales, sizeof scales);
        }
    }
}

#define VNNI_TARGET __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni")))
/// Activation rows per tile; 2 column groups (32 columns) per tile: 2·ROWS f32 accumulators and
/// 2·ROWS int32 block accumulators in zmm registers.
enum { ROWS = 6 };

VNNI_TARGET static void gemm_packed_vnni(const int8_t *xq, const float *xs, const int32_t *xsums, int64_t m,
                                         const uint8_t *packed, int64_t n0, int64_t n1, int64_t k,
                                         float *c, int64_t ldc, int accumulate) {
    const int64_t blocks = k / DLLM_Q8_0_BLOCK, group_bytes = blocks * PACKED_BLOCK;
    const int64_t g0 = n0 / GROUP, g1 = (n1 + GROUP - 1) / GROUP;
    for (int64_t g = g0; g < g1; g += 2) {
        const uint8_t *p0 = packed + g * group_bytes, *p1 = g + 1 < g1 ? p0 + group_bytes : p0;
        for (int64_t i0 = 0; i0 < m; i0 += ROWS) {
            const int8_t *xrow[ROWS];
            const float *srow[ROWS];
            const int32_t *trow[ROWS];
            for (int r = 0; r < ROWS; r++) {
                const int64_t i = i0 + r < m ? i0 + r : m - 1;  // past the edge: repeat, discard
                xrow[r] = xq + i * k;
                srow[r] = xs + i * blocks;
                trow[r] = xsums + i * blocks;
            }
            __m512 acc[ROWS][2];
#pragma clang loop unroll(full)
            for (int r = 0; r < ROWS; r++) acc[r][0] = acc[r][1] = _mm512_setzero_ps();
            for (int64_t b = 0; b < blocks; b++) {
                const uint8_t *q0 = p0 + b * PACKED_BLOCK, *q1 = p1 + b * PACKED_BLOCK;
                __m512i dot[ROWS][2];
#pragma clang loop unroll(full)
                for (int r = 0; r < ROWS; r++) dot[r][0] = dot[r][1] = _mm512_set1_epi32(-128 * trow[r][b]);
#pragma clang loop unroll(full)
                for (int ch = 0; ch < CHUNKS; ch++) {
                    const __m512i w0 = _mm512_loadu_si512((const void *)(q0 + 64 + ch * 64));
                    const __m512i w1 = _mm512_loadu_si512((const void *)(q1 + 64 + ch * 64));
#pragma clang loop unroll(full)
                    for (int r = 0; r < ROWS; r++) {
                        int32_t four;
                        memcpy(&four, xrow[r] + b * DLLM_Q8_0_BLOCK + ch * 4, 4);
                        const __m512i xb = _mm512_set1_epi32(four);
                        dot[r][0] = _mm512_dpbusd_epi32(dot[r][0], w0, xb);
                        dot[r][1] = _mm512_dpbusd_epi32(dot[r][1], w1, xb);
                    }
                }
                const __m512 d0 = _mm512_loadu_ps((const float *)q0), d1 = _mm512_loadu_ps((const float *)q1);
#pragma clang loop unroll(full)
                for (int r = 0; r < ROWS; r++) {
                    const __m512 xd = _mm512_set1_ps(srow[r][b]);
                    acc[r][0] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot[r][0]), _mm512_mul_ps(d0, xd), acc[r][0]);
                    acc[r][1] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(dot[r][1]), _mm512_mul_ps(d1, xd), acc[r][1]);
                }
            }
            for (int r = 0; r < ROWS && i0 + r < m; r++) {
                float tile[2 * GROUP];
                _mm512_storeu_ps(tile, acc[r][0]);
                _mm512_storeu_ps(tile + GROUP, acc[r][1]);
                float *out = c + (i0 + r) * ldc;
                for (int t = 0; t < 2 * GROUP; t++) {
                    const int64_t j = g * GROUP + t;
                    if (j < n0 || j >= n1 || (t >= GROUP && g + 1 >= g1)) continue;
                    out[j] = accumulate ? out[j] + tile[t] : tile[t];
                }
            }
        }
    }
}

void dllm_q8_0_gemm_packed(const int8_t *xq, const float *xs, const int32_t *xsums, int64_t m,
                           const uint8_t *packed, int64_t n0, int64_t n1, int64_t k,
                           float *c, int64_t ldc, int accumulate) {
    if (m <= 0 || n1 <= n0 || k <= 0 || !dllm_q8_0_uses_vnni()) return;
    gemm_packed_vnni(xq, xs, xsums, m, packed, n0, n1, k, c, ldc, accumulate);
}
