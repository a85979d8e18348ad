// Build facts, the chosen kernel set, the thread pool's size, and where storage lies in memory.
#include <cstdint>
#include <string>

#include "../kernels/cpu/kernel_table.h"
#include "../runtime/cpu_features.h"
#include "../runtime/malloc_tuning.h"
#include "../runtime/thread_pool.h"
#include "args.h"
#include "exports.h"

#ifndef TG_BUILD_SYSTEM
#define TG_BUILD_SYSTEM "unknown"
#endif

namespace tg {
namespace binding {
namespace {

std::string compiler() {
#if defined(__clang__)
  return std::string("clang ") + __clang_version__;
#elif defined(__GNUC__)
  return std::string("gcc ") + __VERSION__;
#elif defined(_MSC_VER)
  return "msvc " + std::to_string(_MSC_VER);
#else
  return "unknown";
#endif
}

Napi::Value build_info(const Napi::CallbackInfo& info) {
  Args args(info, "buildInfo", 0);
  const IsaChoice& isa = isa_choice();
  Napi::Object o = Napi::Object::New(args.env());
  o.Set("buildSystem", TG_BUILD_SYSTEM);
  o.Set("napiVersion", NAPI_VERSION);
  o.Set("compiler", compiler());
  o.Set("cuda", false);
  o.Set("isa", isa.table->isa);
  o.Set("isaRequested", isa.requested);
  o.Set("isaNote", isa.note);
  o.Set("isasCompiled", isas_compiled());
  o.Set("cpuFeatures", cpu_features().names());
  o.Set("mallocTuned", tune_malloc_once());
  return o;
}

Napi::Value get_num_threads(const Napi::CallbackInfo& info) {
  Args args(info, "getNumThreads", 0);
  return Napi::Number::New(args.env(), num_threads());
}

Napi::Value set_num_threads_js(const Napi::CallbackInfo& info) {
  Args args(info, "setNumThreads", 1);
  set_num_threads(static_cast<int>(args.integer(0, "n", 1, 1024)));
  return args.env().Undefined();
}

// alignmentGap(buffer, byteOffset): the bytes from buffer's byte byteOffset up to the next
// kStorageAlign-byte boundary (0 when it lies on one), for storage.ts to place tensor data there.
// A full vector load across two cache lines costs two; V8 and malloc give 16-byte alignment only.
constexpr uint64_t kStorageAlign = 64;

Napi::Value alignment_gap(const Napi::CallbackInfo& info) {
  Args args(info, "alignmentGap", 2);
  if (!info[0].IsArrayBuffer()) {
    args.type_error("argument 1 (buffer) must be an ArrayBuffer, got " + describe(info[0]));
  }
  auto buffer = info[0].As<Napi::ArrayBuffer>();
  const int64_t offset = args.integer(1, "byteOffset", 0, static_cast<int64_t>(buffer.ByteLength()));
  const uint64_t at = reinterpret_cast<uintptr_t>(buffer.Data()) + static_cast<uint64_t>(offset);
  const uint64_t gap = (kStorageAlign - at % kStorageAlign) % kStorageAlign;
  return Napi::Number::New(args.env(), static_cast<double>(gap));
}

}  // namespace

void export_runtime(Napi::Env env, Napi::Object exports) {
  exports.Set("buildInfo", Napi::Function::New(env, build_info, "buildInfo"));
  exports.Set("getNumThreads", Napi::Function::New(env, get_num_threads, "getNumThreads"));
  exports.Set("setNumThreads", Napi::Function::New(env, set_num_threads_js, "setNumThreads"));
  exports.Set("alignmentGap", Napi::Function::New(env, alignment_gap, "alignmentGap"));
}

}  // namespace binding
}  // namespace tg
