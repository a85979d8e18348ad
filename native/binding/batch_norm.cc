// Batch normalisation: the training forward (batch statistics), the eval forward (given
// statistics) and the backward of both, over x [N, C, d1, ...].
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "../kernels/cpu/batch_norm.h"
#include "args.h"
#include "exports.h"

namespace tg {
namespace binding {
namespace {

BatchNormDims dims_of(const Args& args, const Shape& s) {
  if (s.ndim < 2) args.range_error("xShape must be [N, C, ...] (at least 2 dims), got " + shape_str(s));
  BatchNormDims d;
  d.N = s.dim[0];
  d.C = s.dim[1];
  for (int i = 2; i < s.ndim; ++i) d.S *= s.dim[i];
  return d;
}

// A per-channel buffer: exactly C elements (or null where optional and allowed).
void check_channels(const Args& args, const Buffer<float>& b, const char* name, const Shape& s,
                    int64_t C) {
  if (b.data && b.length != C) {
    args.range_error(std::string(name) + " has " + std::to_string(b.length) + " elements, but x " +
                     shape_str(s) + " has " + std::to_string(C) + " channels");
  }
}

// The checks both forward passes share: x and out fit the shape, the per-channel buffers have C
// elements, out is x or apart from it and from the affine parameters.
BatchNormDims check_forward(const Args& args, const Shape& shape, const Buffer<float>& x,
                            const Buffer<float>& w, const Buffer<float>& b,
                            const Buffer<float>& mean, const Buffer<float>& var,
                            const Buffer<float>& out) {
  const BatchNormDims d = dims_of(args, shape);
  check_fits(args, x, shape, "x");
  check_fits(args, out, shape, "out");
  check_channels(args, w, "weight", shape, d.C);
  check_channels(args, b, "bias", shape, d.C);
  check_channels(args, mean, "mean", shape, d.C);
  check_channels(args, var, "var", shape, d.C);
  check_in_place_or_disjoint(args, out, x, "x", true);
  check_disjoint(args, out, "out", w, "weight");
  check_disjoint(args, out, "out", b, "bias");
  return d;
}

// out = (x - mean) / sqrt(var + eps) * weight + bias, per channel.
void normalise(const BatchNormDims& d, const float* x, const double* mean, const double* var,
               double eps, const float* weight, const float* bias, float* out) {
  const size_t C = static_cast<size_t>(d.C);
  std::vector<float> center(C), scale(C), shift(C);
  BatchNormAffine f{center.data(), scale.data(), shift.data()};
  batch_norm_scale_shift(d.C, mean, var, eps, weight, bias, f, nullptr);
  batch_norm_apply_f32(d, x, f, out);
}

// batchNormTrain(x, xShape, weight, bias, eps, out, mean, var): out = the normalised x with the
// batch's statistics; mean and var ([C]) receive them (var biased). out may be x itself.
Napi::Value batch_norm_train(const Napi::CallbackInfo& info) {
  Args args(info, "batchNormTrain", 8);
  const Buffer<float> x = args.float32(0, "x");
  const Shape shape = args.shape(1, "xShape");
  const Buffer<float> w = args.float32_or_null(2, "weight");
  const Buffer<float> b = args.float32_or_null(3, "bias");
  const double eps = args.non_negative(4, "eps");
  const Buffer<float> out = args.float32(5, "out");
  const Buffer<float> mean = args.float32(6, "mean");
  const Buffer<float> var = args.float32(7, "var");
  const BatchNormDims d = check_forward(args, shape, x, w, b, mean, var, out);
  for (const auto& [o, name] : {std::pair{mean, "mean"}, std::pair{var, "var"}}) {
    check_disjoint(args, o, name, x, "x");
    check_disjoint(args, o, name, w, "weight");
    check_disjoint(args, o, name, b, "bias");
    check_disjoint(args, o, name, out, "out");
  }
  check_disjoint(args, mean, "mean", var, "var");
  std::vector<double> m(static_cast<size_t>(d.C)), v(static_cast<size_t>(d.C));
  batch_norm_stats_f32(d, x.data, m.data(), v.data());
  normalise(d, x.data, m.data(), v.data(), eps, w.data, b.data, out.data);
  for (int64_t c = 0; c < d.C; ++c) {
    mean.data[c] = static_cast<float>(m[static_cast<size_t>(c)]);
    var.data[c] = static_cast<float>(v[static_cast<size_t>(c)]);
  }
  return args.env().Undefined();
}

// batchNormEval(x, xShape, weight, bias, mean, var, eps, out): out = the normalised x with the
// given statistics ([C] each). out may be x itself.
Napi::Value batch_norm_eval(const Napi::CallbackInfo& info) {
  Args args(info, "batchNormEval", 8);
  const Buffer<float> x = args.float32(0, "x");
  const Shape shape = args.shape(1, "xShape");
  const Buffer<float> w = args.float32_or_null(2, "weight");
  const Buffer<float> b = args.float32_or_null(3, "bias");
  const Buffer<float> mean = args.float32(4, "mean");
  const Buffer<float> var = args.float32(5, "var");
  const double eps = args.non_negative(6, "eps");
  const Buffer<float> out = args.float32(7, "out");
  const BatchNormDims d = check_forward(args, shape, x, w, b, mean, var, out);
  check_disjoint(args, out, "out", mean, "mean");
  check_disjoint(args, out, "out", var, "var");
  const std::vector<double> m(mean.data, mean.data + d.C), v(var.data, var.data + d.C);
  normalise(d, x.data, m.data(), v.data(), eps, w.data, b.data, out.data);
  return args.env().Undefined();
}

// batchNormBackward(grad, x, xShape, weight, mean, var, eps, training, gradInput, gradWeight,
// gradBias): the gradients of sum(grad * batchNorm(x)) for the statistics mean and var (the
// batch's, as batchNormTrain wrote them, when training; else fixed). Each output may be null.
Napi::Value batch_norm_backward(const Napi::CallbackInfo& info) {
  Args args(info, "batchNormBackward", 11);
  const Buffer<float> grad = args.float32(0, "grad");
  const Buffer<float> x = args.float32(1, "x");
  const Shape shape = args.shape(2, "xShape");
  const Buffer<float> w = args.float32_or_null(3, "weight");
  const Buffer<float> mean = args.float32(4, "mean");
  const Buffer<float> var = args.float32(5, "var");
  const double eps = args.non_negative(6, "eps");
  const bool training = args.boolean(7, "training");
  const Buffer<float> gx = args.float32_or_null(8, "gradInput");
  const Buffer<float> gw = args.float32_or_null(9, "gradWeight");
  const Buffer<float> gb = args.float32_or_null(10, "gradBias");
  const BatchNormDims d = dims_of(args, shape);
  check_fits(args, grad, shape, "grad");
  check_fits(args, x, shape, "x");
  if (gx.data) check_fits(args, gx, shape, "gradInput");
  check_channels(args, w, "weight", shape, d.C);
  check_channels(args, mean, "mean", shape, d.C);
  check_channels(args, var, "var", shape, d.C);
  check_channels(args, gw, "gradWeight", shape, d.C);
  check_channels(args, gb, "gradBias", shape, d.C);
  for (const auto& [o, name] : {std::pair{gx, "gradInput"}, std::pair{gw, "gradWeight"}, std::pair{gb, "gradBias"}}) {
    check_disjoint(args, o, name, grad, "grad");
    check_disjoint(args, o, name, x, "x");
    check_disjoint(args, o, name, w, "weight");
    check_disjoint(args, o, name, mean, "mean");
    check_disjoint(args, o, name, var, "var");
  }
  check_disjoint(args, gx, "gradInput", gw, "gradWeight");
  check_disjoint(args, gx, "gradInput", gb, "gradBias");
  check_disjoint(args, gw, "gradWeight", gb, "gradBias");
  std::vector<double> m(mean.data, mean.data + d.C), invstd(static_cast<size_t>(d.C));
  for (int64_t c = 0; c < d.C; ++c) {
    invstd[static_cast<size_t>(c)] = 1.0 / std::sqrt(static_cast<double>(var.data[c]) + eps);
  }
  BatchNormGrad g;
  g.dy = grad.data;
  g.x = x.data;
  g.mean = m.data();
  g.invstd = invstd.data();
  g.weight = w.data;
  g.batch_stats = training;
  g.dx = gx.data;
  g.dweight = gw.data;
  g.dbias = gb.data;
  batch_norm_backward_f32(d, g);
  return args.env().Undefined();
}

}  // namespace

void export_batch_norm(Napi::Env env, Napi::Object exports) {
  exports.Set("batchNormTrain", Napi::Function::New(env, batch_norm_train, "batchNormTrain"));
  exports.Set("batchNormEval", Napi::Function::New(env, batch_norm_eval, "batchNormEval"));
  exports.Set("batchNormBackward", Napi::Function::New(env, batch_norm_backward, "batchNormBackward"));
}

}  // namespace binding
}  // namespace tg
