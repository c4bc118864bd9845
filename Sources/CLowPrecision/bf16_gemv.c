// Few-row products with bf16 weights: c[i, j] (+)= Σ_k a[i, k] · w[j, k] for i < m (m at most 4),
// j in [n0, n1); a in f32 (not rounded), w bf16 [n, k] as stored, read once for all m rows. At one
// to three rows the weights' memory traffic is the whole cost: this reads 2 bytes per weight, where
// widening to f32 for sgemv moved 10 (read 2, write 4, read 4).
//
// Order of the sum, the same in both versions: 16 running sums, lane l over k ≡ l (mod 16) of the
// whole 16-blocks with fused multiply-adds; then lanes folded as l + 8, l + 4, l + 2, l + 1; then
// the last k mod 16 terms in index order, fused.
#include "CLowPrecision.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

static inline float widen(uint16_t bits) {
    uint32_t wide = (uint32_t)bits << 16;
    float value;
    memcpy(&value, &wide, 4);
    return value;
}

static float fold16(float lanes[16]) {
    for (int l = 0; l < 8; l++) lanes[l] += lanes[l + 8];
    for (int l = 0; l < 4; l++) lanes[l] += lanes[l + 4];
    for (int l = 0; l < 2; l++) lanes[l] += lanes[l + 2];
    return lanes[0] + lanes[1];
}

static void gemv_portable(const float *a, long lda, long m, const uint16_t *w, long n0, long n1, long k,
                          float *c, long ldc, int accumulate) {
    long whole = k / 16 * 16;
    for (long j = n0; j < n1; j++) {
        const uint16_t *row = w + j * k;
        for (long i = 0; i < m; i++) {
            const float *x = a + i * lda;
            float lanes[16] = {0};
            for (long p = 0; p < whole; p += 16)
                for (int l = 0; l < 16; l++) lanes[l] = fmaf(x[p + l], widen(row[p + l]), lanes[l]);
            float sum = fold16(lanes);
            for (long p = whole; p < k; p++) sum = fmaf(x[p], widen(row[p]), sum);
            c[i * ldc + j] = accumulate ? c[i * ldc + j] + sum : sum;
        }
    }
}

#if defined(__x86_64__)
#define GEMV_TARGET __attribute__((target("avx2,fma,avx512f,avx512bw")))

GEMV_TARGET static inline float fold512(__m512 v) {
    __m256 eight = _mm256_add_ps(_mm512_castps512_ps256(v), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
    __m128 four = _mm_add_ps(_mm256_castps256_ps128(eight), _mm256_extractf128_ps(eight, 1));
    __m128 two = _mm_add_ps(four, _mm_movehl_ps(four, four));
    __m128 one = _mm_add_ss(two, _mm_shuffle_ps(two, two, 1));
    return _mm_cvtss_f32(one);
}

GEMV_TARGET static inline __m512 widen16(const uint16_t *w) {
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256((const __m256i *)w)), 16));
}

GEMV_TARGET static void gemv_avx512(const float *a, long lda, long m, const uint16_t *w, long n0, long n1, long k,
                                    float *c, long ldc, int accumulate) {
    long whole = k / 16 * 16;
    for (long j = n0; j < n1; j++) {
        const uint16_t *row = w + j * k;
        __m512 acc[4] = {_mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps(), _mm512_setzero_ps()};
        for (long p = 0; p < whole; p += 16) {
            __m512 weights = widen16(row + p);
            for (long i = 0; i < m; i++) acc[i] = _mm512_fmadd_ps(_mm512_loadu_ps(a + i * lda + p), weights, acc[i]);
        }
        for (long i = 0; i < m; i++) {
            const float *x = a + i * lda;
            float sum = fold512(acc[i]);
            for (long p = whole; p < k; p++) sum = fmaf(x[p], widen(row[p]), sum);
            c[i * ldc + j] = accumulate ? c[i * ldc + j] + sum : sum;
        }
    }
}
#endif

int dllm_bf16_gemv_uses_avx512(void) {
#if defined(__x86_64__)
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("fma");
#else
    return 0;
#endif
}

void dllm_bf16_gemv(const float *a, long lda, long m, const uint16_t *w, long n0, long n1, long k,
                    float *c, long ldc, int accumulate, int portable) {
    if (m <= 0 || n1 <= n0) return;
    for (long first = 0; first < m; first += 4) {
        long rows = m - first < 4 ? m - first : 4;
#if defined(__x86_64__)
        if (!portable && dllm_bf16_gemv_uses_avx512()) {
            gemv_avx512(a + first * lda, lda, rows, w, n0, n1, k, c + first * ldc, ldc, accumulate);
            continue;
        }
#endif
        gemv_portable(a + first * lda, lda, rows, w, n0, n1, k, c + first * ldc, ldc, accumulate);
    }
}
