#include "matmul.h"

#include "broadcast.h"
#include "gemm.h"

namespace tg {
namespace {

Shape batch_of(const Shape& s) {
  Shape b;
  b.ndim = s.ndim - 2;
  for (int d = 0; d < b.ndim; ++d) b.dim[d] = s.dim[d];
  return b;
}

}  // namespace

void matmul_f32(const float* a, const Shape& a_shape, bool trans_a, const float* b,
                const Shape& b_shape, bool trans_b, float* out, const Shape& out_shape) {
  const int ra = a_shape.ndim, rb = b_shape.ndim, ro = out_shape.ndim;
  const int64_t M = out_shape.dim[ro - 2], N = out_shape.dim[ro - 1];
  const int64_t K = trans_a ? a_shape.dim[ra - 2] : a_shape.dim[ra - 1];
  const int64_t lda = a_shape.dim[ra - 1], ldb = b_shape.dim[rb - 1];
  const BroadcastPlan<2> plan = plan_broadcast(batch_of(a_shape), batch_of(b_shape), batch_of(out_shape));
  if (plan.numel == 0 || M == 0 || N == 0) return;
  const int64_t a_mat = M * K, b_mat = K * N, o_mat = M * N;
  // One matrix product per batch entry; each sgemm spreads its own rows over the pool.
  for_each_run(plan, 0, plan.numel, [&](int64_t oa, int64_t ob, int64_t o, int64_t n) {
    const int last = plan.ndim - 1;
    for (int64_t i = 0; i < n; ++i) {
      const float* ai = a + (oa + i * plan.stride[0][last]) * a_mat;
      const float* bi = b + (ob + i * plan.stride[1][last]) * b_mat;
      sgemm(trans_a, trans_b, M, N, K, 1.0f, ai, lda, bi, ldb, 0.0f, out + (o + i) * o_mat, N);
    }
  });
}

}  // namespace tg
