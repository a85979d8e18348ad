// Pooling: max pooling with indices, average pooling, adaptive average pooling, and their
// backward passes, with PyTorch's checks and output sizes.
#include "../kernels/cpu/pool.h"
#include "args.h"
#include "exports.h"
#include "window_args.h"

namespace tg {
namespace binding {
namespace {

struct PoolParams {
  Pair kernel, stride;
  Padding pad;
  Pair dilation{1, 1};
  bool ceil_mode = false;
};

// kernelSize, stride, padding at arguments i to i + 2.
PoolParams read_window(const Args& args, size_t i) {
  PoolParams p;
  p.kernel = read_pair(args, i, "kernelSize", 1);
  p.stride = read_pair(args, i + 1, "stride", 1);
  p.pad = read_padding(args, i + 2, "padding", false);
  return p;
}

// PyTorch's checks of a pooling input: a non-empty [n, c, h, w] (n may be 0), pads at most half
// the kernel, and an output of at least one element per plane.
Pool2dShape pool_shape(const Args& args, const Shape& x, const char* x_name, const PoolParams& p) {
  check_nchw(args, x, x_name);
  if (x.dim[1] == 0 || x.dim[2] == 0 || x.dim[3] == 0) {
    args.range_error(std::string(x_name) + ": expected a 4-d (batch mode) tensor with non-zero c, h and w, got " + shape_str(x));
  }
  if (p.pad.top > p.kernel.h / 2 || p.pad.left > p.kernel.w / 2) {
    args.range_error("pad should be at most half of kernel size, but got padding [" +
                     std::to_string(p.pad.top) + ", " + std::to_string(p.pad.left) + "] and kernelSize [" +
                     std::to_string(p.kernel.h) + ", " + std::to_string(p.kernel.w) + "]");
  }
  Pool2dShape s{};
  s.planes = x.dim[0] * x.dim[1];
  s.h = x.dim[2];
  s.w = x.dim[3];
  s.kh = p.kernel.h;
  s.kw = p.kernel.w;
  s.sh = p.stride.h;
  s.sw = p.stride.w;
  s.ph = p.pad.top;
  s.pw = p.pad.left;
  s.dh = p.dilation.h;
  s.dw = p.dilation.w;
  s.ho = pool_output_size(s.h, s.kh, s.ph, s.sh, s.dh, p.ceil_mode);
  s.wo = pool_output_size(s.w, s.kw, s.pw, s.sw, s.dw, p.ceil_mode);
  if (s.ho < 1 || s.wo < 1) {
    args.range_error("Given input size: (" + std::to_string(x.dim[1]) + "x" + std::to_string(s.h) + "x" +
                     std::to_string(s.w) + "). Calculated output size: (" + std::to_string(x.dim[1]) + "x" +
                     std::to_string(s.ho) + "x" + std::to_string(s.wo) + "). Output size is too small");
  }
  return s;
}

Shape pooled_shape(const Shape& x, int64_t ho, int64_t wo) { return nchw(x.dim[0], x.dim[1], ho, wo); }

// null, or a non-zero integer (PyTorch's divisor_override); 0 stands for none in the kernel.
int64_t read_divisor(const Args& args, size_t i) {
  if (args.is_null(i)) return 0;
  const int64_t d = args.integer(i, "divisorOverride", -kMaxExtent, kMaxExtent);
  if (d == 0) args.range_error("divisorOverride must be non-zero (or null for none)");
  return d;
}

// maxPool2d(x, xShape, kernelSize, stride, padding, dilation, ceilMode, out, outShape, indices):
// out = the max of each window; indices (Int32Array or null) = its offset within the plane.
Napi::Value max_pool2d(const Napi::CallbackInfo& info) {
  Args args(info, "maxPool2d", 10);
  const Buffer<float> x = args.float32(0, "x");
  const Shape x_shape = args.shape(1, "xShape");
  PoolParams p = read_window(args, 2);
  p.dilation = read_pair(args, 5, "dilation", 1);
  p.ceil_mode = args.boolean(6, "ceilMode");
  const Buffer<float> out = args.float32(7, "out");
  const Shape out_shape = args.shape(8, "outShape");
  const Buffer<int32_t> indices = args.int32_or_null(9, "indices");
  const Pool2dShape s = pool_shape(args, x_shape, "xShape", p);
  if (s.h * s.w > kMaxExtent) {
    args.range_error("xShape " + shape_str(x_shape) + " has planes of more than 2^31 - 1 elements, beyond int32 indices");
  }
  check_shape(args, out_shape, pooled_shape(x_shape, s.ho, s.wo), "out");
  check_fits(args, x, x_shape, "x");
  check_fits(args, out, out_shape, "out");
  check_disjoint(args, out, "out", x, "x");
  if (indices.data) {
    check_fits(args, indices, out_shape, "indices");
    check_disjoint(args, indices, "indices", x, "x");
    check_disjoint(args, indices, "indices", out, "out");
  }
  max_pool2d_f32(s, x.data, out.data, indices.data);
  return args.env().Undefined();
}

// maxPool2dBackward(gradOut, gradOutShape, indices, gradInput, gradInputShape): gradInput = 0,
// then gradOut added at each output's index within its plane.
Napi::Value max_pool2d_backward(const Napi::CallbackInfo& info) {
  Args args(info, "maxPool2dBackward", 5);
  const Buffer<float> dy = args.float32(0, "gradOut");
  const Shape dy_shape = args.shape(1, "gradOutShape");
  const Buffer<int32_t> indices = args.int32(2, "indices");
  const Buffer<float> dx = args.float32(3, "gradInput");
  const Shape dx_shape = args.shape(4, "gradInputShape");
  check_nchw(args, dy_shape, "gradOutShape");
  check_nchw(args, dx_shape, "gradInputShape");
  if (dy_shape.dim[0] != dx_shape.dim[0] || dy_shape.dim[1] != dx_shape.dim[1]) {
    args.range_error("gradOutShape " + shape_str(dy_shape) + " and gradInputShape " + shape_str(dx_shape) +
                     " must agree in n and c");
  }
  check_fits(args, dy, dy_shape, "gradOut");
  check_fits(args, indices, dy_shape, "indices");
  check_fits(args, dx, dx_shape, "gradInput");
  check_disjoint(args, dx, "gradInput", dy, "gradOut");
  check_disjoint(args, dx, "gradInput", indices, "indices");
  const int64_t plane = dx_shape.dim[2] * dx_shape.dim[3];
  // One branch-free pass (it vectorises), then a search only when something is wrong.
  uint32_t outside = 0;
  // Planes past int32 hold every int32 index; unsigned, a negative index is past any plane too.
  const uint32_t limit = static_cast<uint32_t>(plane < kMaxExtent ? plane : kMaxExtent);
  const uint32_t any_top = plane > kMaxExtent ? 0u : 1u;
  for (int64_t k = 0; k < indices.length; ++k) {
    const uint32_t i = static_cast<uint32_t>(indices.data[k]);
    outside |= (static_cast<uint32_t>(i >= limit) & any_top) | (i >> 31);
  }
  for (int64_t k = 0; outside && k < indices.length; ++k) {
    if (indices.data[k] < 0 || indices.data[k] >= plane) {
      args.range_error("indices[" + std::to_string(k) + "] = " + std::to_string(indices.data[k]) +
                       " lies outside a plane of " + std::to_string(plane) + " elements");
    }
  }
  Pool2dShape s{};
  s.planes = dx_shape.dim[0] * dx_shape.dim[1];
  s.h = dx_shape.dim[2];
  s.w = dx_shape.dim[3];
  s.ho = dy_shape.dim[2];
  s.wo = dy_shape.dim[3];
  max_pool2d_backward_f32(s, dy.data, indices.data, dx.data);
  return args.env().Undefined();
}

// avgPool2d(x, xShape, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride,
// out, outShape): out = the mean of each window.
Napi::Value avg_pool2d(const Napi::CallbackInfo& info) {
  Args args(info, "avgPool2d", 10);
  const Buffer<float> x = args.float32(0, "x");
  const Shape x_shape = args.shape(1, "xShape");
  PoolParams p = read_window(args, 2);
  p.ceil_mode = args.boolean(5, "ceilMode");
  const bool count_include_pad = args.boolean(6, "countIncludePad");
  const int64_t divisor = read_divisor(args, 7);
  const Buffer<float> out = args.float32(8, "out");
  const Shape out_shape = args.shape(9, "outShape");
  const Pool2dShape s = pool_shape(args, x_shape, "xShape", p);
  check_shape(args, out_shape, pooled_shape(x_shape, s.ho, s.wo), "out");
  check_fits(args, x, x_shape, "x");
  check_fits(args, out, out_shape, "out");
  check_disjoint(args, out, "out", x, "x");
  avg_pool2d_f32(s, count_include_pad, divisor, x.data, out.data);
  return args.env().Undefined();
}

// avgPool2dBackward(gradOut, gradOutShape, kernelSize, stride, padding, ceilMode,
// countIncludePad, divisorOverride, gradInput, gradInputShape).
Napi::Value avg_pool2d_backward(const Napi::CallbackInfo& info) {
  Args args(info, "avgPool2dBackward", 10);
  const Buffer<float> dy = args.float32(0, "gradOut");
  const Shape dy_shape = args.shape(1, "gradOutShape");
  PoolParams p = read_window(args, 2);
  p.ceil_mode = args.boolean(5, "ceilMode");
  const bool count_include_pad = args.boolean(6, "countIncludePad");
  const int64_t divisor = read_divisor(args, 7);
  const Buffer<float> dx = args.float32(8, "gradInput");
  const Shape dx_shape = args.shape(9, "gradInputShape");
  const Pool2dShape s = pool_shape(args, dx_shape, "gradInputShape", p);
  check_shape(args, dy_shape, pooled_shape(dx_shape, s.ho, s.wo), "gradOut");
  check_fits(args, dy, dy_shape, "gradOut");
  check_fits(args, dx, dx_shape, "gradInput");
  check_disjoint(args, dx, "gradInput", dy, "gradOut");
  avg_pool2d_backward_f32(s, count_include_pad, divisor, dy.data, dx.data);
  return args.env().Undefined();
}

// The shapes of an adaptive pooling: in [n, c, h, w] with c, h, w non-zero, out [n, c, ho, wo].
void check_adaptive(const Args& args, const Shape& in, const char* in_name, const Shape& out,
                    const char* out_name) {
  check_nchw(args, in, in_name);
  check_nchw(args, out, out_name);
  if (in.dim[1] == 0 || in.dim[2] == 0 || in.dim[3] == 0) {
    args.range_error(std::string(in_name) + ": expected non-zero c, h and w, got " + shape_str(in));
  }
  if (in.dim[0] != out.dim[0] || in.dim[1] != out.dim[1]) {
    args.range_error(std::string(out_name) + " " + shape_str(out) + " and " + in_name + " " + shape_str(in) +
                     " must agree in n and c");
  }
}

// adaptiveAvgPool2d(x, xShape, out, outShape): the output size is outShape's h and w.
Napi::Value adaptive_avg_pool2d(const Napi::CallbackInfo& info) {
  Args args(info, "adaptiveAvgPool2d", 4);
  const Buffer<float> x = args.float32(0, "x");
  const Shape x_shape = args.shape(1, "xShape");
  const Buffer<float> out = args.float32(2, "out");
  const Shape out_shape = args.shape(3, "outShape");
  check_adaptive(args, x_shape, "xShape", out_shape, "outShape");
  check_fits(args, x, x_shape, "x");
  check_fits(args, out, out_shape, "out");
  check_disjoint(args, out, "out", x, "x");
  adaptive_avg_pool2d_f32(x_shape.dim[0] * x_shape.dim[1], x_shape.dim[2], x_shape.dim[3],
                          out_shape.dim[2], out_shape.dim[3], x.data, out.data);
  return args.env().Undefined();
}

// adaptiveAvgPool2dBackward(gradOut, gradOutShape, gradInput, gradInputShape).
Napi::Value adaptive_avg_pool2d_backward(const Napi::CallbackInfo& info) {
  Args args(info, "adaptiveAvgPool2dBackward", 4);
  const Buffer<float> dy = args.float32(0, "gradOut");
  const Shape dy_shape = args.shape(1, "gradOutShape");
  const Buffer<float> dx = args.float32(2, "gradInput");
  const Shape dx_shape = args.shape(3, "gradInputShape");
  check_adaptive(args, dx_shape, "gradInputShape", dy_shape, "gradOutShape");
  check_fits(args, dy, dy_shape, "gradOut");
  check_fits(args, dx, dx_shape, "gradInput");
  check_disjoint(args, dx, "gradInput", dy, "gradOut");
  adaptive_avg_pool2d_backward_f32(dx_shape.dim[0] * dx_shape.dim[1], dx_shape.dim[2], dx_shape.dim[3],
                                   dy_shape.dim[2], dy_shape.dim[3], dy.data, dx.data);
  return args.env().Undefined();
}

}  // namespace

void export_pool(Napi::Env env, Napi::Object exports) {
  exports.Set("maxPool2d", Napi::Function::New(env, max_pool2d, "maxPool2d"));
  exports.Set("maxPool2dBackward", Napi::Function::New(env, max_pool2d_backward, "maxPool2dBackward"));
  exports.Set("avgPool2d", Napi::Function::New(env, avg_pool2d, "avgPool2d"));
  exports.Set("avgPool2dBackward", Napi::Function::New(env, avg_pool2d_backward, "avgPool2dBackward"));
  exports.Set("adaptiveAvgPool2d", Napi::Function::New(env, adaptive_avg_pool2d, "adaptiveAvgPool2d"));
  exports.Set("adaptiveAvgPool2dBackward",
              Napi::Function::New(env, adaptive_avg_pool2d_backward, "adaptiveAvgPool2dBackward"));
}

}  // namespace binding
}  // namespace tg
