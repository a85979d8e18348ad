// Reductions: sums, means, products, extrema and variance over any set of dims; argmax and
// argmin (with the values, for max / min with indices) along one dim.
#include "../kernels/cpu/arg_reduce.h"
#include "../kernels/cpu/reduce.h"
#include "args.h"
#include "exports.h"

namespace tg {
namespace binding {
namespace {

const char* const kReduceNames[] = {"sum", "mean", "prod", "max", "min"};

Shape kept_shape(const Shape& s, uint32_t mask) {
  Shape k;
  for (int d = 0; d < s.ndim; ++d) {
    if (!((mask >> d) & 1u)) k.dim[k.ndim++] = s.dim[d];
  }
  return k;
}

// out holds one element per kept position.
template <typename T>
void check_out(const Args& args, const Buffer<T>& out, const char* name, const Shape& x_shape,
               uint32_t mask) {
  const Shape kept = kept_shape(x_shape, mask);
  if (out.length != kept.numel()) {
    args.range_error(std::string(name) + " has " + std::to_string(out.length) +
                     " elements, but reducing " + shape_str(x_shape) + " over dims " +
                     dims_str(mask, x_shape.ndim) + " leaves " + shape_str(kept) + ", " +
                     std::to_string(kept.numel()) + " elements");
  }
}

// A max or min has no value over an empty dim: PyTorch's words.
void check_nonempty(const Args& args, const char* op, const Shape& s, uint32_t mask) {
  for (int d = 0; d < s.ndim; ++d) {
    if (((mask >> d) & 1u) && s.dim[d] == 0) {
      args.range_error(std::string(op) + "(): Expected reduction dim " + std::to_string(d) +
                       " to have non-zero size");
    }
  }
}

// reduce(op, x, xShape, dims, out): out = op over dims of x, the reduced dims removed.
// x Float32Array -> out Float32Array; Int32Array -> Int32Array (no mean); Uint8Array -> Int32Array
// (sum only).
Napi::Value reduce(const Napi::CallbackInfo& info) {
  Args args(info, "reduce", 5);
  const auto op = static_cast<ReduceOp>(args.integer(0, "op", 0, kReduceOpCount - 1));
  Dtype xt, ot;
  const Buffer<void> x = args.typed(1, "x", &xt);
  const Shape x_shape = args.shape(2, "xShape");
  const uint32_t mask = args.dims(3, "dims", x_shape.ndim);
  const Buffer<void> out = args.typed(4, "out", &ot);
  const char* name = kReduceNames[static_cast<int>(op)];
  check_fits(args, x, x_shape, "x");
  if (xt == Dtype::kInt32 && op == ReduceOp::kMean) {
    args.type_error("mean needs a Float32Array x: the mean of integers is not defined, as in PyTorch");
  }
  if (xt == Dtype::kUint8 && op != ReduceOp::kSum) {
    args.type_error(std::string("a Uint8Array x can be summed only, not reduced by ") + name);
  }
  const Dtype want = xt == Dtype::kFloat32 ? Dtype::kFloat32 : Dtype::kInt32;
  if (ot != want) {
    args.type_error(std::string("out must be ") + dtype_array_name(want) + " for " + name + " of " +
                    dtype_array_name(xt) + ", got " + dtype_array_name(ot));
  }
  check_out(args, out, "out", x_shape, mask);
  if (op == ReduceOp::kMax || op == ReduceOp::kMin) check_nonempty(args, name, x_shape, mask);
  check_disjoint(args, bytes_of(out, ot), "out", bytes_of(x, xt), "x");
  if (xt == Dtype::kFloat32) {
    reduce_f32(op, static_cast<const float*>(x.data), x_shape, mask, static_cast<float*>(out.data));
  } else if (xt == Dtype::kInt32) {
    reduce_i32(op, static_cast<const int32_t*>(x.data), x_shape, mask,
               static_cast<int32_t*>(out.data));
  } else {
    reduce_sum_u8(static_cast<const uint8_t*>(x.data), x_shape, mask,
                  static_cast<int32_t*>(out.data));
  }
  return args.env().Undefined();
}

// reduceVar(x, xShape, dims, correction, out): sum((x - mean)^2) / max(0, n - correction).
Napi::Value reduce_var(const Napi::CallbackInfo& info) {
  Args args(info, "reduceVar", 5);
  const Buffer<float> x = args.float32(0, "x");
  const Shape x_shape = args.shape(1, "xShape");
  const uint32_t mask = args.dims(2, "dims", x_shape.ndim);
  const double correction = args.finite(3, "correction");
  const Buffer<float> out = args.float32(4, "out");
  check_fits(args, x, x_shape, "x");
  check_out(args, out, "out", x_shape, mask);
  check_disjoint(args, out, "out", x, "x");
  reduce_var_f32(x.data, x_shape, mask, correction, out.data);
  return args.env().Undefined();
}

// argReduce(op, x, xShape, dim, values, indices): indices (Int32Array) of the first max (op 0) or
// min (op 1) along dim, and the values themselves unless values is null.
Napi::Value arg_reduce(const Napi::CallbackInfo& info) {
  Args args(info, "argReduce", 6);
  const auto op = static_cast<ArgReduceOp>(args.integer(0, "op", 0, kArgReduceOpCount - 1));
  Dtype xt, vt = Dtype::kFloat32;
  const Buffer<void> x = args.typed(1, "x", &xt);
  const Shape x_shape = args.shape(2, "xShape");
  if (xt == Dtype::kUint8) args.type_error("argument 2 (x) must be a Float32Array or an Int32Array, got a Uint8Array");
  if (x_shape.ndim == 0) {
    args.range_error("xShape must have at least one dim (give a 0-d tensor the shape [1])");
  }
  const int dim = args.dim(3, "dim", x_shape.ndim);
  const Buffer<void> values = args.is_null(4) ? Buffer<void>{nullptr, 0} : args.typed(4, "values", &vt);
  const Buffer<int32_t> indices = args.int32(5, "indices");
  check_fits(args, x, x_shape, "x");
  if (values.data && vt != xt) {
    args.type_error(std::string("values must be null or ") + dtype_array_name(xt) + " like x, got " +
                    dtype_array_name(vt));
  }
  const uint32_t mask = 1u << dim;
  const bool is_max = op == ArgReduceOp::kMax;
  const char* name = values.data ? (is_max ? "max" : "min") : (is_max ? "argmax" : "argmin");
  check_nonempty(args, name, x_shape, mask);
  if (x_shape.dim[dim] > INT32_MAX) {
    args.range_error("dim " + std::to_string(dim) + " has " + std::to_string(x_shape.dim[dim]) +
                     " entries, more than an Int32Array index can hold");
  }
  check_out(args, indices, "indices", x_shape, mask);
  if (values.data) check_out(args, values, "values", x_shape, mask);
  const Buffer<uint8_t> xb = bytes_of(x, xt), vb = bytes_of(values, vt);
  check_disjoint(args, indices, "indices", xb, "x");
  check_disjoint(args, vb, "values", xb, "x");
  check_disjoint(args, vb, "values", indices, "indices");
  if (xt == Dtype::kFloat32) {
    arg_reduce_f32(op, static_cast<const float*>(x.data), x_shape, dim,
                   static_cast<float*>(values.data), indices.data);
  } else {
    arg_reduce_i32(op, static_cast<const int32_t*>(x.data), x_shape, dim,
                   static_cast<int32_t*>(values.data), indices.data);
  }
  return args.env().Undefined();
}

}  // namespace

void export_reduce(Napi::Env env, Napi::Object exports) {
  exports.Set("reduce", Napi::Function::New(env, reduce, "reduce"));
  exports.Set("reduceVar", Napi::Function::New(env, reduce_var, "reduceVar"));
  exports.Set("argReduce", Napi::Function::New(env, arg_reduce, "argReduce"));
}

}  // namespace binding
}  // namespace tg
