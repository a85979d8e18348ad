// Data movement: strided copies, gather / scatter-add, index select / index add.
#include <string>

#include "../kernels/cpu/layout.h"
#include "args.h"
#include "exports.h"

namespace tg {
namespace binding {
namespace {

constexpr double kMaxOffset = 4611686018427387904.0;  // 2^62: offsets below this fit int64 sums

int elem_size(Dtype d) { return d == Dtype::kUint8 ? 1 : 4; }

// Checks that every element a strided view of `shape` touches lies in [0, length).
void check_view(const Args& args, const StridedView& v, const Shape& shape, int64_t length,
                const char* name) {
  if (shape.numel() == 0) return;
  double lo = static_cast<double>(v.offset), hi = lo;
  for (int d = 0; d < shape.ndim; ++d) {
    const double span = static_cast<double>(shape.dim[d] - 1) * static_cast<double>(v.stride[d]);
    (span < 0 ? lo : hi) += span;
  }
  if (lo < 0 || hi >= static_cast<double>(length) || hi > kMaxOffset) {
    args.range_error(std::string(name) + " view reaches elements [" + std::to_string(static_cast<long long>(lo)) +
                     ", " + std::to_string(static_cast<long long>(hi)) + "] outside its " +
                     std::to_string(length) + " elements");
  }
}

// stridedCopy(src, srcOffset, srcStrides, dst, dstOffset, dstStrides, shape): for every index i
// of shape, dst[dstOffset + i . dstStrides] = src[srcOffset + i . srcStrides]. src and dst are
// typed arrays of one kind (Float32Array, Int32Array or Uint8Array); strides may be 0 or negative.
Napi::Value strided_copy_js(const Napi::CallbackInfo& info) {
  Args args(info, "stridedCopy", 7);
  Dtype sk, dk;
  const Buffer<void> src = args.typed(0, "src", &sk);
  const Buffer<void> dst = args.typed(3, "dst", &dk);
  if (sk != dk) args.type_error("src and dst must be typed arrays of the same kind");
  const Shape shape = args.shape(6, "shape");
  StridedView s{}, d{};
  s.offset = args.integer(1, "srcOffset", 0, src.length);
  d.offset = args.integer(4, "dstOffset", 0, dst.length);
  args.integers(2, "srcStrides", shape.ndim, s.stride);
  args.integers(5, "dstStrides", shape.ndim, d.stride);
  check_view(args, s, shape, src.length, "src");
  check_view(args, d, shape, dst.length, "dst");
  strided_copy(src.data, s, dst.data, d, shape, elem_size(sk));
  return args.env().Undefined();
}

// Checks index values against the extent they select from.
void check_indices(const Args& args, const Buffer<int32_t>& index, int64_t size, int dim) {
  for (int64_t i = 0; i < index.length; ++i) {
    if (index.data[i] < 0 || index.data[i] >= size) {
      args.range_error("index " + std::to_string(index.data[i]) + " is out of bounds for dimension " +
                       std::to_string(dim) + " with size " + std::to_string(size));
    }
  }
}

// index must have x's rank and extents except along dim.
void check_same_but_dim(const Args& args, const Shape& x, const Shape& index, int dim,
                        const char* x_name) {
  bool ok = x.ndim == index.ndim;
  for (int d = 0; ok && d < x.ndim; ++d) ok = d == dim || x.dim[d] == index.dim[d];
  if (!ok) {
    args.range_error(std::string("index ") + shape_str(index) + " must match " + x_name + " " +
                     shape_str(x) + " in every dimension but " + std::to_string(dim));
  }
}

int dim_arg(const Args& args, size_t i, const Shape& s) {
  if (s.ndim == 0) args.range_error("the tensor must have at least one dimension");
  return static_cast<int>(args.integer(i, "dim", 0, s.ndim - 1));
}

// gather(x, xShape, dim, index, indexShape, out): out = x gathered along dim (torch.gather), out
// has indexShape.
Napi::Value gather_js(const Napi::CallbackInfo& info) {
  Args args(info, "gather", 6);
  const Buffer<float> x = args.float32(0, "x");
  const Shape xs = args.shape(1, "xShape");
  const int dim = dim_arg(args, 2, xs);
  const Buffer<int32_t> index = args.int32(3, "index");
  const Shape is = args.shape(4, "indexShape");
  const Buffer<float> out = args.float32(5, "out");
  check_fits(args, x, xs, "x");
  check_fits(args, index, is, "index");
  check_fits(args, out, is, "out");
  check_same_but_dim(args, xs, is, dim, "x");
  check_indices(args, index, xs.dim[dim], dim);
  check_disjoint(args, out, "out", x, "x");
  gather_f32(x.data, split_at(xs, dim), index.data, split_at(is, dim), out.data);
  return args.env().Undefined();
}

// scatterAdd(out, outShape, dim, index, indexShape, src): out[.., index, ..] += src along dim
// (torch.scatter_add_); src has indexShape.
Napi::Value scatter_add_js(const Napi::CallbackInfo& info) {
  Args args(info, "scatterAdd", 6);
  const Buffer<float> out = args.float32(0, "out");
  const Shape os = args.shape(1, "outShape");
  const int dim = dim_arg(args, 2, os);
  const Buffer<int32_t> index = args.int32(3, "index");
  const Shape is = args.shape(4, "indexShape");
  const Buffer<float> src = args.float32(5, "src");
  check_fits(args, out, os, "out");
  check_fits(args, index, is, "index");
  check_fits(args, src, is, "src");
  check_same_but_dim(args, os, is, dim, "out");
  check_indices(args, index, os.dim[dim], dim);
  check_disjoint(args, out, "out", src, "src");
  scatter_add_f32(out.data, split_at(os, dim), index.data, split_at(is, dim), src.data);
  return args.env().Undefined();
}

// Shared checks of indexSelect and indexAdd: `big` has `shape`; `small` has shape with dim's
// extent replaced by the number of indices.
void check_index_pair(const Args& args, const Shape& shape, int dim, const Buffer<int32_t>& index,
                      int64_t small_length, const char* small_name) {
  Shape small = shape;
  small.dim[dim] = index.length;
  if (small.numel() != small_length) {
    args.range_error(std::string(small_name) + " has " + std::to_string(small_length) +
                     " elements, expected " + std::to_string(small.numel()) + " for shape " +
                     shape_str(small));
  }
  check_indices(args, index, shape.dim[dim], dim);
}

// indexSelect(x, xShape, dim, index, out): out = x.index_select(dim, index); x and out both
// Float32Array or both Int32Array; index 1-D.
Napi::Value index_select_js(const Napi::CallbackInfo& info) {
  Args args(info, "indexSelect", 5);
  Dtype xk, ok;
  const Buffer<void> x = args.typed(0, "x", &xk);
  const Shape xs = args.shape(1, "xShape");
  const int dim = dim_arg(args, 2, xs);
  const Buffer<int32_t> index = args.int32(3, "index");
  const Buffer<void> out = args.typed(4, "out", &ok);
  if (xk != ok) args.type_error("x and out must be typed arrays of the same kind");
  check_fits(args, x, xs, "x");
  check_index_pair(args, xs, dim, index, out.length, "out");
  check_disjoint(args, bytes_of(out, ok), "out", bytes_of(x, xk), "x");
  index_select(x.data, split_at(xs, dim), index.data, index.length, out.data, elem_size(xk));
  return args.env().Undefined();
}

// indexAdd(out, outShape, dim, index, src): out.index_add_(dim, index, src), float32.
Napi::Value index_add_js(const Napi::CallbackInfo& info) {
  Args args(info, "indexAdd", 5);
  const Buffer<float> out = args.float32(0, "out");
  const Shape os = args.shape(1, "outShape");
  const int dim = dim_arg(args, 2, os);
  const Buffer<int32_t> index = args.int32(3, "index");
  const Buffer<float> src = args.float32(4, "src");
  check_fits(args, out, os, "out");
  check_index_pair(args, os, dim, index, src.length, "src");
  check_disjoint(args, out, "out", src, "src");
  index_add_f32(out.data, split_at(os, dim), index.data, index.length, src.data);
  return args.env().Undefined();
}

}  // namespace

void export_layout(Napi::Env env, Napi::Object exports) {
  exports.Set("stridedCopy", Napi::Function::New(env, strided_copy_js, "stridedCopy"));
  exports.Set("gather", Napi::Function::New(env, gather_js, "gather"));
  exports.Set("scatterAdd", Napi::Function::New(env, scatter_add_js, "scatterAdd"));
  exports.Set("indexSelect", Napi::Function::New(env, index_select_js, "indexSelect"));
  exports.Set("indexAdd", Napi::Function::New(env, index_add_js, "indexAdd"));
}

}  // namespace binding
}  // namespace tg
