// Batch normalisation over the channels of x viewed as [N, C, S] (S: the product of the dims
// after the channel dim, 1 for [N, C]), in a few passes over memory:
//   stats:    per-channel mean and biased variance (one pass, sums in double)
//   apply:    y = (x - center[c]) * scale[c] + shift[c]   (one read, one write)
//   backward: per-channel sum(dy) and sum(dy * xhat) (batch statistics only), then
//             dx = weight * invstd * (dy - sum_dy / M - xhat * sum_dy_xhat / M)   (M = N * S)
//             or, with fixed (running) statistics, dx = weight * invstd * dy;
//             dweight = sum(dy * xhat), dbias = sum(dy).
// Channel sums are added in an order fixed by the shape, so results do not depend on threads.
#pragma once

#include <cstdint>

namespace tg {

struct BatchNormDims {
  int64_t N = 0, C = 0, S = 1;
};

// mean[c] and var[c] (biased) of the N * S values of channel c; NaN when there are none.
void batch_norm_stats_f32(const BatchNormDims& d, const float* x, double* mean, double* var);

// The per-channel affine map of the forward pass, each [C]. center is the mean rounded to float:
// x - center loses nothing when the mean is large (x + 1000), where x * scale + shift would.
struct BatchNormAffine {
  float* center;
  float* scale;
  float* shift;
};

// scale[c] = weight[c] / sqrt(var[c] + eps), shift[c] = bias[c] - (mean[c] - center[c]) * scale[c];
// weight and bias may be null (1 and 0). invstd (may be null) receives 1 / sqrt(var[c] + eps).
void batch_norm_scale_shift(int64_t C, const double* mean, const double* var, double eps,
                            const float* weight, const float* bias, BatchNormAffine& out,
                            double* invstd);

// y[n, c, s] = (x[n, c, s] - center[c]) * scale[c] + shift[c]; y may be x.
void batch_norm_apply_f32(const BatchNormDims& d, const float* x, const BatchNormAffine& f,
                          float* y);

struct BatchNormGrad {
  const float* dy = nullptr;      // [N, C, S]
  const float* x = nullptr;       // [N, C, S]
  const double* mean = nullptr;   // [C]: the statistics the forward pass normalised with
  const double* invstd = nullptr; // [C]
  const float* weight = nullptr;  // [C], or null for 1
  bool batch_stats = true;        // the statistics came from this batch (training mode)
  float* dx = nullptr;            // each output may be null when not needed; none may overlap
  float* dweight = nullptr;       // an input
  float* dbias = nullptr;
};

void batch_norm_backward_f32(const BatchNormDims& d, const BatchNormGrad& g);

}  // namespace tg
