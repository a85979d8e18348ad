// Argument checks for every function the addon exports: each failure becomes a JavaScript
// TypeError or RangeError that names the function and the argument, never a crash.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

#include "../kernels/cpu/shape.h"

namespace tg {
namespace binding {

// The element types a typed-array argument may hold (Uint8Array holds bool tensors).
enum class Dtype { kFloat32, kInt32, kUint8 };
const char* dtype_array_name(Dtype d);  // "a Float32Array", "an Int32Array", "a Uint8Array"

template <typename T>
struct Buffer {
  T* data;
  int64_t length;  // elements
};

// Reads the arguments of one call; `fn` is the exported name, used in messages.
class Args {
 public:
  Args(const Napi::CallbackInfo& info, const char* fn, size_t count);

  Napi::Env env() const { return info_.Env(); }

  Buffer<float> float32(size_t i, const char* name) const;
  Buffer<int32_t> int32(size_t i, const char* name) const;
  // A Uint8Array (bool values: 0 or 1, any non-zero byte read as true).
  Buffer<uint8_t> uint8(size_t i, const char* name) const;
  // A Float32Array or an Int32Array; *is_int tells which.
  Buffer<void> float32_or_int32(size_t i, const char* name, bool* is_int) const;
  // A Float32Array, an Int32Array or a Uint8Array; *dtype tells which.
  Buffer<void> typed(size_t i, const char* name, Dtype* dtype) const;
  // A Float32Array, or null for an absent optional buffer ({nullptr, 0}).
  Buffer<float> float32_or_null(size_t i, const char* name) const;
  // An Int32Array, or null ({nullptr, 0}).
  Buffer<int32_t> int32_or_null(size_t i, const char* name) const;
  bool is_null(size_t i) const;
  // An array of non-negative safe integers, at most kMaxDims long, whose product fits.
  Shape shape(size_t i, const char* name) const;
  // An array of exactly n integers, each of magnitude below 2^53 (strides may be negative).
  void integers(size_t i, const char* name, int n, int64_t* out) const;
  // The same with n_a or n_b entries (at most kMaxDims); returns how many there are.
  int integers_either(size_t i, const char* name, int n_a, int n_b, int64_t* out) const;
  // A set of dims of a tensor of rank ndim: an array of distinct integers in [0, ndim), as a
  // bit mask (bit d for dim d).
  uint32_t dims(size_t i, const char* name, int ndim) const;
  // One dim of a tensor of rank ndim >= 1: an integer in [0, ndim).
  int dim(size_t i, const char* name, int ndim) const;
  // An integer in [lo, hi].
  int64_t integer(size_t i, const char* name, int64_t lo, int64_t hi) const;
  // Any finite number (NaN and infinities are refused).
  double finite(size_t i, const char* name) const;
  // A non-negative finite number.
  double non_negative(size_t i, const char* name) const;
  // Any number, NaN and infinities included.
  double number(size_t i, const char* name) const;
  bool boolean(size_t i, const char* name) const;

  [[noreturn]] void type_error(const std::string& msg) const;
  [[noreturn]] void range_error(const std::string& msg) const;

 private:
  std::string where(size_t i, const char* name) const;
  template <typename T>
  Buffer<T> exact(size_t i, const char* name, napi_typedarray_type want, const char* label) const;
  const Napi::CallbackInfo& info_;
  const char* fn_;
};

std::string describe(const Napi::Value& v);
std::string shape_str(const Shape& s);
// "[0, 2]": the dims whose bits are set.
std::string dims_str(uint32_t mask, int ndim);

// The bytes of a buffer read by Args::typed, for the overlap checks below.
Buffer<uint8_t> bytes_of(const Buffer<void>& b, Dtype d);

// Throws a RangeError unless buffer length equals the shape's element count.
template <typename T>
void check_fits(const Args& args, const Buffer<T>& buf, const Shape& s, const char* name) {
  if (buf.length != s.numel()) {
    args.range_error(std::string(name) + " has " + std::to_string(buf.length) +
                     " elements but its shape " + shape_str(s) + " needs " +
                     std::to_string(s.numel()));
  }
}

// Throws a RangeError when the two element ranges share memory.
template <typename A, typename B>
void check_disjoint(const Args& args, const Buffer<A>& a, const char* a_name, const Buffer<B>& b,
                    const char* b_name) {
  const auto a0 = reinterpret_cast<uintptr_t>(a.data), b0 = reinterpret_cast<uintptr_t>(b.data);
  const auto a1 = a0 + static_cast<uintptr_t>(a.length) * sizeof(A);
  const auto b1 = b0 + static_cast<uintptr_t>(b.length) * sizeof(B);
  if (a.length > 0 && b.length > 0 && a0 < b1 && b0 < a1) {
    args.range_error(std::string(a_name) + " and " + b_name + " must not share memory");
  }
}

// Throws a RangeError unless out is exactly the input `in` (an in-place op, allowed where
// `in_place_ok`) or shares no memory with it: a partial overlap would let one task read what
// another has already written.
template <typename A, typename B>
void check_in_place_or_disjoint(const Args& args, const Buffer<A>& out, const Buffer<B>& in,
                                const char* in_name, bool in_place_ok) {
  const bool same = static_cast<const void*>(out.data) == static_cast<const void*>(in.data) &&
                    out.length == in.length && sizeof(A) == sizeof(B);
  if (same && in_place_ok && out.length > 0) return;
  check_disjoint(args, out, "out", in, in_name);
}

}  // namespace binding
}  // namespace tg
