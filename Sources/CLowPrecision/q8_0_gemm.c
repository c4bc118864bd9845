// Q8_0 weights x int8 activations -> f32: ggml's Q8_0 layout has one f16 scale per 32 weights,
// which oneDNN 2.x cannot express (its int8 matmul takes one scale per output channel at most),
// so this small kernel does the block-scaled dot products itself.
#include "CLowPrecision.h"

#include <immintrin.h>
#include <math.h>
#include <string.h>

/// IEEE half -> float, bit by bit (scales only; no F16C needed on the portable path).
static float half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16, exponent = (h >> 10) & 0x1fu, mantissa = h & 0x3ffu;
    uint32_t bits;
    if (exponent == 0x1f) {
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else {  // subnormal: value = mantissa · 2^-24
            float value = (float)mantissa * 0x1p-24f;
            return sign ? -value : value;
        }
    } else {
        bits = sign | ((exponent + 112u) << 23) | (mantissa << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static float block_scale(const uint8_t *block) {
    uint16_t h;
    memcpy(&h, block, 2);
    return half_to_float(h);
}

void dllm_q8_0_quantize_rows(const float *x, int64_t m, int64_t k, int64_t ldx,
                             int8_t *q, float *scales, int32_t *sums) {
    const int64_t blocks = k / DLLM_Q8_0_BLOCK;
    for (int64_t i = 0; i < m; i++) {
        for (int64_t b = 0; b < blocks; b++) {
            const float *v = x + i * ldx + b * DLLM_Q8_0_BLOCK;
            int8_t *out = q + i * k + b * DLLM_Q8_0_BLOCK;
            float amax = 0;
            for (int e = 0; e < DLLM_Q8_0_BLOCK; e++) amax = fmaxf(amax, fabsf(v[e]));
            const float s = amax / 127.0f, inverse = s > 0 ? 1.0f / s : 0.0f;
            int32_t sum = 0;
            for (int e = 0; e < DLLM_Q8_0_BLOCK; e++) {
                // |v·inverse| ≤ 127 up to rounding; the clamp keeps -128 out, which the kernel relies on.
                float r = roundf(v[e] * inverse);
                r = fminf(127.0f, fmaxf(-127.0f, r));
                out[e] = (int8_t)r;
                sum += out[e];
            }
            scales[i * blocks + b] = s;
            sums[i * blocks + b] = sum;
        }
    }
}

/// The portable path: one output at a time, integer dot per block, f32 accumulation.
static void gemm_scalar(const int8_t *xq, const float *xs, int64_t m, const uint8_t *w,
                        int64_t n0, int64_t n1, int64_t k, float *c, int64_t ldc, int accumulate) {
    const int64_t blocks = k / DLLM_Q8_0_BLOCK, row_bytes = blocks * DLLM_Q8_0_BLOCK_BYTES;
    for (int64_t i = 0; i < m; i++) {
        for (int64_t j = n0; j < n1; j++) {
            const uint8_t *wrow = w + j * row_bytes;
            float acc = 0;
            for (int64_t b = 0; b < blocks; b++) {
                const uint8_t *block = wrow + b * DLLM_Q8_0_BLOCK_BYTES;
                const int8_t *wq = (const int8_t *)(block + 2), *a = xq + i * k + b * DLLM_Q8_0_BLOCK;
                int32_t dot = 0;
                for (int e = 0; e < DLLM_Q8_0_BLOCK; e++) dot += (int32_t)a[e] * (int32_t)wq[e];
                acc += xs[i * blocks + b] * block_scale(block) * (float)dot;
            }
            c[i * ldc + j] = accumulate ? c[i * ldc + j] + acc : acc;
        }
    }
}

#define VNNI_TARGET __attribute__((target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512vnni")))
/// Activation rows × weight rows per tile: 4 × 4 (16 accumulators in registers) measured as fast
/// as 3 × 4 and 2 × 4 and faster than 4 × 2, 3 × 3, 6 × 2 at M 288, K 2048, N 5632.
enum { TILE_ROWS = 4, TILE_COLUMNS = 4 };

VNNI_TARGET static inline float horizontal_sum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

/// TILE_ROWS activation rows × TILE_COLUMNS weight rows per tile, one 32-byte block per step in 256-bit lanes.
/// vpdpbusd multiplies unsigned by signed bytes, so the weights go in as w + 128 (xor 0x80) and
/// the extra 128·Σx of each block, precomputed in `xsums`, starts the accumulator (lane 0) negated.
/// Tiles past the edge repeat the last row and discard it.
VNNI_TARGET static void gemm_vnni(const int8_t *xq, const float *xs, const int32_t *xsums, int64_t m,
                                  const uint8_t *w, int64_t n0, int64_t n1, int64_t k,
                                  float *c, int64_t ldc, int accumulate) {
    const int64_t blocks = k / DLLM_Q8_0_BLOCK, row_bytes = blocks * DLLM_Q8_0_BLOCK_BYTES;
    const __m256i flip = _mm256_set1_epi8((char)0x80);
    for (int64_t j0 = n0; j0 < n1; j0 += TILE_COLUMNS) {
        const uint8_t *wrows[TILE_COLUMNS];
        for (int t = 0; t < TILE_COLUMNS; t++) wrows[t] = w + (j0 + t < n1 ? j0 + t : n1 - 1) * row_bytes;
        for (int64_t i0 = 0; i0 < m; i0 += TILE_ROWS) {
            int64_t rows[TILE_ROWS];
            for (int t = 0; t < TILE_ROWS; t++) rows[t] = i0 + t < m ? i0 + t : m - 1;
            // Fully unrolled so that the 16 accumulators stay in registers.
            __m256 acc[TILE_ROWS][TILE_COLUMNS];
#pragma clang loop unroll(full)
            for (int a = 0; a < TILE_ROWS; a++)
#pragma clang loop unroll(full)
                for (int b = 0; b < TILE_COLUMNS; b++) acc[a][b] = _mm256_setzero_ps();
            for (int64_t blk = 0; blk < blocks; blk++) {
                __m256i wu[TILE_COLUMNS];
                float wd[TILE_COLUMNS];
#pragma clang loop unroll(full)
                for (int t = 0; t < TILE_COLUMNS; t++) {
                    const uint8_t *block = wrows[t] + blk * DLLM_Q8_0_BLOCK_BYTES;
                    uint16_t h;
                    memcpy(&h, block, 2);
                    wu[t] = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(block + 2)), flip);
                    wd[t] = _cvtsh_ss(h);
                }
#pragma clang loop unroll(full)
                for (int a = 0; a < TILE_ROWS; a++) {
                    const int64_t i = rows[a];
                    const __m256i xv = _mm256_loadu_si256((const __m256i *)(xq + i * k + blk * DLLM_Q8_0_BLOCK));
                    const __m256i start = _mm256_zextsi128_si256(_mm_cvtsi32_si128(-128 * xsums[i * blocks + blk]));
                    const float xd = xs[i * blocks + blk];
#pragma clang loop unroll(full)
                    for (int b = 0; b < TILE_COLUMNS; b++) {
                        const __m256i dot = _mm256_dpbusd_epi32(start, wu[b], xv);
                        acc[a][b] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(dot), _mm256_set1_ps(xd * wd[b]), acc[a][b]);
                    }
                }
            }
            for (int a = 0; a < TILE_ROWS && i0 + a < m; a++) {
                float *out = c + (i0 + a) * ldc;
                for (int b = 0; b < TILE_COLUMNS && j0 + b < n1; b++) {
                    const float sum = horizontal_sum(acc[a][b]);
                    out[j0 + b] = accumulate ? out[j0 + b] + sum : sum;
                }
            }
        }
    }
}

int dllm_q8_0_uses_vnni(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512vl")
        && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("fma");
}

void dllm_q8_0_gemm(const int8_t *xq, const float *xs, const int32_t *xsums, int64_t m,
                    const uint8_t *w, int64_t n0, int64_t n1, int64_t k,
                    float *c, int64_t ldc, int accumulate) {
    if (m <= 0 || n1 <= n0 || k <= 0) return;
    if (dllm_q8_0_uses_vnni()) {
        gemm_vnni(xq, xs, xsums, m, w, n0, n1, k, c, ldc, accumulate);
    } else {
        gemm_scalar(xq, xs, m, w, n0, n1, k, c, ldc, accumulate);
    }
}

void dllm_q8_0_gemm_portable(const int8_t *xq, const float *xs, int64_t m,
                             const uint8_t *w, int64_t n0, int64_t n1, int64_t k,
                             float *c, int64_t ldc, int accumulate) {
    if (m <= 0 || n1 <= n0 || k <= 0) return;
    gemm_scalar(xq, xs, m, w, n0, n1, k, c, ldc, accumulate);
}
