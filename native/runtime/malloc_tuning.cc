#include "malloc_tuning.h"

#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace tg {
namespace {

bool apply() {
  const char* env = std::getenv("TENSORGRAD_MALLOC_TUNING");
  if (env && std::strcmp(env, "0") == 0) return false;
#if defined(__GLIBC__)
  const bool threshold = mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024) == 1;
  const bool trim = mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024) == 1;
  return threshold && trim;
#else
  return false;
#endif
}

}  // namespace

bool tune_malloc_once() {
  static const bool applied = apply();
  return applied;
}

}  // namespace tg
