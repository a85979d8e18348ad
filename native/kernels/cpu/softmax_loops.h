// The per-ISA inner loops of softmax and cross entropy (isa/softmax.inc fills them).
#pragma once

#include <cstdint>

namespace tg {

// Softmax over D values: `rows` for R rows of contiguous values, one after another; `cols` for
// w <= kSoftmaxTile columns, value d of column j at x[d * xs + j] and y[d * ys + j]. log selects
// log-softmax. y may be x.
constexpr int64_t kSoftmaxTile = 256;
struct SoftmaxLoops {
  void (*rows)(const float* x, float* y, int64_t R, int64_t D, bool log);
  void (*cols)(const float* x, int64_t xs, float* y, int64_t ys, int64_t D, int64_t w, bool log);
  // dx from the upstream grad g and the forward output y; dx may be g or y.
  void (*backward_row)(const float* g, const float* y, float* dx, int64_t D, bool log);
  void (*backward_cols)(const float* g, const float* y, float* dx, int64_t D, int64_t stride,
                        int64_t w, bool log);
};

// Per-sample pieces of cross entropy over C classes at stride cs. w (class weights) may be null.
struct LossLoops {
  // sum_c w[c] * lp[c * cs], in double.
  double (*weighted_sum)(const float* lp, const float* w, int64_t C, int64_t cs);
  // g[c * cs] = p[c * cs] * a - b * w[c] (the probabilities p = e^lp, taken beforehand for a
  // whole block of samples at once); g may be p.
  void (*prob_grad)(const float* p, const float* w, float* g, int64_t C, int64_t cs, float a,
                    float b);
};

}  // namespace tg
