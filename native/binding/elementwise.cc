// Elementwise kernels.
#include "../kernels/cpu/binary.h"
#include "args.h"
#include "exports.h"

namespace tg {
namespace binding {
namespace {

// binary(op, a, aShape, b, bShape, out, outShape): out = op(a, b) with broadcasting. The three
// buffers are all Float32Array or all Int32Array.
Napi::Value binary(const Napi::CallbackInfo& info) {
  Args args(info, "binary", 7);
  const auto op = static_cast<BinaryOp>(args.integer(0, "op", 0, kBinaryOpCount - 1));
  bool a_int = false, b_int = false, o_int = false;
  const Buffer<void> a = args.float32_or_int32(1, "a", &a_int);
  const Shape a_shape = args.shape(2, "aShape");
  const Buffer<void> b = args.float32_or_int32(3, "b", &b_int);
  const Shape b_shape = args.shape(4, "bShape");
  const Buffer<void> out = args.float32_or_int32(5, "out", &o_int);
  const Shape out_shape = args.shape(6, "outShape");
  if (a_int != b_int || a_int != o_int) {
    args.type_error("a, b and out must be all Float32Array or all Int32Array");
  }
  check_fits(args, a, a_shape, "a");
  check_fits(args, b, b_shape, "b");
  check_fits(args, out, out_shape, "out");
  Shape expected;
  if (!broadcast_shapes(a_shape, b_shape, &expected)) {
    args.range_error("shapes " + shape_str(a_shape) + " and " + shape_str(b_shape) +
                     " do not broadcast");
  }
  if (shape_str(expected) != shape_str(out_shape)) {
    args.range_error("out has shape " + shape_str(out_shape) + " but " + shape_str(a_shape) +
                     " and " + shape_str(b_shape) + " broadcast to " + shape_str(expected));
  }
  if (a_int) {
    if (!kernels().binary_i32[static_cast<int>(op)][0]) {
      args.type_error("this op takes Float32Array operands only");
    }
    binary_i32(op, static_cast<const int32_t*>(a.data), a_shape,
               static_cast<const int32_t*>(b.data), b_shape, static_cast<int32_t*>(out.data),
               out_shape);
  } else {
    binary_f32(op, static_cast<const float*>(a.data), a_shape, static_cast<const float*>(b.data),
               b_shape, static_cast<float*>(out.data), out_shape);
  }
  return args.env().Undefined();
}

}  // namespace

void export_elementwise(Napi::Env env, Napi::Object exports) {
  exports.Set("binary", Napi::Function::New(env, binary, "binary"));
}

}  // namespace binding
}  // namespace tg
