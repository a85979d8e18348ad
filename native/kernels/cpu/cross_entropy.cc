#include "cross_entropy.h"

#include <vector>

#include "../../runtime/thread_pool.h"

namespace tg {
namespace {

constexpr int64_t kGrain = 1 << 15;  // input elements per task, about

struct Coeffs {
  double scale;   // of the gradient: 1 / the mean's divisor, or 1
  double keep;    // 1 - label_smoothing
  double spread;  // label_smoothing / C
  double sum_w;   // sum of the class weights (C without weights)
};

// One sample's loss from its C log-probabilities lp (stride cs).
double sample_loss(const LossArgs& a, const Coeffs& k, int32_t t, const float* lp, int64_t cs) {
  if (t == a.ignore_index) return 0.0;
  const double wt = a.weight ? a.weight[t] : 1.0;
  const double nll = -static_cast<double>(lp[t * cs]);
  const double smooth = k.spread != 0.0 ? -kernels().loss.weighted_sum(lp, a.weight, a.C, cs) : 0.0;
  return k.keep * wt * nll + k.spread * smooth;
}

// One sample's gradient into g (stride cs) from its probabilities p = e^lp (unread for nll_loss,
// whose input is log-probabilities). g may be p.
void sample_grad(const LossArgs& a, const Coeffs& k, int32_t t, const float* p, int64_t cs,
                 float* g) {
  if (t == a.ignore_index || a.log_probs) {
    for (int64_t c = 0; c < a.C; ++c) g[c * cs] = 0.0f;
    if (t == a.ignore_index) return;
  }
  const double wt = a.weight ? a.weight[t] : 1.0;
  if (!a.log_probs) {
    const double p_coef = k.scale * (k.keep * wt + k.spread * k.sum_w);
    kernels().loss.prob_grad(p, a.weight, g, a.C, cs, static_cast<float>(p_coef),
                             static_cast<float>(k.scale * k.spread));
  }
  g[t * cs] -= static_cast<float>(k.scale * k.keep * wt);
}

// e^x in place over n contiguous values, with the kernel set's exp loop on this thread.
void exp_in_place(float* x, int64_t n) {
  kernels().unary_f32[static_cast<int>(UnaryOp::kExp)](n, x, x, 0.0, 0.0);
}

// The sum of term(s) over s < S in a fixed order whatever the thread count: chunks of
// kSumChunk samples summed in order on the pool, then the chunks' sums in order. One running sum
// over all samples had the calling thread add them one after another while the others waited.
constexpr int64_t kSumChunk = 8192;
template <typename Term>
double ordered_sum(int64_t S, Term term) {
  const int64_t chunks = (S + kSumChunk - 1) / kSumChunk;
  std::vector<double> part(chunks);
  parallel_for(chunks, [&](int64_t c) {
    const int64_t s1 = (c + 1) * kSumChunk < S ? (c + 1) * kSumChunk : S;
    double sum = 0.0;
    for (int64_t s = c * kSumChunk; s < s1; ++s) sum += term(s);
    part[c] = sum;
  });
  double total = 0.0;
  for (int64_t c = 0; c < chunks; ++c) total += part[c];
  return total;
}

// The mean's divisor: the total weight of the targets that are not ignored.
double target_weight(const LossArgs& a, const int32_t* target) {
  return ordered_sum(a.N * a.inner, [&](int64_t s) {
    return target[s] == a.ignore_index ? 0.0 : a.weight ? static_cast<double>(a.weight[target[s]]) : 1.0;
  });
}

// For every sample s, in parallel blocks sized from the problem alone: loss(s, lp, cs) with its
// log-probabilities (the log-softmax of its logits, written to grad or to a scratch buffer), and
// then, when grad is given, grad_of(s, p, cs, g) with its probabilities p = e^lp, taken in place
// in grad for the whole block at once (a 10-class row alone leaves exp to scalar code).
template <typename Loss, typename Grad>
void for_each_sample(const LossArgs& a, const float* input, float* grad, Loss loss, Grad grad_of) {
  const SoftmaxLoops& sm = kernels().softmax;
  const bool scratch_needed = !grad && !a.log_probs;
  const bool take_exp = grad && !a.log_probs;
  const int64_t C = a.C, inner = a.inner;
  if (inner == 1) {
    const int64_t per = kGrain / C > 1 ? kGrain / C : 1;
    parallel_for((a.N + per - 1) / per, [&](int64_t b) {
      const int64_t n0 = b * per, n1 = (b + 1) * per < a.N ? (b + 1) * per : a.N;
      // The block's log-softmax in one call: short rows run a block at a time.
      std::vector<float> scratch(scratch_needed ? (n1 - n0) * C : 0);
      const float* lps = input + n0 * C;
      if (!a.log_probs) {
        float* dst = grad ? grad + n0 * C : scratch.data();
        sm.rows(lps, dst, n1 - n0, C, true);
        lps = dst;
      }
      for (int64_t n = n0; n < n1; ++n) loss(n, lps + (n - n0) * C, 1);
      if (!grad) return;
      if (take_exp) exp_in_place(grad + n0 * C, (n1 - n0) * C);
      for (int64_t n = n0; n < n1; ++n) grad_of(n, grad + n * C, 1, grad + n * C);
    });
    return;
  }
  const int64_t tiles = (inner + kSoftmaxTile - 1) / kSoftmaxTile;
  const int64_t units = a.N * tiles;
  const int64_t per = kGrain / (C * kSoftmaxTile) > 1 ? kGrain / (C * kSoftmaxTile) : 1;
  parallel_for((units + per - 1) / per, [&](int64_t b) {
    std::vector<float> scratch(scratch_needed ? C * kSoftmaxTile : 0);
    const int64_t u1 = (b + 1) * per < units ? (b + 1) * per : units;
    for (int64_t u = b * per; u < u1; ++u) {
      const int64_t n = u / tiles, j0 = u % tiles * kSoftmaxTile;
      const int64_t w = inner - j0 < kSoftmaxTile ? inner - j0 : kSoftmaxTile;
      const int64_t base = n * C * inner + j0;
      float* g = grad ? grad + base : nullptr;
      const float* lp = input + base;
      int64_t cs = inner;
      if (!a.log_probs && g) {
        sm.cols(lp, inner, g, inner, C, w, true);
        lp = g;
      } else if (!a.log_probs) {
        sm.cols(lp, inner, scratch.data(), w, C, w, true);
        lp = scratch.data();
        cs = w;
      }
      for (int64_t j = 0; j < w; ++j) loss(n * inner + j0 + j, lp + j, cs);
      if (!g) continue;
      if (take_exp) {
        for (int64_t c = 0; c < C; ++c) exp_in_place(g + c * inner, w);
      }
      for (int64_t j = 0; j < w; ++j) grad_of(n * inner + j0 + j, g + j, inner, g + j);
    }
  });
}

}  // namespace

void cross_entropy_f32(const LossArgs& a, const float* input, const int32_t* target, float* loss,
                       float* grad) {
  const bool mean = a.reduction == LossReduction::kMean;
  const bool none = a.reduction == LossReduction::kNone;
  const double divisor = mean ? target_weight(a, target) : 1.0;
  Coeffs k{1.0 / divisor, 1.0 - a.label_smoothing, a.label_smoothing / static_cast<double>(a.C),
           static_cast<double>(a.C)};
  if (a.weight) {
    k.sum_w = 0.0;
    for (int64_t c = 0; c < a.C; ++c) k.sum_w += a.weight[c];
  }
  const int64_t S = a.N * a.inner;
  std::vector<double> per_sample(none ? 0 : S);
  if (a.C > 0) {
    const auto loss_of = [&](int64_t s, const float* lp, int64_t cs) {
      const double v = sample_loss(a, k, target[s], lp, cs);
      if (none) {
        loss[s] = static_cast<float>(v);
      } else {
        per_sample[s] = v;
      }
    };
    const auto grad_of = [&](int64_t s, const float* p, int64_t cs, float* g) {
      sample_grad(a, k, target[s], p, cs, g);
    };
    for_each_sample(a, input, grad, loss_of, grad_of);
  }
  if (none) return;
  const double total = ordered_sum(S, [&](int64_t s) { return per_sample[s]; });
  loss[0] = static_cast<float>(total / divisor);
}

}  // namespace tg
