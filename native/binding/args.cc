#include "args.h"

#include <cmath>

namespace tg {
namespace binding {
namespace {

constexpr double kMaxSafeInteger = 9007199254740991.0;  // 2^53 - 1

napi_typedarray_type typed_kind(const Napi::Value& v) {
  return v.As<Napi::TypedArray>().TypedArrayType();
}

}  // namespace

std::string describe(const Napi::Value& v) {
  if (v.IsUndefined()) return "undefined";
  if (v.IsNull()) return "null";
  if (v.IsBoolean()) return "a boolean";
  if (v.IsNumber()) return "the number " + v.ToString().Utf8Value();
  if (v.IsString()) return "a string";
  if (v.IsTypedArray()) {
    switch (typed_kind(v)) {
      case napi_float32_array: return "a Float32Array";
      case napi_float64_array: return "a Float64Array";
      case napi_int32_array: return "an Int32Array";
      case napi_uint8_array: return "a Uint8Array";
      default: return "another typed array";
    }
  }
  if (v.IsArray()) return "an array";
  if (v.IsFunction()) return "a function";
  if (v.IsObject()) return "an object";
  return "a value of another type";
}

const char* dtype_array_name(Dtype d) {
  switch (d) {
    case Dtype::kFloat32: return "a Float32Array";
    case Dtype::kInt32: return "an Int32Array";
    case Dtype::kUint8: return "a Uint8Array";
  }
  return "a typed array";
}

Buffer<uint8_t> bytes_of(const Buffer<void>& b, Dtype d) {
  const int64_t size = d == Dtype::kUint8 ? 1 : 4;
  return {static_cast<uint8_t*>(b.data), b.length * size};
}

std::string dims_str(uint32_t mask, int ndim) {
  std::string out = "[";
  for (int d = 0; d < ndim; ++d) {
    if (!((mask >> d) & 1u)) continue;
    if (out.size() > 1) out += ", ";
    out += std::to_string(d);
  }
  return out + "]";
}

std::string shape_str(const Shape& s) {
  std::string out = "[";
  for (int d = 0; d < s.ndim; ++d) {
    if (d) out += ", ";
    out += std::to_string(s.dim[d]);
  }
  return out + "]";
}

Args::Args(const Napi::CallbackInfo& info, const char* fn, size_t count) : info_(info), fn_(fn) {
  if (info.Length() != count) {
    type_error("expects " + std::to_string(count) + " arguments, got " +
               std::to_string(info.Length()));
  }
}

std::string Args::where(size_t i, const char* name) const {
  return "argument " + std::to_string(i + 1) + " (" + name + ")";
}

void Args::type_error(const std::string& msg) const {
  throw Napi::TypeError::New(env(), std::string("tensorgrad native ") + fn_ + ": " + msg);
}

void Args::range_error(const std::string& msg) const {
  throw Napi::RangeError::New(env(), std::string("tensorgrad native ") + fn_ + ": " + msg);
}

// One napi_get_typedarray_info call: the readers below run on every kernel call, where each N-API
// round trip costs tens of nanoseconds.
static bool typed_info(napi_env env, napi_value v, napi_typedarray_type* kind, void** data, size_t* length) {
  return napi_get_typedarray_info(env, v, kind, length, data, nullptr, nullptr) == napi_ok;
}

template <typename T>
Buffer<T> Args::exact(size_t i, const char* name, napi_typedarray_type want, const char* label) const {
  napi_typedarray_type kind;
  void* data = nullptr;
  size_t length = 0;
  if (!typed_info(env(), info_[i], &kind, &data, &length) || kind != want) {
    type_error(where(i, name) + " must be " + label + ", got " + describe(info_[i]));
  }
  return {static_cast<T*>(data), static_cast<int64_t>(length)};
}

Buffer<float> Args::float32(size_t i, const char* name) const {
  return exact<float>(i, name, napi_float32_array, "a Float32Array");
}

Buffer<int32_t> Args::int32(size_t i, const char* name) const {
  return exact<int32_t>(i, name, napi_int32_array, "an Int32Array");
}

Buffer<uint8_t> Args::uint8(size_t i, const char* name) const {
  return exact<uint8_t>(i, name, napi_uint8_array, "a Uint8Array");
}

Buffer<void> Args::float32_or_int32(size_t i, const char* name, bool* is_int) const {
  napi_typedarray_type kind;
  void* data = nullptr;
  size_t length = 0;
  if (!typed_info(env(), info_[i], &kind, &data, &length) ||
      (kind != napi_float32_array && kind != napi_int32_array)) {
    type_error(where(i, name) + " must be a Float32Array or an Int32Array, got " + describe(info_[i]));
  }
  *is_int = kind == napi_int32_array;
  return {data, static_cast<int64_t>(length)};
}

Buffer<void> Args::typed(size_t i, const char* name, Dtype* dtype) const {
  const Napi::Value v = info_[i];
  const napi_typedarray_type kind = v.IsTypedArray() ? typed_kind(v) : napi_float64_array;
  if (kind == napi_float32_array || kind == napi_int32_array) {
    bool is_int = false;
    const Buffer<void> b = float32_or_int32(i, name, &is_int);
    *dtype = is_int ? Dtype::kInt32 : Dtype::kFloat32;
    return b;
  }
  if (!v.IsTypedArray() || kind != napi_uint8_array) {
    type_error(where(i, name) + " must be a Float32Array, an Int32Array or a Uint8Array, got " +
               describe(v));
  }
  *dtype = Dtype::kUint8;
  auto a = v.As<Napi::Uint8Array>();
  return {a.Data(), static_cast<int64_t>(a.ElementLength())};
}

Buffer<float> Args::float32_or_null(size_t i, const char* name) const {
  const Napi::Value v = info_[i];
  if (v.IsNull()) return {nullptr, 0};
  if (!v.IsTypedArray() || typed_kind(v) != napi_float32_array) {
    type_error(where(i, name) + " must be a Float32Array or null, got " + describe(v));
  }
  return float32(i, name);
}

Buffer<int32_t> Args::int32_or_null(size_t i, const char* name) const {
  const Napi::Value v = info_[i];
  if (v.IsNull()) return {nullptr, 0};
  if (!v.IsTypedArray() || typed_kind(v) != napi_int32_array) {
    type_error(where(i, name) + " must be an Int32Array or null, got " + describe(v));
  }
  return int32(i, name);
}

bool Args::is_null(size_t i) const { return info_[i].IsNull(); }

void Args::integers(size_t i, const char* name, int n, int64_t* out) const {
  integers_either(i, name, n, n, out);
}

int Args::integers_either(size_t i, const char* name, int n_a, int n_b, int64_t* out) const {
  const Napi::Value v = info_[i];
  if (!v.IsArray()) type_error(where(i, name) + " must be an array of integers, got " + describe(v));
  const auto arr = v.As<Napi::Array>();
  if (arr.Length() != static_cast<uint32_t>(n_a) && arr.Length() != static_cast<uint32_t>(n_b)) {
    range_error(where(i, name) + " must have " + std::to_string(n_a) +
                (n_b != n_a ? " or " + std::to_string(n_b) : std::string()) + " entries, got " +
                std::to_string(arr.Length()));
  }
  const int n = static_cast<int>(arr.Length());
  for (int d = 0; d < n; ++d) {
    const Napi::Value e = arr[static_cast<uint32_t>(d)];
    if (!e.IsNumber()) type_error(where(i, name) + " entry " + std::to_string(d) + " is " + describe(e));
    const double x = e.As<Napi::Number>().DoubleValue();
    if (!(std::fabs(x) <= kMaxSafeInteger) || x != std::floor(x)) {
      range_error(where(i, name) + " entry " + std::to_string(d) + " must be an integer, got " +
                  e.ToString().Utf8Value());
    }
    out[d] = static_cast<int64_t>(x);
  }
  return n;
}

uint32_t Args::dims(size_t i, const char* name, int ndim) const {
  const Napi::Value v = info_[i];
  if (!v.IsArray()) type_error(where(i, name) + " must be an array of dims, got " + describe(v));
  const auto arr = v.As<Napi::Array>();
  const uint32_t n = arr.Length();
  if (n > static_cast<uint32_t>(ndim)) {
    range_error(where(i, name) + " lists " + std::to_string(n) + " dims, but the tensor has " +
                std::to_string(ndim));
  }
  uint32_t mask = 0;
  for (uint32_t k = 0; k < n; ++k) {
    const Napi::Value e = arr[k];
    if (!e.IsNumber()) {
      type_error(where(i, name) + " must hold numbers, but entry " + std::to_string(k) + " is " +
                 describe(e));
    }
    const double x = e.As<Napi::Number>().DoubleValue();
    if (!(x >= 0.0 && x < ndim) || x != std::floor(x)) {
      range_error(where(i, name) + " entry " + std::to_string(k) + " must be a dim in [0, " +
                  std::to_string(ndim) + "), got " + e.ToString().Utf8Value());
    }
    const uint32_t bit = 1u << static_cast<int>(x);
    if (mask & bit) {
      range_error(where(i, name) + " lists dim " + std::to_string(static_cast<int>(x)) + " twice");
    }
    mask |= bit;
  }
  return mask;
}

int Args::dim(size_t i, const char* name, int ndim) const {
  const Napi::Value v = info_[i];
  if (!v.IsNumber()) type_error(where(i, name) + " must be a number, got " + describe(v));
  const double x = v.As<Napi::Number>().DoubleValue();
  if (!(x >= 0.0 && x < ndim) || x != std::floor(x)) {
    range_error(where(i, name) + " must be a dim in [0, " + std::to_string(ndim) + "), got " +
                v.ToString().Utf8Value());
  }
  return static_cast<int>(x);
}

Shape Args::shape(size_t i, const char* name) const {
  const napi_env e = env();
  const napi_value v = info_[i];
  uint32_t n = 0;
  if (napi_get_array_length(e, v, &n) != napi_ok) {
    type_error(where(i, name) + " must be an array of sizes, got " + describe(info_[i]));
  }
  if (n > static_cast<uint32_t>(kMaxDims)) {
    range_error(where(i, name) + " has " + std::to_string(n) + " dimensions; at most " +
                std::to_string(kMaxDims) + " are supported");
  }
  Shape s;
  s.ndim = static_cast<int>(n);
  // The product of the non-zero extents must stay a safe integer, so that no stride overflows
  // even in a tensor with an empty dimension.
  double extent = 1.0;
  for (uint32_t d = 0; d < n; ++d) {
    napi_value entry;
    double x = 0;
    if (napi_get_element(e, v, d, &entry) != napi_ok) throw Napi::Error::New(e);
    if (napi_get_value_double(e, entry, &x) != napi_ok) {
      type_error(where(i, name) + " must hold numbers, but entry " + std::to_string(d) + " is " +
                 describe(Napi::Value(e, entry)));
    }
    if (!(x >= 0.0) || x != std::floor(x) || x > kMaxSafeInteger) {
      range_error(where(i, name) + " entry " + std::to_string(d) +
                  " must be a non-negative integer, got " + Napi::Value(e, entry).ToString().Utf8Value());
    }
    s.dim[d] = static_cast<int64_t>(x);
    if (x > 0) extent *= x;
    if (extent > kMaxSafeInteger) range_error(where(i, name) + " describes too many elements");
  }
  return s;
}

// The readers of numbers and booleans make one N-API call, which also checks the type, rather
// than a type test and a read: a gemm call with K = 0 (two booleans, three sizes) went from about
// 265 to 235 ns.
int64_t Args::integer(size_t i, const char* name, int64_t lo, int64_t hi) const {
  const Napi::Value v = info_[i];
  const double x = number(i, name);
  if (!(x >= static_cast<double>(lo) && x <= static_cast<double>(hi)) || x != std::floor(x)) {
    range_error(where(i, name) + " must be an integer in [" + std::to_string(lo) + ", " +
                std::to_string(hi) + "], got " + v.ToString().Utf8Value());
  }
  return static_cast<int64_t>(x);
}

double Args::finite(size_t i, const char* name) const {
  const Napi::Value v = info_[i];
  const double x = number(i, name);
  if (!std::isfinite(x)) range_error(where(i, name) + " must be finite, got " + v.ToString().Utf8Value());
  return x;
}

double Args::non_negative(size_t i, const char* name) const {
  const double x = finite(i, name);
  if (x < 0) range_error(where(i, name) + " must be non-negative, got " + info_[i].ToString().Utf8Value());
  return x;
}

double Args::number(size_t i, const char* name) const {
  double x = 0;
  if (napi_get_value_double(env(), info_[i], &x) != napi_ok) {
    type_error(where(i, name) + " must be a number, got " + describe(info_[i]));
  }
  return x;
}

bool Args::boolean(size_t i, const char* name) const {
  bool b = false;
  if (napi_get_value_bool(env(), info_[i], &b) != napi_ok) {
    type_error(where(i, name) + " must be a boolean, got " + describe(info_[i]));
  }
  return b;
}

}  // namespace binding
}  // namespace tg
