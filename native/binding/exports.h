// Each family of exported functions adds itself to the addon's exports.
#pragma once

#include <napi.h>

namespace tg {
namespace binding {

void export_runtime(Napi::Env env, Napi::Object exports);
void export_elementwise(Napi::Env env, Napi::Object exports);
void export_unary(Napi::Env env, Napi::Object exports);
void export_linalg(Napi::Env env, Napi::Object exports);
void export_random(Napi::Env env, Napi::Object exports);
void export_layout(Napi::Env env, Napi::Object exports);
void export_reduce(Napi::Env env, Napi::Object exports);
void export_nn(Napi::Env env, Napi::Object exports);
void export_optim(Napi::Env env, Napi::Object exports);
void export_conv(Napi::Env env, Napi::Object exports);
void export_pool(Napi::Env env, Napi::Object exports);
void export_batch_norm(Napi::Env env, Napi::Object exports);

}  // namespace binding
}  // namespace tg
