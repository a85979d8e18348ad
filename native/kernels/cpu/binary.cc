#include "binary.h"

#include "broadcast.h"
#include "chunks.h"

namespace tg {
namespace {

// Elements per task: large enough that a task outweighs its scheduling cost.
constexpr int64_t kGrain = 1 << 15;

template <typename T, typename Loop>
void run_binary(Loop loop_for_inner, const T* a, const Shape& a_shape, const T* b,
                const Shape& b_shape, T* out, const Shape& out_shape) {
  const BroadcastPlan<2> plan = plan_broadcast(a_shape, b_shape, out_shape);
  const auto loop = loop_for_inner(inner_stride2(plan));
  for_chunks(plan.numel, kGrain, [&](int64_t begin, int64_t end) {
    for_each_run(plan, begin, end, [&](int64_t oa, int64_t ob, int64_t o, int64_t n) {
      loop(n, a + oa, b + ob, out + o);
    });
  });
}

}  // namespace

void binary_f32(BinaryOp op, const float* a, const Shape& a_shape, const float* b,
                const Shape& b_shape, float* out, const Shape& out_shape) {
  const auto& row = kernels().binary_f32[static_cast<int>(op)];
  run_binary([&row](Stride2 s) { return row[static_cast<int>(s)]; }, a, a_shape, b, b_shape, out,
             out_shape);
}

void binary_i32(BinaryOp op, const int32_t* a, const Shape& a_shape, const int32_t* b,
                const Shape& b_shape, int32_t* out, const Shape& out_shape) {
  const auto& row = kernels().binary_i32[static_cast<int>(op)];
  run_binary([&row](Stride2 s) { return row[static_cast<int>(s)]; }, a, a_shape, b, b_shape, out,
             out_shape);
}

bool broadcast_shapes(const Shape& a, const Shape& b, Shape* out) {
  const int n = a.ndim > b.ndim ? a.ndim : b.ndim;
  out->ndim = n;
  for (int d = 0; d < n; ++d) {
    const int da = d - (n - a.ndim), db = d - (n - b.ndim);
    const int64_t x = da >= 0 ? a.dim[da] : 1, y = db >= 0 ? b.dim[db] : 1;
    if (x != y && x != 1 && y != 1) return false;
    out->dim[d] = x == 1 ? y : x;
  }
  return true;
}

}  // namespace tg
