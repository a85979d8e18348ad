// Convolution: conv2d forward, and the input and weight gradients of its backward pass.
#include "../kernels/cpu/conv.h"
#include "args.h"
#include "exports.h"
#include "window_args.h"

namespace tg {
namespace binding {
namespace {

struct ConvParams {
  Pair stride;
  Padding pad;
  Pair dilation;
  int64_t groups;
};

// stride, padding, dilation and groups, at arguments i to i + 3.
ConvParams read_params(const Args& args, size_t i) {
  ConvParams p;
  p.stride = read_pair(args, i, "stride", 1);
  p.pad = read_padding(args, i + 1, "padding", true);
  p.dilation = read_pair(args, i + 2, "dilation", 1);
  p.groups = args.integer(i + 3, "groups", 1, kMaxExtent);
  return p;
}

// The convolution of an input of shape x (named x_name) by a weight of shape w, checked as
// PyTorch checks it, with the output size from PyTorch's formula.
Conv2dShape conv_shape(const Args& args, const Shape& x, const char* x_name, const Shape& w,
                       const char* w_name, const ConvParams& p) {
  check_nchw(args, x, x_name);
  check_nchw(args, w, w_name);
  Conv2dShape s{};
  s.n = x.dim[0];
  s.c = x.dim[1];
  s.h = x.dim[2];
  s.w = x.dim[3];
  s.o = w.dim[0];
  s.kh = w.dim[2];
  s.kw = w.dim[3];
  s.groups = p.groups;
  if (s.kh < 1 || s.kw < 1) {
    args.range_error(std::string(w_name) + " " + shape_str(w) + " has an empty kernel");
  }
  if (s.o % s.groups != 0) {
    args.range_error("groups (" + std::to_string(s.groups) + ") must divide the output channels " +
                     std::to_string(s.o) + " of " + w_name + " " + shape_str(w));
  }
  if (w.dim[1] * s.groups != s.c) {
    args.range_error("Given groups=" + std::to_string(s.groups) + ", weight of size " + shape_str(w) +
                     ", expected input" + shape_str(x) + " to have " +
                     std::to_string(w.dim[1] * s.groups) + " channels, but got " +
                     std::to_string(s.c) + " channels instead");
  }
  s.sh = p.stride.h;
  s.sw = p.stride.w;
  s.pt = p.pad.top;
  s.pl = p.pad.left;
  s.dh = p.dilation.h;
  s.dw = p.dilation.w;
  const int64_t padded_h = s.h + p.pad.top + p.pad.bottom, padded_w = s.w + p.pad.left + p.pad.right;
  const int64_t reach_h = s.dh * (s.kh - 1) + 1, reach_w = s.dw * (s.kw - 1) + 1;
  if (reach_h > padded_h || reach_w > padded_w) {
    args.range_error("Calculated padded input size per channel: (" + std::to_string(padded_h) + " x " +
                     std::to_string(padded_w) + "). Kernel size: (" + std::to_string(reach_h) + " x " +
                     std::to_string(reach_w) + "). Kernel size can't be greater than actual input size");
  }
  s.ho = (padded_h - reach_h) / s.sh + 1;
  s.wo = (padded_w - reach_w) / s.sw + 1;
  return s;
}

Shape output_shape(const Conv2dShape& s) { return nchw(s.n, s.o, s.ho, s.wo); }

// conv2d(x, xShape, weight, weightShape, bias, stride, padding, dilation, groups, relu, out,
// outShape): out = conv(x, weight) + bias, then ReLU when relu.
Napi::Value conv2d(const Napi::CallbackInfo& info) {
  Args args(info, "conv2d", 12);
  const Buffer<float> x = args.float32(0, "x");
  const Shape x_shape = args.shape(1, "xShape");
  const Buffer<float> w = args.float32(2, "weight");
  const Shape w_shape = args.shape(3, "weightShape");
  const Buffer<float> bias = args.float32_or_null(4, "bias");
  const ConvParams p = read_params(args, 5);
  const bool relu = args.boolean(9, "relu");
  const Buffer<float> out = args.float32(10, "out");
  const Shape out_shape = args.shape(11, "outShape");
  const Conv2dShape s = conv_shape(args, x_shape, "xShape", w_shape, "weightShape", p);
  check_shape(args, out_shape, output_shape(s), "out");
  check_fits(args, x, x_shape, "x");
  check_fits(args, w, w_shape, "weight");
  check_fits(args, out, out_shape, "out");
  if (bias.data && bias.length != s.o) {
    args.range_error("bias has " + std::to_string(bias.length) + " elements, expected " + std::to_string(s.o));
  }
  check_disjoint(args, out, "out", x, "x");
  check_disjoint(args, out, "out", w, "weight");
  if (bias.data) check_disjoint(args, out, "out", bias, "bias");
  conv2d_forward_f32(s, x.data, w.data, bias.data, relu, out.data);
  return args.env().Undefined();
}

// conv2dBackwardInput(gradOut, gradOutShape, weight, weightShape, stride, padding, dilation,
// groups, gradInput, gradInputShape): gradInput = the gradient of sum(out * gradOut) with
// respect to the input of shape gradInputShape.
Napi::Value conv2d_backward_input(const Napi::CallbackInfo& info) {
  Args args(info, "conv2dBackwardInput", 10);
  const Buffer<float> dy = args.float32(0, "gradOut");
  const Shape dy_shape = args.shape(1, "gradOutShape");
  const Buffer<float> w = args.float32(2, "weight");
  const Shape w_shape = args.shape(3, "weightShape");
  const ConvParams p = read_params(args, 4);
  const Buffer<float> dx = args.float32(8, "gradInput");
  const Shape dx_shape = args.shape(9, "gradInputShape");
  const Conv2dShape s = conv_shape(args, dx_shape, "gradInputShape", w_shape, "weightShape", p);
  check_shape(args, dy_shape, output_shape(s), "gradOut");
  check_fits(args, dy, dy_shape, "gradOut");
  check_fits(args, w, w_shape, "weight");
  check_fits(args, dx, dx_shape, "gradInput");
  check_disjoint(args, dx, "gradInput", dy, "gradOut");
  check_disjoint(args, dx, "gradInput", w, "weight");
  conv2d_backward_input_f32(s, dy.data, w.data, dx.data);
  return args.env().Undefined();
}

// conv2dBackwardWeight(gradOut, gradOutShape, x, xShape, stride, padding, dilation, groups,
// gradWeight, gradWeightShape, gradBias): the gradients of sum(out * gradOut) with respect to
// the weight (of shape gradWeightShape) and the bias, summed over the batch; either buffer may
// be null.
Napi::Value conv2d_backward_weight(const Napi::CallbackInfo& info) {
  Args args(info, "conv2dBackwardWeight", 11);
  const Buffer<float> dy = args.float32(0, "gradOut");
  const Shape dy_shape = args.shape(1, "gradOutShape");
  const Buffer<float> x = args.float32(2, "x");
  const Shape x_shape = args.shape(3, "xShape");
  const ConvParams p = read_params(args, 4);
  const Buffer<float> dw = args.float32_or_null(8, "gradWeight");
  const Shape dw_shape = args.shape(9, "gradWeightShape");
  const Buffer<float> db = args.float32_or_null(10, "gradBias");
  const Conv2dShape s = conv_shape(args, x_shape, "xShape", dw_shape, "gradWeightShape", p);
  check_shape(args, dy_shape, output_shape(s), "gradOut");
  check_fits(args, dy, dy_shape, "gradOut");
  check_fits(args, x, x_shape, "x");
  if (dw.data) check_fits(args, dw, dw_shape, "gradWeight");
  if (db.data && db.length != s.o) {
    args.range_error("gradBias has " + std::to_string(db.length) + " elements, expected " + std::to_string(s.o));
  }
  if (dw.data) {
    check_disjoint(args, dw, "gradWeight", dy, "gradOut");
    check_disjoint(args, dw, "gradWeight", x, "x");
    if (db.data) check_disjoint(args, dw, "gradWeight", db, "gradBias");
  }
  if (db.data) {
    check_disjoint(args, db, "gradBias", dy, "gradOut");
    check_disjoint(args, db, "gradBias", x, "x");
  }
  conv2d_backward_weight_f32(s, dy.data, x.data, dw.data, db.data);
  return args.env().Undefined();
}

}  // namespace

void export_conv(Napi::Env env, Napi::Object exports) {
  exports.Set("conv2d", Napi::Function::New(env, conv2d, "conv2d"));
  exports.Set("conv2dBackwardInput", Napi::Function::New(env, conv2d_backward_input, "conv2dBackwardInput"));
  exports.Set("conv2dBackwardWeight", Napi::Function::New(env, conv2d_backward_weight, "conv2dBackwardWeight"));
}

}  // namespace binding
}  // namespace tg
