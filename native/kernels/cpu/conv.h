// 2-D convolution over NCHW float32 tensors, forward and backward, as implicit GEMMs (see
// conv_gemm.h). Results are bitwise the same for any thread count: every output element is
// summed by one task in a fixed order, and the weight gradient's sum over the batch runs image
// by image (or over fixed chunks of images, reduced in order).
//
// The algorithms, and why (measured one thread, batch 64, the MNIST layers conv1 1->20 5x5 on
// 28x28 and conv2 20->40 5x5 on 12x12, with a C++ loop over these functions and with
// `npm run bench -- conv-layers`; GFLOP/s of a core whose FMA peak is about 117):
// - forward: y = W x im2col(x), the im2col panels packed straight from the image, never
//   materialised. The micro-kernel's tile shape is chosen per layer from a small set by the
//   padded products it would compute (conv_gemm.cc, tiling), since a convolution has few rows:
//   conv2 ran at 53 with the SGEMM's 12x32 tile (48 rows for 40), 95 with 10x32. Panels hold
//   whole output rows, so that packing moves stretches without per-element tests; it still
//   costs 10-20% of the forward for these small images.
// - input gradient: dcols = W^T dy a panel at a time, added into dx at once (col2im of one
//   panel). The transposed convolution as a forward one on dy would need no scatter but
//   computes on the padding: 2.25 times the products for conv2.
// - weight gradient: dot-product tiles along the output positions of a span of images (both
//   operands contiguous, no transposed packing): conv2 48 -> 72, conv1 15 -> 56 against a GEMM
//   over transposed panels. When a layer has few output channels and taps (conv1: 20 x 25), the
//   batch is cut into fixed chunks so that two threads have work.
// - stride-1 layers with enough taps and channels, where the padded image's extra columns add
//   at most 30% to the positions (the 3x3 "same" layers): forward and input gradient read the
//   padded image in place, with no im2col panels (conv_direct.h); the panels' packing had cost
//   as much as the products with 32 output channels.
// A direct kernel for one input channel was not written: it would vectorise along output
// columns (24 of 32 lanes on 28x28) and could not beat conv1's forward at 80.
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
