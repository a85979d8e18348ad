// Max pooling: PyTorch's CPU semantics (the first max on ties, the last NaN wins), with a
// branch-free path for the common 2x2 window of stride 2; the backward scatters.
#include <algorithm>
#include <limits>

#include "kernel_table.h"
#include "pool.h"
#include "pool_planes.h"

namespace tg {
namespace {

// Folds the candidate v at offset i into (m, mi) as PyTorch does: v wins when greater or NaN.
inline void take(float v, int32_t i, float* m, int32_t* mi) {
  const bool better = v > *m || v != v;
  *m = better ? v : *m;
  *mi = better ? i : *mi;
}

// 2x2 windows, stride 2, no padding or dilation: each output row reads two input rows.
void plane_2x2(const Pool2dShape& s, const float* x, float* y, int32_t* idx) {
  const PoolLoops& loops = kernels().pool;
  for (int64_t oh = 0; oh < s.ho; ++oh) {
    const float* r0 = x + 2 * oh * s.w;
    loops.max2x2_row(r0, r0 + s.w, s.wo, static_cast<int32_t>(2 * oh * s.w), static_cast<int32_t>(s.w),
                     y + oh * s.wo, idx ? idx + oh * s.wo : nullptr);
  }
}

void plane_any(const Pool2dShape& s, const float* x, float* y, int32_t* idx) {
  for (int64_t oh = 0; oh < s.ho; ++oh) {
    const pool::Span rows = pool::window(oh, s.sh, s.ph, s.kh, s.dh, s.h);
    for (int64_t ow = 0; ow < s.wo; ++ow) {
      const pool::Span cols = pool::window(ow, s.sw, s.pw, s.kw, s.dw, s.w);
      float m = -std::numeric_limits<float>::infinity();
      int32_t mi = static_cast<int32_t>(rows.begin * s.w + cols.begin);
      for (int64_t ih = rows.begin; ih < rows.end; ih += s.dh) {
        for (int64_t iw = cols.begin; iw < cols.end; iw += s.dw) {
          take(x[ih * s.w + iw], static_cast<int32_t>(ih * s.w + iw), &m, &mi);
        }
      }
      y[oh * s.wo + ow] = m;
      if (idx) idx[oh * s.wo + ow] = mi;
    }
  }
}

}  // namespace

void max_pool2d_f32(const Pool2dShape& s, const float* x, float* y, int32_t* indices) {
  const int64_t in = s.h * s.w, out = s.ho * s.wo;
  if (out == 0) return;
  const bool two_by_two = s.kh == 2 && s.kw == 2 && s.sh == 2 && s.sw == 2 && s.ph == 0 &&
                          s.pw == 0 && s.dh == 1 && s.dw == 1 && 2 * s.ho <= s.h && 2 * s.wo <= s.w;
  pool::for_planes(s.planes, in + out, [&](int64_t p) {
    int32_t* idx = indices ? indices + p * out : nullptr;
    if (two_by_two) {
      plane_2x2(s, x + p * in, y + p * out, idx);
    } else {
      plane_any(s, x + p * in, y + p * out, idx);
    }
  });
}

namespace {

// dx = 0, then dx[idx[k]] += g[k] in output order. A zeroed plane and a scalar scatter beat
// writing each 2x2 window's four inputs as vectors a row at a time (g or 0 in each, no zeroing
// pass), because rows of 4-14 windows cost more in calls and shuffles than they saved: one
// thread, [100, 12, 8, 8] 28.3 -> 9.7 us, [128, 64, 14, 14] 678 -> 346 us, [100, 6, 24, 24]
// 88 -> 57 us.
void scatter_plane(const float* g, const int32_t* idx, int64_t in, int64_t out, float* d) {
  std::fill_n(d, in, 0.0f);  // a memset, and none for an empty plane (d may then be null)
  for (int64_t k = 0; k < out; ++k) d[idx[k]] += g[k];
}

}  // namespace

void max_pool2d_backward_f32(const Pool2dShape& s, const float* dy, const int32_t* indices,
                             float* dx) {
  const int64_t in = s.h * s.w, out = s.ho * s.wo;
  pool::for_planes(s.planes, in + out, [&](int64_t p) {
    scatter_plane(dy + p * out, indices + p * out, in, out, dx + p * in);
  });
}

}  // namespace tg
