// Build facts, the chosen kernel set and the thread pool's size.
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

}  // namespace

void export_runtime(Napi::Env env, Napi::Object exports) {
  exports.Set("buildInfo", Napi::Function::New(env, build_info, "buildInfo"));
  exports.Set("getNumThreads", Napi::Function::New(env, get_num_threads, "getNumThreads"));
  exports.Set("setNumThreads", Napi::Function::New(env, set_num_threads_js, "setNumThreads"));
}

}  // namespace binding
}  // namespace tg
