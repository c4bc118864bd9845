#ifndef DLLM_CVECTORMATH_H
#define DLLM_CVECTORMATH_H

#include <stdbool.h>

/// Element-wise kernels of the forward pass at the CPU's full vector width (AVX-512, AVX2, or one
/// element at a time), chosen at run time. Every variant gives the bits of the Swift definitions
/// in Sources/Kernels/VectorExp.swift (`exp(lanes:)`, `fastSoftmaxInPlace`, `fastSwiGLU`): the same
/// operations in the same order per element, no fused multiply-add, sums in the same order.

/// x[i] = exp(x[i]) for i in [0, n).
void dllm_exp_inplace(float *x, long n);

/// Attention's row step: row[i] = allowed[i] ? row[i]·scale : −∞ (every i allowed when `allowed`
/// is NULL), then softmax in place (max, subtract, exp, sum in index order, scale by 1/sum); a row
/// with no allowed entry becomes zeros.
void dllm_scaled_softmax_row(float *row, long n, float scale, const bool *allowed);

/// gate[i] = gate[i]·σ(gate[i])·up[i]: whole 16-element blocks from gate[0] with the vector exp,
/// the last n mod 16 elements with libm's expf (as `fastSwiGLU`).
void dllm_swiglu(float *gate, const float *up, long n);

/// The variant in use: "avx512f", "avx2" or "scalar".
const char *dllm_vector_math_variant(void);

/// Switches to the named variant if this CPU can run it (tests compare the variants; all give the
/// same bits, so a switch while other threads run kernels changes no result). Returns 1 if switched.
int dllm_vector_math_use(const char *name);

#endif
