// Neural-network kernels: softmax and log-softmax with their backward passes; cross entropy and
// NLL loss fused with their gradients.
#include "../kernels/cpu/cross_entropy.h"
#include "../kernels/cpu/softmax.h"
#include "args.h"
#include "exports.h"

namespace tg {
namespace binding {
namespace {

// [outer, D, inner]: the dims before `dim`, `dim` itself, the dims after it.
struct Split {
  int64_t outer = 1, D = 1, inner = 1;
};

Split split_at(const Shape& s, int dim) {
  Split p;
  for (int d = 0; d < s.ndim; ++d) {
    if (d < dim) p.outer *= s.dim[d];
    if (d == dim) p.D = s.dim[d];
    if (d > dim) p.inner *= s.dim[d];
  }
  return p;
}

int softmax_dim(const Args& args, const Shape& s, size_t i) {
  if (s.ndim == 0) args.range_error("the shape must have at least one dim (give a 0-d tensor [1])");
  return args.dim(i, "dim", s.ndim);
}

// softmax(x, xShape, dim, out) and logSoftmax(...): out may be x itself.
Napi::Value softmax_forward(const Napi::CallbackInfo& info, const char* fn, bool log) {
  Args args(info, fn, 4);
  const Buffer<float> x = args.float32(0, "x");
  const Shape shape = args.shape(1, "xShape");
  const int dim = softmax_dim(args, shape, 2);
  const Buffer<float> out = args.float32(3, "out");
  check_fits(args, x, shape, "x");
  check_fits(args, out, shape, "out");
  check_in_place_or_disjoint(args, out, x, "x", true);
  const Split p = split_at(shape, dim);
  softmax_f32(x.data, out.data, p.outer, p.D, p.inner, log);
  return args.env().Undefined();
}

// softmaxBackward(grad, y, shape, dim, out) and logSoftmaxBackward(...): y is the forward
// output; out may be grad or y itself.
Napi::Value softmax_backward(const Napi::CallbackInfo& info, const char* fn, bool log) {
  Args args(info, fn, 5);
  const Buffer<float> grad = args.float32(0, "grad");
  const Buffer<float> y = args.float32(1, "y");
  const Shape shape = args.shape(2, "shape");
  const int dim = softmax_dim(args, shape, 3);
  const Buffer<float> out = args.float32(4, "out");
  check_fits(args, grad, shape, "grad");
  check_fits(args, y, shape, "y");
  check_fits(args, out, shape, "out");
  check_in_place_or_disjoint(args, out, grad, "grad", true);
  check_in_place_or_disjoint(args, out, y, "y", true);
  const Split p = split_at(shape, dim);
  softmax_backward_f32(grad.data, y.data, out.data, p.outer, p.D, p.inner, log);
  return args.env().Undefined();
}

Napi::Value softmax(const Napi::CallbackInfo& info) {
  return softmax_forward(info, "softmax", false);
}
Napi::Value log_softmax(const Napi::CallbackInfo& info) {
  return softmax_forward(info, "logSoftmax", true);
}
Napi::Value softmax_bwd(const Napi::CallbackInfo& info) {
  return softmax_backward(info, "softmaxBackward", false);
}
Napi::Value log_softmax_bwd(const Napi::CallbackInfo& info) {
  return softmax_backward(info, "logSoftmaxBackward", true);
}

struct LossCall {
  LossArgs a;
  const float* input;
  const int32_t* target;
  float* loss;
  float* grad;  // may be null
};

// The arguments cross entropy and NLL share; `at` is the index of the loss argument (the
// reduction just before it, ignoreIndex at 4).
//   (input, inputShape, target, weight, ignoreIndex, [labelSmoothing,] reduction, loss, grad)
LossCall loss_call(const Args& args, size_t at, bool log_probs) {
  const Buffer<float> in = args.float32(0, "input");
  const Shape shape = args.shape(1, "inputShape");
  const Buffer<int32_t> tgt = args.int32(2, "target");
  const Buffer<float> weight = args.float32_or_null(3, "weight");
  LossArgs a;
  a.ignore_index = static_cast<int32_t>(args.integer(4, "ignoreIndex", INT32_MIN, INT32_MAX));
  a.log_probs = log_probs;
  if (!log_probs) {
    a.label_smoothing = args.finite(5, "labelSmoothing");
    if (a.label_smoothing < 0 || a.label_smoothing > 1) {
      args.range_error("labelSmoothing must be in [0, 1], got " + std::to_string(a.label_smoothing));
    }
  }
  a.reduction = static_cast<LossReduction>(args.integer(at - 1, "reduction", 0, kLossReductionCount - 1));
  const Buffer<float> l = args.float32(at, "loss");
  const Buffer<float> g = args.float32_or_null(at + 1, "grad");
  check_fits(args, in, shape, "input");
  if (shape.ndim < 2) {
    args.range_error("inputShape must be [N, C] or [N, C, d1, ...], got " + shape_str(shape));
  }
  a.N = shape.dim[0];
  a.C = shape.dim[1];
  for (int d = 2; d < shape.ndim; ++d) a.inner *= shape.dim[d];
  if (a.C == 0) args.range_error("input " + shape_str(shape) + " has no classes (C = 0)");
  const int64_t samples = a.N * a.inner;
  if (tgt.length != samples) {
    args.range_error("target has " + std::to_string(tgt.length) + " elements, but input " +
                     shape_str(shape) + " needs one per sample, " + std::to_string(samples));
  }
  if (weight.data && weight.length != a.C) {
    args.range_error("weight has " + std::to_string(weight.length) + " elements, but input " +
                     shape_str(shape) + " has " + std::to_string(a.C) + " classes");
  }
  const int64_t n_loss = a.reduction == LossReduction::kNone ? samples : 1;
  if (l.length != n_loss) {
    args.range_error("loss has " + std::to_string(l.length) + " elements, but this reduction gives " +
                     std::to_string(n_loss));
  }
  if (g.data) check_fits(args, g, shape, "grad");
  for (int64_t s = 0; s < samples; ++s) {
    const int32_t t = tgt.data[s];
    if (t != a.ignore_index && (t < 0 || t >= a.C)) {
      args.range_error("target[" + std::to_string(s) + "] = " + std::to_string(t) +
                       " is out of bounds for " + std::to_string(a.C) + " classes (ignoreIndex is " +
                       std::to_string(a.ignore_index) + ")");
    }
  }
  check_disjoint(args, l, "loss", in, "input");
  check_disjoint(args, l, "loss", tgt, "target");
  check_disjoint(args, l, "loss", weight, "weight");
  check_disjoint(args, l, "loss", g, "grad");
  check_disjoint(args, g, "grad", in, "input");
  check_disjoint(args, g, "grad", tgt, "target");
  check_disjoint(args, g, "grad", weight, "weight");
  a.weight = weight.data;
  return LossCall{a, in.data, tgt.data, l.data, g.data};
}

// crossEntropy(input, inputShape, target, weight, ignoreIndex, labelSmoothing, reduction, loss,
// grad): input holds logits.
Napi::Value cross_entropy(const Napi::CallbackInfo& info) {
  Args args(info, "crossEntropy", 9);
  const LossCall c = loss_call(args, 7, false);
  cross_entropy_f32(c.a, c.input, c.target, c.loss, c.grad);
  return args.env().Undefined();
}

// nllLoss(input, inputShape, target, weight, ignoreIndex, reduction, loss, grad): input holds
// log-probabilities.
Napi::Value nll_loss(const Napi::CallbackInfo& info) {
  Args args(info, "nllLoss", 8);
  const LossCall c = loss_call(args, 6, true);
  cross_entropy_f32(c.a, c.input, c.target, c.loss, c.grad);
  return args.env().Undefined();
}

}  // namespace

void export_nn(Napi::Env env, Napi::Object exports) {
  exports.Set("softmax", Napi::Function::New(env, softmax, "softmax"));
  exports.Set("logSoftmax", Napi::Function::New(env, log_softmax, "logSoftmax"));
  exports.Set("softmaxBackward", Napi::Function::New(env, softmax_bwd, "softmaxBackward"));
  exports.Set("logSoftmaxBackward", Napi::Function::New(env, log_softmax_bwd, "logSoftmaxBackward"));
  exports.Set("crossEntropy", Napi::Function::New(env, cross_entropy, "crossEntropy"));
  exports.Set("nllLoss", Napi::Function::New(env, nll_loss, "nllLoss"));
}

}  // namespace binding
}  // namespace tg
