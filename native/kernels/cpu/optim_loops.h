// The per-ISA loops of the fused optimizer steps (isa/optim.inc fills them; optim.cc
// computes their coefficients).
#pragma once

#include <cstdint>

namespace tg {

// Each loop updates n elements of one parameter and its state.
struct SgdCoeffs {
  float lr, momentum, one_minus_dampening, weight_decay;
  bool maximize, nesterov, first_step, use_momentum;
};
struct AdamCoeffs {
  float beta1, one_minus_beta1, beta2, one_minus_beta2, eps, weight_decay;
  float decay_factor;     // AdamW: 1 - lr * weight_decay, else 1
  float neg_step_size;    // -lr / (1 - beta1^step)
  float bias_correction2_sqrt;
  bool maximize, amsgrad, l2;  // l2: Adam's weight decay added to the gradient
};
struct RmspropCoeffs {
  float lr, alpha, one_minus_alpha, eps, weight_decay, momentum;
  bool maximize, centered, use_momentum;
};
struct AdagradCoeffs {
  float neg_clr, eps, weight_decay;  // neg_clr: -lr / (1 + (step - 1) * lr_decay)
  bool maximize;
};
struct OptimLoops {
  void (*sgd)(int64_t n, float* p, const float* g, float* buf, const SgdCoeffs& c);
  void (*adam)(int64_t n, float* p, const float* g, float* m, float* v, float* vmax,
               const AdamCoeffs& c);
  void (*rmsprop)(int64_t n, float* p, const float* g, float* sq, float* gavg, float* buf,
                  const RmspropCoeffs& c);
  void (*adagrad)(int64_t n, float* p, const float* g, float* sum, const AdagradCoeffs& c);
};

}  // namespace tg
