// Single-precision GEMM: C = alpha * op(A) * op(B) + beta * C, row-major.
#pragma once

#include <cstdint>

namespace tg {

// op(A) is M x K (A is K x M when trans_a), op(B) is K x N (B is N x K when trans_b).
// lda, ldb, ldc are row strides in elements. When beta is 0, C is written without being read.
void sgemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
           const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
           int64_t ldc);

}  // namespace tg
