// Average pooling and adaptive average pooling, forward and backward, as PyTorch's CPU kernels
// compute them (avg_pool2d sums in double; adaptive_avg_pool2d sums in float and divides by the
// window's height, then its width).
#include "pool.h"
#include "pool_planes.h"

namespace tg {
namespace {

// One avg_pool2d window: rows [h0, h1), columns [w0, w1) (empty when h0 >= h1 or w0 >= w1),
// and its divisor.
struct AvgWindow {
  int64_t h0, h1, w0, w1, divisor;
  bool empty() const { return h0 >= h1 || w0 >= w1; }
};

AvgWindow avg_window(const Pool2dShape& s, bool count_include_pad, int64_t divisor_override,
                     int64_t oh, int64_t ow) {
  AvgWindow a;
  a.h0 = oh * s.sh - s.ph;
  a.w0 = ow * s.sw - s.pw;
  a.h1 = a.h0 + s.kh < s.h + s.ph ? a.h0 + s.kh : s.h + s.ph;
  a.w1 = a.w0 + s.kw < s.w + s.pw ? a.w0 + s.kw : s.w + s.pw;
  const int64_t padded_size = (a.h1 - a.h0) * (a.w1 - a.w0);
  if (a.h0 < 0) a.h0 = 0;
  if (a.w0 < 0) a.w0 = 0;
  if (a.h1 > s.h) a.h1 = s.h;
  if (a.w1 > s.w) a.w1 = s.w;
  a.divisor = divisor_override ? divisor_override
              : count_include_pad ? padded_size
                                  : (a.h1 - a.h0) * (a.w1 - a.w0);
  return a;
}

// Adaptive pooling's window along one dim: PyTorch's start_index and end_index.
pool::Span adaptive_span(int64_t o, int64_t out, int64_t in) {
  return pool::Span{o / out * in + o % out * in / out, 1 + ((o + 1) * in - 1) / out};
}

}  // namespace

void avg_pool2d_f32(const Pool2dShape& s, bool count_include_pad, int64_t divisor_override,
                    const float* x, float* y) {
  const int64_t in = s.h * s.w, out = s.ho * s.wo;
  if (out == 0) return;
  pool::for_planes(s.planes, in + out, [&](int64_t p) {
    const float* xp = x + p * in;
    float* yp = y + p * out;
    for (int64_t oh = 0; oh < s.ho; ++oh) {
      for (int64_t ow = 0; ow < s.wo; ++ow) {
        const AvgWindow a = avg_window(s, count_include_pad, divisor_override, oh, ow);
        double sum = 0.0;
        if (!a.empty()) {
          for (int64_t ih = a.h0; ih < a.h1; ++ih)
            for (int64_t iw = a.w0; iw < a.w1; ++iw) sum += xp[ih * s.w + iw];
        }
        yp[oh * s.wo + ow] = a.empty() ? 0.0f : static_cast<float>(sum / static_cast<double>(a.divisor));
      }
    }
  });
}

void avg_pool2d_backward_f32(const Pool2dShape& s, bool count_include_pad,
                             int64_t divisor_override, const float* dy, float* dx) {
  const int64_t in = s.h * s.w, out = s.ho * s.wo;
  pool::for_planes(s.planes, in + out, [&](int64_t p) {
    float* d = dx + p * in;
    for (int64_t i = 0; i < in; ++i) d[i] = 0.0f;
    const float* g = dy + p * out;
    for (int64_t oh = 0; oh < s.ho; ++oh) {
      for (int64_t ow = 0; ow < s.wo; ++ow) {
        const AvgWindow a = avg_window(s, count_include_pad, divisor_override, oh, ow);
        if (a.empty()) continue;
        const float delta = g[oh * s.wo + ow] / static_cast<float>(a.divisor);
        for (int64_t ih = a.h0; ih < a.h1; ++ih)
          for (int64_t iw = a.w0; iw < a.w1; ++iw) d[ih * s.w + iw] += delta;
      }
    }
  });
}

void adaptive_avg_pool2d_f32(int64_t planes, int64_t h, int64_t w, int64_t ho, int64_t wo,
                             const float* x, float* y) {
  const int64_t in = h * w, out = ho * wo;
  if (out == 0) return;
  pool::for_planes(planes, in + out, [&](int64_t p) {
    const float* xp = x + p * in;
    float* yp = y + p * out;
    for (int64_t oh = 0; oh < ho; ++oh) {
      const pool::Span rows = adaptive_span(oh, ho, h);
      for (int64_t ow = 0; ow < wo; ++ow) {
        const pool::Span cols = adaptive_span(ow, wo, w);
        float sum = 0.0f;
        for (int64_t ih = rows.begin; ih < rows.end; ++ih)
          for (int64_t iw = cols.begin; iw < cols.end; ++iw) sum += xp[ih * w + iw];
        yp[oh * wo + ow] = sum / static_cast<float>(rows.end - rows.begin) /
                           static_cast<float>(cols.end - cols.begin);
      }
    }
  });
}

void adaptive_avg_pool2d_backward_f32(int64_t planes, int64_t h, int64_t w, int64_t ho,
                                      int64_t wo, const float* dy, float* dx) {
  const int64_t in = h * w, out = ho * wo;
  pool::for_planes(planes, in + out, [&](int64_t p) {
    float* d = dx + p * in;
    for (int64_t i = 0; i < in; ++i) d[i] = 0.0f;
    const float* g = dy + p * out;
    for (int64_t oh = 0; oh < ho; ++oh) {
      const pool::Span rows = adaptive_span(oh, ho, h);
      for (int64_t ow = 0; ow < wo; ++ow) {
        const pool::Span cols = adaptive_span(ow, wo, w);
        const float delta = g[oh * wo + ow] / static_cast<float>(rows.end - rows.begin) /
                            static_cast<float>(cols.end - cols.begin);
        for (int64_t ih = rows.begin; ih < rows.end; ++ih)
          for (int64_t iw = cols.begin; iw < cols.end; ++iw) d[ih * w + iw] += delta;
      }
    }
  });
}

}  // namespace tg
