// Max pooling: PyTorch's CPU semantics (the first max on ties, the last NaN wins), with a
// branch-free path for the common 2x2 window of stride 2.
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

// dx = 0, then dx[idx[k]] += g[k] in output order: any indices in the plane.
void scatter_plane(const float* g, const int32_t* idx, int64_t in, int64_t out, float* d) {
  for (int64_t i = 0; i < in; ++i) d[i] = 0.0f;
  for (int64_t k = 0; k < out; ++k) d[idx[k]] += g[k];
}

// The backward of the 2x2 stride-2 windows when they tile the plane exactly: every input gets
// its gradient or 0 in one write, no zeroing pass and no read-modify-write. False (and the
// plane must be redone by scatter_plane) when some index lies outside its own window, which
// indices from maxPool2d never do.
bool plane_2x2_backward(const Pool2dShape& s, const float* g, const int32_t* idx, float* d) {
  const PoolLoops& loops = kernels().pool;
  bool ok = true;
  for (int64_t oh = 0; oh < s.ho; ++oh) {
    float* r0 = d + 2 * oh * s.w;
    ok &= loops.max2x2_backward_row(g + oh * s.wo, idx + oh * s.wo, s.wo, static_cast<int32_t>(2 * oh * s.w),
                                    static_cast<int32_t>(s.w), r0, r0 + s.w);
  }
  return ok;
}

}  // namespace

void max_pool2d_backward_f32(const Pool2dShape& s, const float* dy, const int32_t* indices,
                             float* dx) {
  const int64_t in = s.h * s.w, out = s.ho * s.wo;
  const bool tiles = 2 * s.ho == s.h && 2 * s.wo == s.w;
  pool::for_planes(s.planes, in + out, [&](int64_t p) {
    float* d = dx + p * in;
    const float* g = dy + p * out;
    const int32_t* idx = indices + p * out;
    if (tiles && plane_2x2_backward(s, g, idx, d)) return;
    scatter_plane(g, idx, in, out, d);
  });
}

}  // namespace tg
