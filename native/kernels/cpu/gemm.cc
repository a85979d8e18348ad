#include "gemm.h"

#include "../../runtime/thread_pool.h"
#include "kernel_table.h"

namespace tg {
namespace {

// Multiply-adds per task below which splitting rows costs more than it saves.
constexpr int64_t kTaskFlops = 1 << 16;

}  // namespace

void sgemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
           const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
           int64_t ldc) {
  if (M == 0 || N == 0) return;
  const auto rows = kernels().gemm_rows_f32;
  const int64_t per_row = N * (K > 0 ? K : 1);
  int64_t rows_per_task = kTaskFlops / per_row;
  if (rows_per_task < 1) rows_per_task = 1;
  const int64_t tasks = (M + rows_per_task - 1) / rows_per_task;
  parallel_for(tasks, [&](int64_t t) {
    const int64_t m0 = t * rows_per_task;
    const int64_t m1 = m0 + rows_per_task < M ? m0 + rows_per_task : M;
    rows(trans_a, trans_b, m0, m1, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  });
}

}  // namespace tg
