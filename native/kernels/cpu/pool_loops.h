// The per-ISA loop of max pooling (isa/pool.inc fills it): one output row of the 2x2, stride-2
// windows that the MNIST CNNs use, in vectors. The backward is a scatter (max_pool.cc).
#pragma once

#include <cstdint>

namespace tg {

struct PoolLoops {
  // y[j], idx[j] (idx may be null) = the max over r0[2j], r0[2j + 1], r1[2j], r1[2j + 1] and its
  // index (i0 + 2j, + 1, + w, + w + 1: r0[0] is element i0 of a plane w wide) for j < wo, with
  // PyTorch's rules: the first max wins a tie, the last NaN beats everything.
  void (*max2x2_row)(const float* r0, const float* r1, int64_t wo, int32_t i0, int32_t w,
                     float* y, int32_t* idx);
};

}  // namespace tg
