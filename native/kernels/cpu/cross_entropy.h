// Cross entropy from logits (log-softmax + negative log likelihood in one pass) and NLL from
// log-probabilities, with PyTorch's options, fused with the gradient w.r.t. the input.
//
//   input [N, C, inner] (logits, or log-probabilities for nll_loss), target [N, inner] int32
//   per sample, with lp = log_softmax(input) over C, w the class weights (1 when none) and
//   e the label smoothing:
//     loss_s = (1 - e) * w[t] * -lp[t] + (e / C) * sum_c w[c] * -lp[c],   0 when t == ignore
//   reduction: none (one loss per sample), sum, or mean = sum / (sum of w[t] over the samples
//   not ignored), as torch.nn.functional.cross_entropy in PyTorch 1.13.
//   grad (optional) = d loss / d input, where loss is the reduced loss (for `none`, each
//   sample's own loss): backward is one multiply by the upstream gradient, broadcast over C.
//     grad[c] = scale * ((1 - e) * w[t] * (p[c] - [c == t]) + (e / C) * sum_c' w[c'] * (p[c] - [c == c']))
//   with p = exp(lp) and scale = 1 / (the mean's divisor) for mean, else 1; 0 for ignored samples.
#pragma once

#include <cstdint>

#include "kernel_table.h"

namespace tg {

struct LossArgs {
  int64_t N = 0, C = 0, inner = 1;
  const float* weight = nullptr;  // [C], or null
  int32_t ignore_index = -100;
  double label_smoothing = 0.0;  // in [0, 1]; 0 for nll_loss
  LossReduction reduction = LossReduction::kMean;
  bool log_probs = false;  // input holds log-probabilities (nll_loss) rather than logits
};

// The caller has checked every target: in [0, C) or equal to ignore_index.
// loss: N * inner values for kNone, else 1. grad: null, or [N, C, inner], disjoint from input.
void cross_entropy_f32(const LossArgs& a, const float* input, const int32_t* target, float* loss,
                       float* grad);

}  // namespace tg
