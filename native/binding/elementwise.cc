// Elementwise kernels with broadcasting: binary arithmetic, comparisons and where.
#include "../kernels/cpu/binary.h"
#include "../kernels/cpu/compare.h"
#include "args.h"
#include "exports.h"

namespace tg {
namespace binding {
namespace {

bool same_shape(const Shape& a, const Shape& b) { return a == b; }

// Throws a RangeError unless a and b broadcast together; returns their broadcast shape.
Shape broadcast_or_throw(const Args& args, const Shape& a, const char* a_name, const Shape& b,
                         const char* b_name) {
  Shape s;
  if (!broadcast_shapes(a, b, &s)) {
    args.range_error(std::string("shapes ") + shape_str(a) + " (" + a_name + ") and " +
                     shape_str(b) + " (" + b_name + ") do not broadcast");
  }
  return s;
}

// The message is built only on failure: this runs on every call of the hottest ops.
void check_out_shape(const Args& args, const Shape& out_shape, const Shape& expected,
                     std::initializer_list<const Shape*> inputs) {
  if (same_shape(out_shape, expected)) return;
  std::string names;
  size_t i = 0;
  for (const Shape* s : inputs) {
    if (i > 0) names += i + 1 == inputs.size() ? " and " : ", ";
    names += shape_str(*s);
    ++i;
  }
  args.range_error("out has shape " + shape_str(out_shape) + " but " + names + " broadcast to " +
                   shape_str(expected));
}

// The two 4-byte element types share one reader; overlap checks need only the element size.
Buffer<int32_t> words(const Buffer<void>& b) { return {static_cast<int32_t*>(b.data), b.length}; }

// The kernel call of binary and binaryFlat, once the buffers are checked: int32 or float32.
void run_binary(const Args& args, BinaryOp op, bool is_int, const Buffer<void>& a,
                const Shape& a_shape, const Buffer<void>& b, const Shape& b_shape,
                const Buffer<void>& out, const Shape& out_shape) {
  if (is_int) {
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
}

// binary(op, a, aShape, b, bShape, out, outShape): out = op(a, b) with broadcasting. The three
// buffers are all Float32Array or all Int32Array. out may be a or b itself where that operand
// has out's shape, and otherwise shares no memory with them.
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
  const Shape expected = broadcast_or_throw(args, a_shape, "a", b_shape, "b");
  check_out_shape(args, out_shape, expected, {&a_shape, &b_shape});
  check_in_place_or_disjoint(args, words(out), words(a), "a", same_shape(a_shape, out_shape));
  check_in_place_or_disjoint(args, words(out), words(b), "b", same_shape(b_shape, out_shape));
  run_binary(args, op, a_int, a, a_shape, b, b_shape, out, out_shape);
  return args.env().Undefined();
}

// binaryFlat(op, a, b, out): out = op(a, b) value by value over three buffers of one length,
// all Float32Array or all Int32Array; out may be a or b itself, and otherwise shares no memory
// with them. Operands of one shape need no broadcasting, and then no shapes: reading three shape
// arrays through N-API cost about 0.3 us of the 0.44 us of a one-value binary call.
Napi::Value binary_flat(const Napi::CallbackInfo& info) {
  Args args(info, "binaryFlat", 4);
  const auto op = static_cast<BinaryOp>(args.integer(0, "op", 0, kBinaryOpCount - 1));
  bool a_int = false, b_int = false, o_int = false;
  const Buffer<void> a = args.float32_or_int32(1, "a", &a_int);
  const Buffer<void> b = args.float32_or_int32(2, "b", &b_int);
  const Buffer<void> out = args.float32_or_int32(3, "out", &o_int);
  if (a_int != b_int || a_int != o_int) {
    args.type_error("a, b and out must be all Float32Array or all Int32Array");
  }
  if (a.length != out.length || b.length != out.length) {
    args.range_error("a, b and out must have one length, got " + std::to_string(a.length) + ", " +
                     std::to_string(b.length) + " and " + std::to_string(out.length));
  }
  check_in_place_or_disjoint(args, words(out), words(a), "a", true);
  check_in_place_or_disjoint(args, words(out), words(b), "b", true);
  Shape flat;
  flat.ndim = 1;
  flat.dim[0] = out.length;
  run_binary(args, op, a_int, a, flat, b, flat, out, flat);
  return args.env().Undefined();
}

// compare(op, a, aShape, b, bShape, out, outShape): out = a op b as 0/1 bytes, broadcasting. a and
// b are both Float32Array or both Int32Array; out is a Uint8Array that shares no memory with them.
Napi::Value compare(const Napi::CallbackInfo& info) {
  Args args(info, "compare", 7);
  const auto op = static_cast<CompareOp>(args.integer(0, "op", 0, kCompareOpCount - 1));
  bool a_int = false, b_int = false;
  const Buffer<void> a = args.float32_or_int32(1, "a", &a_int);
  const Shape a_shape = args.shape(2, "aShape");
  const Buffer<void> b = args.float32_or_int32(3, "b", &b_int);
  const Shape b_shape = args.shape(4, "bShape");
  const Buffer<uint8_t> out = args.uint8(5, "out");
  const Shape out_shape = args.shape(6, "outShape");
  if (a_int != b_int) args.type_error("a and b must be both Float32Array or both Int32Array");
  check_fits(args, a, a_shape, "a");
  check_fits(args, b, b_shape, "b");
  check_fits(args, out, out_shape, "out");
  const Shape expected = broadcast_or_throw(args, a_shape, "a", b_shape, "b");
  check_out_shape(args, out_shape, expected, {&a_shape, &b_shape});
  check_disjoint(args, out, "out", words(a), "a");
  check_disjoint(args, out, "out", words(b), "b");
  if (a_int) {
    compare_i32(op, static_cast<const int32_t*>(a.data), a_shape,
                static_cast<const int32_t*>(b.data), b_shape, out.data, out_shape);
  } else {
    compare_f32(op, static_cast<const float*>(a.data), a_shape, static_cast<const float*>(b.data),
                b_shape, out.data, out_shape);
  }
  return args.env().Undefined();
}

// where(cond, condShape, a, aShape, b, bShape, out, outShape): out = cond ? a : b, the three
// broadcasting together. cond is a Uint8Array; a, b and out are all Float32Array or all
// Int32Array. out may be a or b itself where that operand has out's shape.
Napi::Value where(const Napi::CallbackInfo& info) {
  Args args(info, "where", 8);
  const Buffer<uint8_t> cond = args.uint8(0, "cond");
  const Shape c_shape = args.shape(1, "condShape");
  bool a_int = false, b_int = false, o_int = false;
  const Buffer<void> a = args.float32_or_int32(2, "a", &a_int);
  const Shape a_shape = args.shape(3, "aShape");
  const Buffer<void> b = args.float32_or_int32(4, "b", &b_int);
  const Shape b_shape = args.shape(5, "bShape");
  const Buffer<void> out = args.float32_or_int32(6, "out", &o_int);
  const Shape out_shape = args.shape(7, "outShape");
  if (a_int != b_int || a_int != o_int) {
    args.type_error("a, b and out must be all Float32Array or all Int32Array");
  }
  check_fits(args, cond, c_shape, "cond");
  check_fits(args, a, a_shape, "a");
  check_fits(args, b, b_shape, "b");
  check_fits(args, out, out_shape, "out");
  const Shape ab = broadcast_or_throw(args, a_shape, "a", b_shape, "b");
  const Shape expected = broadcast_or_throw(args, c_shape, "cond", ab, "a and b together");
  check_out_shape(args, out_shape, expected, {&c_shape, &a_shape, &b_shape});
  check_disjoint(args, words(out), "out", cond, "cond");
  check_in_place_or_disjoint(args, words(out), words(a), "a", same_shape(a_shape, out_shape));
  check_in_place_or_disjoint(args, words(out), words(b), "b", same_shape(b_shape, out_shape));
  if (a_int) {
    where_i32(cond.data, c_shape, static_cast<const int32_t*>(a.data), a_shape,
              static_cast<const int32_t*>(b.data), b_shape, static_cast<int32_t*>(out.data),
              out_shape);
  } else {
    where_f32(cond.data, c_shape, static_cast<const float*>(a.data), a_shape,
              static_cast<const float*>(b.data), b_shape, static_cast<float*>(out.data), out_shape);
  }
  return args.env().Undefined();
}

}  // namespace

void export_elementwise(Napi::Env env, Napi::Object exports) {
  exports.Set("binary", Napi::Function::New(env, binary, "binary"));
  exports.Set("binaryFlat", Napi::Function::New(env, binary_flat, "binaryFlat"));
  exports.Set("compare", Napi::Function::New(env, compare, "compare"));
  exports.Set("where", Napi::Function::New(env, where, "where"));
}

}  // namespace binding
}  // namespace tg
