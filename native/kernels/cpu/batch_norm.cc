#include "batch_norm.h"

#include <cmath>
#include <limits>
#include <vector>

#include "../../runtime/thread_pool.h"
#include "chunks.h"
#include "kernel_table.h"

namespace tg {
namespace {

constexpr int64_t kGrain = 1 << 15;  // elements per task, about

int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }

// Two per-channel sums over all of x's planes: plane(n, c, s1, s2) adds plane (n, c)'s share.
// Tasks take a block of rows and a block of channels, each writing its own partial sums; the
// partials are then added in row-block order, so the result depends on the shape alone.
template <typename Plane>
void channel_sums(const BatchNormDims& d, Plane plane, double* s1, double* s2) {
  for (int64_t c = 0; c < d.C; ++c) s1[c] = s2[c] = 0.0;
  if (d.N == 0 || d.C == 0 || d.S == 0) return;
  const int64_t chans = d.S >= kGrain ? 1 : min64(d.C, max64(1, kGrain / d.S));
  const int64_t rows = min64(d.N, max64(1, kGrain / (chans * d.S)));
  const int64_t row_blocks = (d.N + rows - 1) / rows, chan_blocks = (d.C + chans - 1) / chans;
  std::vector<double> part(static_cast<size_t>(row_blocks * 2 * d.C), 0.0);
  parallel_for(row_blocks * chan_blocks, [&](int64_t u) {
    const int64_t rb = u / chan_blocks, c0 = u % chan_blocks * chans;
    const int64_t c1 = min64(d.C, c0 + chans), n1 = min64(d.N, (rb + 1) * rows);
    double* p1 = &part[static_cast<size_t>(rb * 2 * d.C)];
    double* p2 = p1 + d.C;
    for (int64_t n = rb * rows; n < n1; ++n) {
      for (int64_t c = c0; c < c1; ++c) plane(n, c, p1[c], p2[c]);
    }
  });
  for (int64_t rb = 0; rb < row_blocks; ++rb) {
    const double* p1 = &part[static_cast<size_t>(rb * 2 * d.C)];
    for (int64_t c = 0; c < d.C; ++c) {
      s1[c] += p1[c];
      s2[c] += p1[d.C + c];
    }
  }
}

// Runs body(c, plane_offset) for every plane (n, c), in tasks of about kGrain elements.
template <typename Body>
void for_planes(const BatchNormDims& d, Body body) {
  if (d.S == 0) return;
  for_chunks(d.N * d.C, max64(1, kGrain / d.S), [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) body(p % d.C, p * d.S);
  });
}

}  // namespace

void batch_norm_stats_f32(const BatchNormDims& d, const float* x, double* mean, double* var) {
  const int64_t M = d.N * d.S;
  // Sums of x - (the channel's first value) keep the variance exact enough when the mean is
  // far larger than the spread (x + 1000), where sum(x^2) - M mean^2 would cancel.
  std::vector<double> shift(static_cast<size_t>(d.C), 0.0);
  if (M > 0) {
    for (int64_t c = 0; c < d.C; ++c) shift[static_cast<size_t>(c)] = x[c * d.S];
  }
  const BatchNormLoops& loops = kernels().batch_norm;
  channel_sums(
      d,
      [&](int64_t n, int64_t c, double& s1, double& s2) {
        loops.shifted_sums(x + (n * d.C + c) * d.S, d.S, shift[static_cast<size_t>(c)], &s1, &s2);
      },
      mean, var);
  const double inv_m = M > 0 ? 1.0 / static_cast<double>(M) : std::numeric_limits<double>::quiet_NaN();
  for (int64_t c = 0; c < d.C; ++c) {
    const double dm = mean[c] * inv_m;
    const double v = var[c] * inv_m - dm * dm;
    mean[c] = shift[static_cast<size_t>(c)] + dm;
    var[c] = std::isnan(v) || v > 0.0 ? v : 0.0;  // rounding may leave a tiny negative
  }
}

