// softmax and log-softmax over the middle dim of a contiguous [outer, D, inner] tensor (any dim
// of a row-major tensor, after merging the dims before and after it), and their backward
// passes. Numerically stable (the max is subtracted first). Each output row depends only on its
// own input row, so results are the same for any thread count.
#pragma once

#include <cstdint>

namespace tg {

// y = softmax(x) (or log_softmax with log) along D. y may be x.
void softmax_f32(const float* x, float* y, int64_t outer, int64_t D, int64_t inner, bool log);

// From the upstream gradient g and the forward output y:
//   softmax:     dx = y * (g - sum_D(g * y))
//   log-softmax: dx = g - exp(y) * sum_D(g)
// dx may be g or y.
void softmax_backward_f32(const float* g, const float* y, float* dx, int64_t outer, int64_t D,
                          int64_t inner, bool log);

}  // namespace tg
