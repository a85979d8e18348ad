// The per-ISA loops of max pooling (isa/pool.inc fills them): one output row of the 2x2,
// stride-2 windows that the MNIST CNNs use, forward and backward, in vectors.
#pragma once

#include <cstdint>

namespace tg {

struct PoolLoops {
  // y[j], idx[j] (idx may be null) = the max over r0[2j], r0[2j + 1], r1[2j], r1[2j + 1] and its
  // index (i0 + 2j, + 1, + w, + w + 1: r0[0] is element i0 of a plane w wide) for j < wo, with
  // PyTorch's rules: the first max wins a tie, the last NaN beats everything.
  void (*max2x2_row)(const float* r0, const float* r1, int64_t wo, int32_t i0, int32_t w,
                     float* y, int32_t* idx);
  // r0[2j .. 2j + 1], r1[2j .. 2j + 1] = g[j] at the index idx[j] points to, 0 elsewhere, for
  // j < wo. Returns false if some index lies outside its own window (then nothing is promised).
  bool (*max2x2_backward_row)(const float* g, const int32_t* idx, int64_t wo, int32_t i0,
                              int32_t w, float* r0, float* r1);
};

}  // namespace tg
