// Fused optimizer steps, in place on one parameter and its state, following the algorithms of
// torch.optim (the single-tensor code paths of PyTorch 1.13, which the 2.x docs describe too).
// The gradient is only read. Elementwise, so results do not depend on the thread count.
// Hyperparameters arrive as doubles; per-step scalars (bias corrections, decayed learning
// rates) are computed in double, as PyTorch computes them in Python, then used in float32.
#pragma once

#include <cstdint>

namespace tg {

struct SgdOptions {
  double lr = 0, momentum = 0, dampening = 0, weight_decay = 0;
  bool nesterov = false, maximize = false;
  bool first_step = false;  // the momentum buffer starts as the (decayed) gradient
};
// buf: the momentum buffer, used when momentum != 0.
void sgd_step(int64_t n, float* param, const float* grad, float* buf, const SgdOptions& o);

struct AdamOptions {
  double lr = 0, beta1 = 0, beta2 = 0, eps = 0, weight_decay = 0;
  int64_t step = 1;  // this step's number, counting from 1
  bool amsgrad = false, maximize = false;
  bool decoupled = false;  // AdamW: decay the parameter, not the gradient
};
// vmax: the running max of exp_avg_sq, used when amsgrad.
void adam_step(int64_t n, float* param, const float* grad, float* exp_avg, float* exp_avg_sq,
               float* vmax, const AdamOptions& o);

struct RmspropOptions {
  double lr = 0, alpha = 0, eps = 0, weight_decay = 0, momentum = 0;
  bool centered = false, maximize = false;
};
// grad_avg used when centered; buf when momentum > 0.
void rmsprop_step(int64_t n, float* param, const float* grad, float* square_avg, float* grad_avg,
                  float* buf, const RmspropOptions& o);

struct AdagradOptions {
  double lr = 0, lr_decay = 0, weight_decay = 0, eps = 0;
  int64_t step = 1;  // this step's number, counting from 1
  bool maximize = false;
};
// state_sum starts at initial_accumulator_value (the caller fills it).
void adagrad_step(int64_t n, float* param, const float* grad, float* state_sum,
                  const AdagradOptions& o);

}  // namespace tg
