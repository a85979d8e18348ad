#include "unary.h"

#include "chunks.h"

namespace tg {
namespace {

// Elements per task: 64 KiB of input, so that even a cheap op outweighs the task's scheduling
// cost, and a 1e6-element op already spreads over the pool.
constexpr int64_t kGrain = 1 << 14;

}  // namespace

void unary_f32(UnaryOp op, const float* x, float* out, int64_t n, double p0, double p1) {
  const UnaryLoopF32 loop = kernels().unary_f32[static_cast<int>(op)];
  for_chunks(n, kGrain, [&](int64_t begin, int64_t end) {
    loop(end - begin, x + begin, out + begin, p0, p1);
  });
}

void unary_backward_f32(UnaryBackwardOp op, const float* grad, const float* saved, float* out,
                        int64_t n, double p0, double p1) {
  const UnaryBackwardLoopF32 loop = kernels().unary_backward_f32[static_cast<int>(op)];
  for_chunks(n, kGrain, [&](int64_t begin, int64_t end) {
    loop(end - begin, grad + begin, saved + begin, out + begin, p0, p1);
  });
}

}  // namespace tg
