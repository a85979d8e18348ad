// The per-ISA loops of batch normalisation's per-channel sums (isa/batch_norm.inc fills them), in
// double. Each keeps kBatchNormLanes partial sums per sum, adds them up in lane order at the end,
// and adds that to *s1 and *s2: the same order under every kernel set.
#pragma once

#include <cstdint>

namespace tg {

constexpr int kBatchNormLanes = 8;

struct BatchNormLoops {
  // *s1 += the sum of x[i] - k, *s2 += the sum of (x[i] - k)^2, over i < n.
  void (*shifted_sums)(const float* x, int64_t n, double k, double* s1, double* s2);
  // *s1 += the sum of dy[i], *s2 += the sum of dy[i] (x[i] - m), over i < n.
  void (*grad_sums)(const float* dy, const float* x, int64_t n, double m, double* s1, double* s2);
};

}  // namespace tg
