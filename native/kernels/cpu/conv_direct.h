// Stride-1, undilated convolutions read straight from the padded image, with no im2col panels:
// the "flat taps" form. With one group's image padded to hp x wp = (ho + kh - 1) x (wo + kw - 1)
// and laid out flat, output position (oh, ow), at q = oh * wp + ow, reads tap (c, i, j) at
// c * hp * wp + i * wp + j + q: a fixed offset per tap. A micro-tile of NR consecutive q then
// reads NR consecutive floats per tap where they lie, and the packing that the panel path pays
// for each output position (as much as the products themselves with 32 output channels) is
// gone. The cost: the kw - 1 positions past the end of each output row are computed and dropped.
//
// The input gradient of such a convolution is one too: the convolution of dy, padded by
// kh - 1 - pt and kw - 1 - pl, with the weight flipped and its two channel axes swapped. It
// needs no scatter of column gradients into dx. The weight gradient reads the same taps of the
// padded image, against dy transposed (conv_direct_weight.cc).
#pragma once

#include "conv.h"

namespace tg {

// Whether the forward pass, or the input gradient, takes the flat-taps form for this shape:
// stride 1, no dilation, and enough taps per output that the saved packing outweighs the
// dropped positions (see conv_direct.cc for the measurements).
bool conv2d_forward_direct_pays(const Conv2dShape& s);
bool conv2d_backward_input_direct_pays(const Conv2dShape& s);
bool conv2d_backward_weight_direct_pays(const Conv2dShape& s);

// As conv2d_forward_f32 and conv2d_backward_input_f32, for any shape with stride 1 and
// dilation 1 (the kernel tests call them on shapes the rules above would not pick).
void conv2d_forward_direct(const Conv2dShape& s, const float* x, const float* weight,
                           const float* bias, bool relu, float* y);
void conv2d_backward_input_direct(const Conv2dShape& s, const float* dy, const float* weight,
                                  float* dx);
// dweight only (the caller sums dbias); any batch size, n > 0.
void conv2d_backward_weight_direct(const Conv2dShape& s, const float* dy, const float* x,
                                   float* dweight);

}  // namespace tg
