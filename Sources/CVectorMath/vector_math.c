// Element-wise kernels (CVectorMath.h). Built with -ffp-contract=off: a multiply followed by an add
// must stay two roundings, as in the Swift definitions these reproduce bit for bit.
//
// exp(x) = 2^n · e^r, n = round(x·log₂e) by the 1.5·2²³ trick, r = x − n·ln2 (ln2 in two parts),
// e^r by its degree-7 Taylor polynomial; inputs clamped to [−87.3, 88], below −87.3 the result is 0.
#include "CVectorMath.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define HAVE_X86 1
#else
#define HAVE_X86 0
#endif

// Bit patterns of the Swift literals (checked equal to these float expressions).
#define LOWEST (-87.3f)
#define HIGHEST 88.0f
#define LOG2E 1.44269504f
#define MAGIC 12582912.0f
#define LN2_HIGH 0.69314575f
#define LN2_LOW 1.4286068e-6f
#define C7 (1.0f / 5040.0f)
#define C6 (1.0f / 720.0f)
#define C5 (1.0f / 120.0f)
#define C4 (1.0f / 24.0f)
#define C3 (1.0f / 6.0f)

static inline uint32_t bits_of(float x) { uint32_t b; memcpy(&b, &x, 4); return b; }
static inline float float_of(uint32_t b) { float x; memcpy(&x, &b, 4); return x; }

static inline float exp_one(float x) {
    int low = x < LOWEST;
    float clamped = x > HIGHEST ? HIGHEST : (low ? LOWEST : x);
    float shifted = clamped * LOG2E + MAGIC;
    float n = shifted - MAGIC;
    float r = clamped - n * LN2_HIGH;
    r = r - n * LN2_LOW;
    float p = C7;
    p = p * r + C6;
    p = p * r + C5;
    p = p * r + C4;
    p = p * r + C3;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    uint32_t exponent = ((bits_of(shifted) - bits_of(MAGIC)) + 127u) << 23;
    return low ? 0.0f : p * float_of(exponent);
}

static void exp_scalar(float *x, long n) { for (long i = 0; i < n; i++) x[i] = exp_one(x[i]); }

static float max_scalar(const float *x, long n) {
    float maximum = x[0];
    for (long i = 1; i < n; i++) if (x[i] > maximum) maximum = x[i];
    return maximum;
}

static void scale_scalar(float *row, long n, float scale, const bool *allowed) {
    if (allowed) { for (long i = 0; i < n; i++) row[i] = allowed[i] ? row[i] * scale : -INFINITY; }
    else { for (long i = 0; i < n; i++) row[i] *= scale; }
}

static void subtract_exp_scalar(float *row, long n, float maximum) {
    for (long i = 0; i < n; i++) row[i] = exp_one(row[i] - maximum);
}

static void multiply_scalar(float *row, long n, float factor) { for (long i = 0; i < n; i++) row[i] *= factor; }

static void swiglu_blocks_scalar(float *gate, const float *up, long n) {
    for (long i = 0; i < n; i++) {
        float x = gate[i];
        float sigmoid = 1.0f / (1.0f + exp_one(-x));
        gate[i] = x * sigmoid * up[i];
    }
}

#if HAVE_X86
__attribute__((target("avx512f"))) static inline __m512 exp16(__m512 x) {
    __mmask16 low = _mm512_cmp_ps_mask(x, _mm512_set1_ps(LOWEST), _CMP_LT_OQ);
    __mmask16 high = _mm512_cmp_ps_mask(x, _mm512_set1_ps(HIGHEST), _CMP_GT_OQ);
    __m512 clamped = _mm512_mask_blend_ps(low, x, _mm512_set1_ps(LOWEST));
    clamped = _mm512_mask_blend_ps(high, clamped, _mm512_set1_ps(HIGHEST));
    __m512 magic = _mm512_set1_ps(MAGIC);
    __m512 shifted = _mm512_add_ps(_mm512_mul_ps(clamped, _mm512_set1_ps(LOG2E)), magic);
    __m512 n = _mm512_sub_ps(shifted, magic);
    __m512 r = _mm512_sub_ps(clamped, _mm512_mul_ps(n, _mm512_set1_ps(LN2_HIGH)));
    r = _mm512_sub_ps(r, _mm512_mul_ps(n, _mm512_set1_ps(LN2_LOW)));
    __m512 p = _mm512_set1_ps(C7);
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(C6));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(C5));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(C4));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(C3));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(0.5f));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(1.0f));
    p = _mm512_add_ps(_mm512_mul_ps(p, r), _mm512_set1_ps(1.0f));
    __m512i integer = _mm512_sub_epi32(_mm512_castps_si512(shifted), _mm512_castps_si512(magic));
    __m512i exponent = _mm512_slli_epi32(_mm512_add_epi32(integer, _mm512_set1_epi32(127)), 23);
    __m512 result = _mm512_mul_ps(p, _mm512_castsi512_ps(exponent));
    return _mm512_mask_blend_ps(low, result, _mm512_setzero_ps());
}

