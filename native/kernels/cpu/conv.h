// 2-D convolution over NCHW float32 tensors, forward and backward, as implicit GEMMs on the
// packed SGEMM's micro-kernel (see conv_gemm.h). Results are bitwise the same for any thread
// count: every output element is summed by one task in a fixed order, and the weight gradient's
// sum over the batch runs image by image (or over fixed chunks of images, reduced in order).
#pragma once

#include <cstdint>

namespace tg {

// x [n, c, h, w] * weight [o, c / groups, kh, kw] -> y [n, o, ho, wo]. Padding before is (pt, pl);
// padding after enters only through ho and wo, which the caller has checked against PyTorch's
// formula ho = (h + pt + pb - dh * (kh - 1) - 1) / sh + 1. Every size here is below 2^31 and
// every tensor's element count below 2^53 (native/binding/conv.cc checks).
struct Conv2dShape {
  int64_t n, c, h, w;
  int64_t o, kh, kw;
  int64_t groups;
  int64_t sh, sw;
  int64_t pt, pl;
  int64_t dh, dw;
  int64_t ho, wo;
};

// y = conv(x, weight) + bias (bias: o values, or null), then ReLU when relu.
void conv2d_forward_f32(const Conv2dShape& s, const float* x, const float* weight,
                        const float* bias, bool relu, float* y);

// dx = d(sum(y * dy)) / dx: the transposed convolution of dy. dx is overwritten.
void conv2d_backward_input_f32(const Conv2dShape& s, const float* dy, const float* weight,
                               float* dx);

// dweight = d(sum(y * dy)) / dweight (summed over the batch), and dbias (o values: the sum of dy
// over n, ho, wo). Either output may be null; both are overwritten.
void conv2d_backward_weight_f32(const Conv2dShape& s, const float* dy, const float* x,
                                float* dweight, float* dbias);

}  // namespace tg
