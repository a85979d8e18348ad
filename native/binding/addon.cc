// The addon's entry point. N-API modules are context-aware: this runs once per Node context
// (main thread or worker), and keeps no state of its own.
#include <napi.h>

#include "../runtime/malloc_tuning.h"
#include "exports.h"

namespace {

Napi::Object init(Napi::Env env, Napi::Object exports) {
  tg::tune_malloc_once();
  tg::binding::export_runtime(env, exports);
  tg::binding::export_elementwise(env, exports);
  tg::binding::export_unary(env, exports);
  tg::binding::export_linalg(env, exports);
  tg::binding::export_random(env, exports);
  tg::binding::export_layout(env, exports);
  tg::binding::export_reduce(env, exports);
  tg::binding::export_nn(env, exports);
  tg::binding::export_optim(env, exports);
  tg::binding::export_conv(env, exports);
  tg::binding::export_pool(env, exports);
  tg::binding::export_batch_norm(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(tensorgrad, init)
