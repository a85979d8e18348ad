#include "optim.h"

#include <cmath>

#include "../../runtime/thread_pool.h"
#include "kernel_table.h"

namespace tg {
namespace {

constexpr int64_t kGrain = 1 << 15;  // elements per task

// body(offset, count) over [0, n) in fixed blocks.
template <typename Body>
void for_blocks(int64_t n, Body body) {
  parallel_for((n + kGrain - 1) / kGrain, [&](int64_t b) {
    const int64_t begin = b * kGrain;
    body(begin, begin + kGrain < n ? kGrain : n - begin);
  });
}

// Offset a buffer that may be absent.
inline float* at(float* p, int64_t i) { return p ? p + i : nullptr; }

}  // namespace

void sgd_step(int64_t n, float* param, const float* grad, float* buf, const SgdOptions& o) {
  const SgdCoeffs c{static_cast<float>(o.lr),
                    static_cast<float>(o.momentum),
                    static_cast<float>(1.0 - o.dampening),
                    static_cast<float>(o.weight_decay),
                    o.maximize,
                    o.nesterov,
                    o.first_step,
                    o.momentum != 0.0};
  const auto loop = kernels().optim.sgd;
  for_blocks(n, [&](int64_t i, int64_t m) { loop(m, param + i, grad + i, at(buf, i), c); });
}

void adam_step(int64_t n, float* param, const float* grad, float* exp_avg, float* exp_avg_sq,
               float* vmax, const AdamOptions& o) {
  const double step = static_cast<double>(o.step);
  const double bias_correction1 = 1.0 - std::pow(o.beta1, step);
  const double bias_correction2 = 1.0 - std::pow(o.beta2, step);
  AdamCoeffs c{};
  c.beta1 = static_cast<float>(o.beta1);
  c.one_minus_beta1 = static_cast<float>(1.0 - o.beta1);
  c.beta2 = static_cast<float>(o.beta2);
  c.one_minus_beta2 = static_cast<float>(1.0 - o.beta2);
  c.eps = static_cast<float>(o.eps);
  c.weight_decay = static_cast<float>(o.weight_decay);
  c.decay_factor = o.decoupled ? static_cast<float>(1.0 - o.lr * o.weight_decay) : 1.0f;
  c.neg_step_size = static_cast<float>(-(o.lr / bias_correction1));
  c.bias_correction2_sqrt = static_cast<float>(std::sqrt(bias_correction2));
  c.maximize = o.maximize;
  c.amsgrad = o.amsgrad;
  c.l2 = !o.decoupled && o.weight_decay != 0.0;
  const auto loop = kernels().optim.adam;
  for_blocks(n, [&](int64_t i, int64_t m) {
    loop(m, param + i, grad + i, exp_avg + i, exp_avg_sq + i, at(vmax, i), c);
  });
}

void rmsprop_step(int64_t n, float* param, const float* grad, float* square_avg, float* grad_avg,
                  float* buf, const RmspropOptions& o) {
  const RmspropCoeffs c{static_cast<float>(o.lr),
                        static_cast<float>(o.alpha),
                        static_cast<float>(1.0 - o.alpha),
                        static_cast<float>(o.eps),
                        static_cast<float>(o.weight_decay),
                        static_cast<float>(o.momentum),
                        o.maximize,
                        o.centered,
                        o.momentum > 0.0};
  const auto loop = kernels().optim.rmsprop;
  for_blocks(n, [&](int64_t i, int64_t m) {
    loop(m, param + i, grad + i, square_avg + i, at(grad_avg, i), at(buf, i), c);
  });
}

void adagrad_step(int64_t n, float* param, const float* grad, float* state_sum,
                  const AdagradOptions& o) {
  const double clr = o.lr / (1.0 + static_cast<double>(o.step - 1) * o.lr_decay);
  const AdagradCoeffs c{static_cast<float>(-clr), static_cast<float>(o.eps),
                        static_cast<float>(o.weight_decay), o.maximize};
  const auto loop = kernels().optim.adagrad;
  for_blocks(n, [&](int64_t i, int64_t m) { loop(m, param + i, grad + i, state_sum + i, c); });
}

}  // namespace tg
