// Single-precision GEMM: C = alpha * op(A) * op(B) + beta * C, row-major, with an optional fused
// epilogue (bias, ReLU) that Linear and Conv2d use.
#pragma once

#include <cstdint>

namespace tg {

// Applied to each element of C after the product: + row_bias[i] + col_bias[j], then ReLU.
struct GemmEpilogue {
  const float* row_bias = nullptr;  // M values, or null
  const float* col_bias = nullptr;  // N values, or null
  bool relu = false;
};

// op(A) is M x K (A is stored K x M when trans_a), op(B) is K x N (B is stored N x K when
// trans_b). lda, ldb, ldc are row strides in elements. When beta is 0, C is written without
// being read. Results are bitwise the same for any thread count: the pool splits M and N only.
void sgemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
           const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
           int64_t ldc, const GemmEpilogue& epilogue = GemmEpilogue());

}  // namespace tg
