// Argument checks shared by the convolution and pooling bindings: NCHW shapes, the (height,
// width) pairs of kernel sizes, strides and dilations, paddings, and PyTorch's output sizes.
#pragma once

#include <cstdint>
#include <string>

#include "args.h"

namespace tg {
namespace binding {

// Every spatial size, channel count, stride, padding and dilation stays below 2^31, so that no
// product of two of them overflows and int32 indices cover a plane.
constexpr int64_t kMaxExtent = 2147483647;

struct Pair {
  int64_t h, w;
};
struct Padding {
  int64_t top, bottom, left, right;
};

// [h, w] with both in [lo, kMaxExtent].
Pair read_pair(const Args& args, size_t i, const char* name, int64_t lo);
// [h, w] (the same before and after), or [top, bottom, left, right] when four is allowed;
// each in [0, kMaxExtent].
Padding read_padding(const Args& args, size_t i, const char* name, bool four);
// A 4-d shape [n, c, h, w] with each size at most kMaxExtent.
void check_nchw(const Args& args, const Shape& s, const char* name);
// Throws a RangeError unless got equals want.
void check_shape(const Args& args, const Shape& got, const Shape& want, const char* name);
Shape nchw(int64_t n, int64_t c, int64_t h, int64_t w);

// PyTorch's pooling output size along one dim (pooling_output_shape): floor, or ceil when
// ceil_mode, where the last window must start inside the image or its left padding.
int64_t pool_output_size(int64_t in, int64_t k, int64_t pad, int64_t stride, int64_t dilation,
                         bool ceil_mode);

}  // namespace binding
}  // namespace tg
