#include "matmul.h"

#include "../../runtime/thread_pool.h"
#include "broadcast.h"
#include "gemm.h"

namespace tg {
namespace {

// Products smaller than this run one per task, the batch spread over the pool; larger ones run
// one after another, each spread over the pool by sgemm.
constexpr int64_t kSmallProductFlops = int64_t{1} << 20;

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
  // One product: no batch to plan (a tenth of a tiny product's time through Node).
  if (ra == 2 && rb == 2) return sgemm(trans_a, trans_b, M, N, K, 1.0f, a, lda, b, ldb, 0.0f, out, N);
  const BroadcastPlan<2> plan = plan_broadcast(batch_of(a_shape), batch_of(b_shape), batch_of(out_shape));
  if (plan.numel == 0 || M == 0 || N == 0) return;
  const int64_t a_mat = M * K, b_mat = K * N, o_mat = M * N;
  auto product = [&](int64_t oa, int64_t ob, int64_t o) {
    sgemm(trans_a, trans_b, M, N, K, 1.0f, a + oa * a_mat, lda, b + ob * b_mat, ldb, 0.0f,
          out + o * o_mat, N);
  };
  // Batch index -> matrix offsets of a and b, from the broadcast plan's strides.
  auto for_batch = [&](int64_t begin, int64_t end) {
    const int last = plan.ndim - 1;
    for_each_run(plan, begin, end, [&](int64_t oa, int64_t ob, int64_t o, int64_t n) {
      for (int64_t i = 0; i < n; ++i) product(oa + i * plan.stride[0][last], ob + i * plan.stride[1][last], o + i);
    });
  };
  if (plan.numel > 1 && M * N * K < kSmallProductFlops) {
    parallel_for(plan.numel, [&](int64_t t) { for_batch(t, t + 1); });
  } else {
    for_batch(0, plan.numel);
  }
}

}  // namespace tg