__attribute__((target("avx512f"))) static void exp_avx512(float *x, long n) {
    long i = 0;
    for (; i + 16 <= n; i += 16) _mm512_storeu_ps(x + i, exp16(_mm512_loadu_ps(x + i)));
    exp_scalar(x + i, n - i);
}

__attribute__((target("avx512f"))) static void softmax_avx512(float *row, long n, float scale, const bool *allowed) {
    long i;
    __m512 vscale = _mm512_set1_ps(scale);
    if (allowed) {
        scale_scalar(row, n, scale, allowed);
    } else {
        for (i = 0; i + 16 <= n; i += 16) _mm512_storeu_ps(row + i, _mm512_mul_ps(_mm512_loadu_ps(row + i), vscale));
        for (; i < n; i++) row[i] *= scale;
    }
    // The maximum is exact in any order (a NaN poisons the row in both versions).
    float maximum = row[0];
    if (n >= 32) {
        __m512 m = _mm512_loadu_ps(row);
        for (i = 16; i + 16 <= n; i += 16) m = _mm512_max_ps(m, _mm512_loadu_ps(row + i));
        maximum = _mm512_reduce_max_ps(m);
        for (; i < n; i++) if (row[i] > maximum) maximum = row[i];
    } else {
        maximum = max_scalar(row, n);
    }
    if (maximum == -INFINITY) { memset(row, 0, (size_t)n * sizeof(float)); return; }
    __m512 vmax = _mm512_set1_ps(maximum);
    float sum = 0;
    for (i = 0; i + 16 <= n; i += 16) {
        __m512 e = exp16(_mm512_sub_ps(_mm512_loadu_ps(row + i), vmax));
        _mm512_storeu_ps(row + i, e);
        for (int j = 0; j < 16; j++) sum += row[i + j];   // index order, as the Swift loop
    }
    for (; i < n; i++) { row[i] = exp_one(row[i] - maximum); sum += row[i]; }
    float inverse = 1.0f / sum;
    __m512 vinverse = _mm512_set1_ps(inverse);
    for (i = 0; i + 16 <= n; i += 16) _mm512_storeu_ps(row + i, _mm512_mul_ps(_mm512_loadu_ps(row + i), vinverse));
    for (; i < n; i++) row[i] *= inverse;
}

__attribute__((target("avx512f"))) static void swiglu_avx512(float *gate, const float *up, long n) {
    long i = 0;
    __m512 one = _mm512_set1_ps(1.0f);
    for (; i + 16 <= n; i += 16) {
        __m512 x = _mm512_loadu_ps(gate + i), y = _mm512_loadu_ps(up + i);
        __m512 negated = _mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(x), _mm512_set1_epi32((int)0x80000000u)));
        __m512 sigmoid = _mm512_div_ps(one, _mm512_add_ps(one, exp16(negated)));
        _mm512_storeu_ps(gate + i, _mm512_mul_ps(_mm512_mul_ps(x, sigmoid), y));
    }
    for (; i < n; i++) gate[i] = gate[i] / (1.0f + expf(-gate[i])) * up[i];
}

__attribute__((target("avx2"))) static inline __m256 exp8(__m256 x) {
    __m256 low = _mm256_cmp_ps(x, _mm256_set1_ps(LOWEST), _CMP_LT_OQ);
    __m256 high = _mm256_cmp_ps(x, _mm256_set1_ps(HIGHEST), _CMP_GT_OQ);
    __m256 clamped = _mm256_blendv_ps(x, _mm256_set1_ps(LOWEST), low);
    clamped = _mm256_blendv_ps(clamped, _mm256_set1_ps(HIGHEST), high);
    __m256 magic = _mm256_set1_ps(MAGIC);
    __m256 shifted = _mm256_add_ps(_mm256_mul_ps(clamped, _mm256_set1_ps(LOG2E)), magic);
    __m256 n = _mm256_sub_ps(shifted, magic);
    __m256 r = _mm256_sub_ps(clamped, _mm256_mul_ps(n, _mm256_set1_ps(LN2_HIGH)));
    r = _mm256_sub_ps(r, _mm256_mul_ps(n, _mm256_set1_ps(LN2_LOW)));
    __m256 p = _mm256_set1_ps(C7);
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(C6));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(C5));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(C4));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(C3));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(0.5f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.0f));
    p = _mm256_add_ps(_mm256_mul_ps(p, r), _mm256_set1_ps(1.0f));
    __m256i integer = _mm256_sub_epi32(_mm256_castps_si256(shifted), _mm256_castps_si256(magic));
    __m256i exponent = _mm256_slli_epi32(_mm256_add_epi32(integer, _mm256_set1_epi32(127)), 23);
    __m256 result = _mm256_mul_ps(p, _mm256_castsi256_ps(exponent));
    return _mm256_blendv_ps(result, _mm256_setzero_ps(), low);
}

__attribute__((target("avx2"))) static void exp_avx2(float *x, long n) {
    long i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, exp8(_mm256_loadu_ps(x + i)));
    exp_scalar(x + i, n - i);
}

