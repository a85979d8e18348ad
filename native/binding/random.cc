// Random fills from the counter-based generator. The caller owns the generator state (key and
// counter) and advances the counter by ceil(n / 4) per call, so Node contexts share nothing.
#include "../kernels/cpu/random.h"
#include "args.h"
#include "exports.h"

namespace tg {
namespace binding {
namespace {

constexpr int64_t kMaxCounter = (int64_t{1} << 53) - 1;
constexpr int64_t kU32Max = 0xFFFFFFFFll;

Philox generator(const Args& args) {
  Philox g;
  g.key[0] = static_cast<uint32_t>(args.integer(1, "keyLo", 0, kU32Max));
  g.key[1] = static_cast<uint32_t>(args.integer(2, "keyHi", 0, kU32Max));
  g.counter = static_cast<uint64_t>(args.integer(3, "counter", 0, kMaxCounter));
  return g;
}

// randomUniform(out, keyLo, keyHi, counter, low, high)
Napi::Value random_uniform(const Napi::CallbackInfo& info) {
  Args args(info, "randomUniform", 6);
  const Buffer<float> out = args.float32(0, "out");
  const Philox g = generator(args);
  const double low = args.finite(4, "low"), high = args.finite(5, "high");
  if (!(low <= high)) args.range_error("low must not exceed high");
  random_uniform_f32(g, static_cast<float>(low), static_cast<float>(high), out.data, out.length);
  return args.env().Undefined();
}

// randomNormal(out, keyLo, keyHi, counter, mean, std)
Napi::Value random_normal(const Napi::CallbackInfo& info) {
  Args args(info, "randomNormal", 6);
  const Buffer<float> out = args.float32(0, "out");
  const Philox g = generator(args);
  const double mean = args.finite(4, "mean"), std = args.finite(5, "std");
  if (std < 0) args.range_error("std must be non-negative");
  random_normal_f32(g, static_cast<float>(mean), static_cast<float>(std), out.data, out.length);
  return args.env().Undefined();
}

// randomInt(out, keyLo, keyHi, counter, low, high): integers in [low, high)
Napi::Value random_int(const Napi::CallbackInfo& info) {
  Args args(info, "randomInt", 6);
  const Buffer<int32_t> out = args.int32(0, "out");
  const Philox g = generator(args);
  const int64_t low = args.integer(4, "low", INT32_MIN, INT32_MAX);
  const int64_t high = args.integer(5, "high", INT32_MIN, int64_t{INT32_MAX} + 1);
  if (high <= low) args.range_error("high must exceed low");
  if (high - low > kU32Max) args.range_error("the range high - low must fit in 32 bits");
  random_int_i32(g, static_cast<int32_t>(low), static_cast<uint32_t>(high - low), out.data,
                 out.length);
  return args.env().Undefined();
}

// randomBernoulli(out, keyLo, keyHi, counter, p)
Napi::Value random_bernoulli(const Napi::CallbackInfo& info) {
  Args args(info, "randomBernoulli", 5);
  const Buffer<float> out = args.float32(0, "out");
  const Philox g = generator(args);
  const double p = args.finite(4, "p");
  if (p < 0 || p > 1) args.range_error("p must be in [0, 1]");
  random_bernoulli_f32(g, static_cast<float>(p), out.data, out.length);
  return args.env().Undefined();
}

}  // namespace

void export_random(Napi::Env env, Napi::Object exports) {
  exports.Set("randomUniform", Napi::Function::New(env, random_uniform, "randomUniform"));
  exports.Set("randomNormal", Napi::Function::New(env, random_normal, "randomNormal"));
  exports.Set("randomInt", Napi::Function::New(env, random_int, "randomInt"));
  exports.Set("randomBernoulli", Napi::Function::New(env, random_bernoulli, "randomBernoulli"));
}

}  // namespace binding
}  // namespace tg
