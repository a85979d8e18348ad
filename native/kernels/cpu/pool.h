// 2-D pooling over NCHW float32 tensors, seen as planes = n * c independent h x w planes:
// max pooling with its argmax indices, average pooling, adaptive average pooling, and their
// backward passes, all with PyTorch's semantics (window bounds, padding, ceil mode, divisors,
// NaN). Each plane is done by one task in a fixed order, so results are the same for any
// thread count, backward scatters included.
#pragma once

#include <cstdint>

namespace tg {

// Window (oh, ow) covers input rows oh * sh - ph + i * dh for i < kh (columns alike), clipped to
// the image. ho and wo are the caller's (PyTorch's formula with ceil mode); every window holds at
// least one input element when pads are at most half the kernel, as the binding checks.
struct Pool2dShape {
  int64_t planes, h, w;
  int64_t kh, kw;
  int64_t sh, sw;
  int64_t ph, pw;
  int64_t dh, dw;
  int64_t ho, wo;
};

// y = the max of each window; indices (or null) = the flat offset (ih * w + iw) of the max
// within its plane: the first one on ties, the last NaN if any (as PyTorch's CPU kernel).
void max_pool2d_f32(const Pool2dShape& s, const float* x, float* y, int32_t* indices);

// dx = 0, then dx[plane, indices[k]] += dy[k] for every output k in order. Indices must lie in
// [0, h * w) (the binding checks). Only planes, h, w, ho and wo of s are read.
void max_pool2d_backward_f32(const Pool2dShape& s, const float* dy, const int32_t* indices,
                             float* dx);

// y = the mean of each window (dilation 1). The divisor is divisor_override when it is not 0,
// else the window's size clipped to the padded image when count_include_pad, else the number of
// input elements in it. The sum runs in double, as PyTorch's CPU kernel.
void avg_pool2d_f32(const Pool2dShape& s, bool count_include_pad, int64_t divisor_override,
                    const float* x, float* y);
void avg_pool2d_backward_f32(const Pool2dShape& s, bool count_include_pad,
                             int64_t divisor_override, const float* dy, float* dx);

// Output cell (oh, ow) averages rows [floor(oh * h / ho), ceil((oh + 1) * h / ho)) and the
// columns alike (PyTorch's adaptive_avg_pool2d).
void adaptive_avg_pool2d_f32(int64_t planes, int64_t h, int64_t w, int64_t ho, int64_t wo,
                             const float* x, float* y);
void adaptive_avg_pool2d_backward_f32(int64_t planes, int64_t h, int64_t w, int64_t ho,
                                      int64_t wo, const float* dy, float* dx);

}  // namespace tg
