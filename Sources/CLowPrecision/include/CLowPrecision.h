// Low-precision GEMM kernels for dllm-play: bf16 x bf16 -> f32 on oneDNN, and Q8_0 x int8 -> f32
// on a small AVX512-VNNI kernel (with a portable scalar fallback). Buffer shapes are in the
// comments of each function; every matrix is row-major.
#ifndef DLLM_LOW_PRECISION_H
#define DLLM_LOW_PRECISION_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// ---- bf16 on oneDNN ----------------------------------------------------------------------

/// A oneDNN CPU engine, stream and a cache of matmul primitives keyed by shape (creating a
/// primitive costs far more than running a small one). One caller at a time.
typedef struct dllm_bf16_gemm dllm_bf16_gemm;

/// NULL when oneDNN cannot create a CPU engine.
dllm_bf16_gemm *dllm_bf16_gemm_create(void);
void dllm_bf16_gemm_destroy(dllm_bf16_gemm *gemm);

/// c[m, n] (row stride ldc) = a[m, k] (contiguous bf16) · w[n, k]ᵀ (contiguous bf16, weights as
/// stored: [out, in]), plus the old c when `accumulate`. Returns 0, or the oneDNN status.
int dllm_bf16_gemm_run(dllm_bf16_gemm *gemm, const uint16_t *a, const uint16_t *w, float *c,
                       int64_t m, int64_t n, int64_t k, int64_t ldc, int accumulate);

/// bf16 weights [n, k] (as stored) copied once into the blocked layout oneDNN's matmul picks for
/// them, so that no call repacks them. `prepare` chooses the layout and allocates (NULL when that
/// layout is the stored one or oneDNN fails); then either `pack_blocks` over every column block
/// (our copy, for the layout oneDNN picks on AVX-512 and AMX: splittable across threads, about
/// 10× faster than oneDNN's reorder here) when `pack_column_blocks` > 0, or `pack_reorder`.
typedef struct dllm_bf16_packed dllm_bf16_packed;
dllm_bf16_packed *dllm_bf16_pack_prepare(dllm_bf16_gemm *gemm, int64_t n, int64_t k);
int64_t dllm_bf16_pack_column_blocks(const dllm_bf16_packed *packed);
/// Column blocks [first, end); logical row r of the weights is stored row row_order[r] (NULL: r).
void dllm_bf16_pack_blocks(dllm_bf16_packed *packed, const uint16_t *w, const int64_t *row_order, int64_t first, int64_t end);
/// oneDNN's reorder into the packed layout; returns 1 on success.
int dllm_bf16_pack_reorder(dllm_bf16_gemm *gemm, dllm_bf16_packed *packed, const uint16_t *w);
/// The packed bytes (tests compare the two ways of filling them).
uint16_t *dllm_bf16_packed_data(dllm_bf16_packed *packed);
void dllm_bf16_packed_destroy(dllm_bf16_packed *packed);
size_t dllm_bf16_packed_bytes(const dllm_bf16_packed *packed);

/// As dllm_bf16_gemm_run with packed weights. Fails (dnnl_unimplemented) for a row count m for
/// which oneDNN would pick another layout; the caller then runs the stored weights.
int dllm_bf16_gemm_run_packed(dllm_bf16_gemm *gemm, const uint16_t *a, const dllm_bf16_packed *w, float *c,
                              int64_t m, int64_t ldc, int accumulate);

/// Primitives held in the cache now.
int dllm_bf16_gemm_cached(const dllm_bf16_gemm *gemm);

/// 1 when oneDNN's effective ISA runs bf16 dot products natively (AVX512-BF16 or AMX).
int dllm_onednn_native_bf16(void);

/// dst[i] = bf16(src[i]), rounded to nearest even (NaN stays NaN).
void dllm_f32_to_bf16(const float *src, uint16_t *dst, size_t count);

/// Few-row product with bf16 weights (bf16_gemv.c): c[i, j] (+)= Σ_p a[i, p]·w[j, p] for i < m and
/// j in [n0, n1); a f32 [m, k] with row stride lda, w bf16 [n, k] contiguous, c row stride ldc.
/// `portable` forces the plain C version (tests; it gives the same bits as the AVX-512 one).
void dllm_bf16_gemv(const float *a, long lda, long m, const uint16_t *w, long n0, long n1, long k,
                    float *c, long ldc, int accumulate, int portable);
/// Whether dllm_bf16_gemv runs its AVX-512 version on this CPU.
int dllm_bf16_gemv_uses_avx512(void);

// ---- Q8_0 ---------------------------------------------------------------------------------

/// ggml's Q8_0 block: an f16 scale d, then 32 int8 values q; the value is d·q.
enum { DLLM_Q8_0_BLOCK = 32, DLLM_Q8_0_BLOCK_BYTES = 34 };

/// Quantizes activations x[m, k] (row stride ldx, k a multiple of 32) per 32-element block:
/// q[m, k] int8 = round(x / s) with s = max|x| / 127 per block, scales[m, k/32] = s, and
/// sums[m, k/32] = Σ q over the block (the kernel's offset correction).
void dllm_q8_0_quantize_rows(const float *x, int64_t m, int64_t k, int64_t ldx,
                             int8_t *q, float *scales, int32_t *sums);

/// c[m, columns n0..<n1] (row stride ldc) = Σ_b xs[i, b]·d[j, b]·(xq[i, block b] · wq[j, block b]),
/// plus the old c when `accumulate`. `w` is the raw Q8_0 tensor: n rows of k/32 blocks of 34 bytes,
/// used in place (no alignment needed). Only columns [n0, n1) are written, so threads can split n.
void dllm_q8_0_gemm(const int8_t *xq, const float *xs, const int32_t *xsums, int64_t m,
                    const uint8_t *w, int64_t n0, int64_t n1, int64_t k,
                    float *c, int64_t ldc, int accumulate);

/// The same on the portable scalar path whatever the CPU (the fallback, and the tests' witness).
void dllm_q8_0_gemm_portable(const int8_t *xq, const float *xs, int64_t m,
                             const uint8_t *w, int64_t n0, int64_t n1, int64_t k,
                             float *c, int64_t ldc, int accumulate);

/// The prefill kernel's weight layout: per group of 16 weight rows (output columns) and per block,
/// 16 f32 scales then 8 chunks of [16 columns × 4 bytes (w xor 0x80)]; groups past n are zero-padded.
enum { DLLM_Q8_0_PACKED_GROUP = 16 };
/// Bytes `dllm_q8_0_pack` writes for n rows of k columns (≈ 1.06 × the Q8_0 size).
int64_t dllm_q8_0_packed_bytes(int64_t n, int64_t k);
/// Repacks a raw Q8_0 tensor (n rows × k/32 blocks of 34 bytes) into that layout; row j is stored
/// row row_order[j] when row_order is not NULL. Needs F16C.
void dllm_q8_0_pack(const uint8_t *w, int64_t n, int64_t k, const int64_t *row_order, uint8_t *packed);
/// As `dllm_q8_0_gemm`, on packed weights (AVX512-VNNI only; does nothing without it). n0 must be a
/// multiple of 16 so that threads split whole groups.
void dllm_q8_0_gemm_packed(const int8_t *xq, const float *xs, const int32_t *xsums, int64_t m,
                           const uint8_t *packed, int64_t n0, int64_t n1, int64_t k,
                           float *c, int64_t ldc, int accumulate);

/// 1 when the Q8_0 kernel runs on AVX512-VNNI, 0 on the scalar fallback.
int dllm_q8_0_uses_vnni(void);

#ifdef __cplusplus
}
#endif
#endif