__attribute__((target("avx2"))) static void softmax_avx2(float *row, long n, float scale, const bool *allowed) {
    long i;
    scale_scalar(row, n, scale, allowed);
    float maximum = max_scalar(row, n);
    if (maximum == -INFINITY) { memset(row, 0, (size_t)n * sizeof(float)); return; }
    __m256 vmax = _mm256_set1_ps(maximum);
    float sum = 0;
    for (i = 0; i + 8 <= n; i += 8) {
        _mm256_storeu_ps(row + i, exp8(_mm256_sub_ps(_mm256_loadu_ps(row + i), vmax)));
        for (int j = 0; j < 8; j++) sum += row[i + j];
    }
    for (; i < n; i++) { row[i] = exp_one(row[i] - maximum); sum += row[i]; }
    multiply_scalar(row, n, 1.0f / sum);
}

__attribute__((target("avx2"))) static void swiglu_avx2(float *gate, const float *up, long n) {
    long i = 0, whole = n / 16 * 16;
    __m256 one = _mm256_set1_ps(1.0f);
    for (; i < whole; i += 8) {
        __m256 x = _mm256_loadu_ps(gate + i), y = _mm256_loadu_ps(up + i);
        __m256 sigmoid = _mm256_div_ps(one, _mm256_add_ps(one, exp8(_mm256_xor_ps(x, _mm256_set1_ps(-0.0f)))));
        _mm256_storeu_ps(gate + i, _mm256_mul_ps(_mm256_mul_ps(x, sigmoid), y));
    }
    for (; i < n; i++) gate[i] = gate[i] / (1.0f + expf(-gate[i])) * up[i];
}
#endif

static void softmax_scalar(float *row, long n, float scale, const bool *allowed) {
    scale_scalar(row, n, scale, allowed);
    float maximum = max_scalar(row, n);
    if (maximum == -INFINITY) { memset(row, 0, (size_t)n * sizeof(float)); return; }
    subtract_exp_scalar(row, n, maximum);
    float sum = 0;
    for (long i = 0; i < n; i++) sum += row[i];
    multiply_scalar(row, n, 1.0f / sum);
}

static void swiglu_scalar(float *gate, const float *up, long n) {
    long whole = n / 16 * 16;
    swiglu_blocks_scalar(gate, up, whole);
    for (long i = whole; i < n; i++) gate[i] = gate[i] / (1.0f + expf(-gate[i])) * up[i];
}

enum variant { VARIANT_UNKNOWN, VARIANT_SCALAR, VARIANT_AVX2, VARIANT_AVX512 };
static enum variant chosen = VARIANT_UNKNOWN;   // a benign race: every thread computes the same value

static enum variant variant(void) {
    if (chosen != VARIANT_UNKNOWN) return chosen;
    enum variant found = VARIANT_SCALAR;
#if HAVE_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) found = VARIANT_AVX512;
    else if (__builtin_cpu_supports("avx2")) found = VARIANT_AVX2;
#endif
    chosen = found;
    return found;
}

const char *dllm_vector_math_variant(void) {
    switch (variant()) {
    case VARIANT_AVX512: return "avx512f";
    case VARIANT_AVX2: return "avx2";
    default: return "scalar";
    }
}

int dllm_vector_math_use(const char *name) {
    enum variant wanted;
    if (strcmp(name, "scalar") == 0) wanted = VARIANT_SCALAR;
    else if (strcmp(name, "avx2") == 0) wanted = VARIANT_AVX2;
    else if (strcmp(name, "avx512f") == 0) wanted = VARIANT_AVX512;
    else return 0;
#if HAVE_X86
    __builtin_cpu_init();
    if (wanted == VARIANT_AVX512 && !__builtin_cpu_supports("avx512f")) return 0;
    if (wanted == VARIANT_AVX2 && !__builtin_cpu_supports("avx2")) return 0;
#else
    if (wanted != VARIANT_SCALAR) return 0;
#endif
    chosen = wanted;
    return 1;
}

void dllm_exp_inplace(float *x, long n) {
    if (n <= 0) return;
#if HAVE_X86
    switch (variant()) {
    case VARIANT_AVX512: exp_avx512(x, n); return;
    case VARIANT_AVX2: exp_avx2(x, n); return;
    default: break;
    }
#endif
    exp_scalar(x, n);
}

void dllm_scaled_softmax_row(float *row, long n, float scale, const bool *allowed) {
    if (n <= 0) return;
#if HAVE_X86
    switch (variant()) {
    case VARIANT_AVX512: softmax_avx512(row, n, scale, allowed); return;
    case VARIANT_AVX2: softmax_avx2(row, n, scale, allowed); return;
    default: break;
    }
#endif
    softmax_scalar(row, n, scale, allowed);
}

void dllm_swiglu(float *gate, const float *up, long n) {
    if (n <= 0) return;
#if HAVE_X86
    switch (variant()) {
    case VARIANT_AVX512: swiglu_avx512(gate, up, n); return;
    case VARIANT_AVX2: swiglu_avx2(gate, up, n); return;
    default: break;
    }
#endif
    swiglu_scalar(gate, up, n);
}