void batch_norm_scale_shift(int64_t C, const double* mean, const double* var, double eps,
                            const float* weight, const float* bias, BatchNormAffine& out,
                            double* invstd) {
  for (int64_t c = 0; c < C; ++c) {
    const double is = 1.0 / std::sqrt(var[c] + eps);
    const double sc = (weight ? static_cast<double>(weight[c]) : 1.0) * is;
    const float center = static_cast<float>(mean[c]);
    out.center[c] = center;
    out.scale[c] = static_cast<float>(sc);
    out.shift[c] = static_cast<float>((bias ? static_cast<double>(bias[c]) : 0.0) -
                                      (mean[c] - static_cast<double>(center)) * sc);
    if (invstd) invstd[c] = is;
  }
}

void batch_norm_apply_f32(const BatchNormDims& d, const float* x, const BatchNormAffine& f,
                          float* y) {
  for_planes(d, [&](int64_t c, int64_t at) {
    const float m = f.center[c], sc = f.scale[c], sh = f.shift[c];
    const float* xp = x + at;
    float* yp = y + at;
    for (int64_t s = 0; s < d.S; ++s) yp[s] = (xp[s] - m) * sc + sh;
  });
}

void batch_norm_backward_f32(const BatchNormDims& d, const BatchNormGrad& g) {
  const size_t C = static_cast<size_t>(d.C);
  // sum(dy) and sum(dy * (x - mean)) per channel; xhat = (x - mean) * invstd.
  std::vector<double> sum_dy(C), sum_dy_xc(C);
  const bool need_sums = g.dweight || g.dbias || (g.dx && g.batch_stats);
  if (need_sums) {
    const BatchNormLoops& loops = kernels().batch_norm;
    channel_sums(
        d,
        [&](int64_t n, int64_t c, double& s1, double& s2) {
          const int64_t at = (n * d.C + c) * d.S;
          loops.grad_sums(g.dy + at, g.x + at, d.S, g.mean[c], &s1, &s2);
        },
        sum_dy.data(), sum_dy_xc.data());
  }
  for (size_t c = 0; c < C; ++c) {
    if (g.dweight) g.dweight[c] = static_cast<float>(sum_dy_xc[c] * g.invstd[c]);
    if (g.dbias) g.dbias[c] = static_cast<float>(sum_dy[c]);
  }
  if (!g.dx) return;
  // dx = a dy + b (x - m) + k per channel, m the mean rounded to float: x - m is exact enough
  // when the mean is large, where b x + k would cancel.
  std::vector<float> a(C), b(C), k(C), m(C);
  const double inv_m = 1.0 / static_cast<double>(d.N * d.S > 0 ? d.N * d.S : 1);
  for (size_t c = 0; c < C; ++c) {
    const double is = g.invstd[c];
    const double ac = (g.weight ? static_cast<double>(g.weight[c]) : 1.0) * is;
    m[c] = static_cast<float>(g.mean[c]);
    double bc = 0.0, kc = 0.0;
    if (g.batch_stats) {
      bc = -ac * is * is * sum_dy_xc[c] * inv_m;
      kc = -ac * sum_dy[c] * inv_m - bc * (g.mean[c] - static_cast<double>(m[c]));
    }
    a[c] = static_cast<float>(ac);
    b[c] = static_cast<float>(bc);
    k[c] = static_cast<float>(kc);
  }
  for_planes(d, [&](int64_t c, int64_t at) {
    const size_t i = static_cast<size_t>(c);
    const float ac = a[i], bc = b[i], kc = k[i], mc = m[i];
    const float *dy = g.dy + at, *x = g.x + at;
    float* dx = g.dx + at;
    for (int64_t s = 0; s < d.S; ++s) dx[s] = ac * dy[s] + bc * (x[s] - mc) + kc;
  });
}

}  // namespace tg
