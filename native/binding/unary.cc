// Unary elementwise kernels and their backward, on contiguous Float32Arrays.
#include <string>

#include "../kernels/cpu/unary.h"
#include "args.h"
#include "exports.h"

namespace tg {
namespace binding {
namespace {

void check_same_length(const Args& args, const Buffer<float>& a, const char* a_name,
                       const Buffer<float>& b, const char* b_name) {
  if (a.length != b.length) {
    args.range_error(std::string(a_name) + " has " + std::to_string(a.length) + " elements but " +
                     b_name + " has " + std::to_string(b.length));
  }
}

// unary(op, x, out, p0, p1): out = f(x) elementwise, with the op's parameters p0 and p1 (any
// numbers; unused ones are ignored). out has x's length and is x itself or shares no memory
// with it.
Napi::Value unary(const Napi::CallbackInfo& info) {
  Args args(info, "unary", 5);
  const auto op = static_cast<UnaryOp>(args.integer(0, "op", 0, kUnaryOpCount - 1));
  const Buffer<float> x = args.float32(1, "x");
  const Buffer<float> out = args.float32(2, "out");
  const double p0 = args.number(3, "p0");
  const double p1 = args.number(4, "p1");
  check_same_length(args, out, "out", x, "x");
  check_in_place_or_disjoint(args, out, x, "x", true);
  unary_f32(op, x.data, out.data, x.length, p0, p1);
  return args.env().Undefined();
}

// unaryBackward(op, grad, saved, out, p0, p1): out = grad * f'(saved) elementwise, where saved
// is the forward input or output as the op's code says. The three have one length; out is grad
// or saved itself, or shares no memory with them.
Napi::Value unary_backward(const Napi::CallbackInfo& info) {
  Args args(info, "unaryBackward", 6);
  const auto op =
      static_cast<UnaryBackwardOp>(args.integer(0, "op", 0, kUnaryBackwardOpCount - 1));
  const Buffer<float> grad = args.float32(1, "grad");
  const Buffer<float> saved = args.float32(2, "saved");
  const Buffer<float> out = args.float32(3, "out");
  const double p0 = args.number(4, "p0");
  const double p1 = args.number(5, "p1");
  check_same_length(args, saved, "saved", grad, "grad");
  check_same_length(args, out, "out", grad, "grad");
  check_in_place_or_disjoint(args, out, grad, "grad", true);
  check_in_place_or_disjoint(args, out, saved, "saved", true);
  unary_backward_f32(op, grad.data, saved.data, out.data, grad.length, p0, p1);
  return args.env().Undefined();
}

}  // namespace

void export_unary(Napi::Env env, Napi::Object exports) {
  exports.Set("unary", Napi::Function::New(env, unary, "unary"));
  exports.Set("unaryBackward", Napi::Function::New(env, unary_backward, "unaryBackward"));
}

}  // namespace binding
}  // namespace tg
