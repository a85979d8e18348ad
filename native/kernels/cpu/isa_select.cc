#include <cstdlib>
#include <cstring>

#include "../../runtime/cpu_features.h"
#include "kernel_table.h"

namespace tg {
namespace {

// The build defines TG_X86_SIMD where it compiles the AVX2 and AVX-512 translation units.
#if defined(TG_X86_SIMD)
constexpr bool kHasX86Simd = true;
#else
constexpr bool kHasX86Simd = false;
#endif

enum Level { kGeneric = 0, kAvx2 = 1, kAvx512 = 2 };

Level best_supported() {
  if (!kHasX86Simd) return kGeneric;
  const CpuFeatures& f = cpu_features();
  if (f.avx512f && f.avx512bw && f.avx512dq && f.avx512vl && f.fma) return kAvx512;
  if (f.avx2 && f.fma) return kAvx2;
  return kGeneric;
}

IsaChoice choose() {
  static KernelTable tables[3];
  const char* env = std::getenv("TENSORGRAD_ISA");
  IsaChoice c{nullptr, env ? env : "", ""};
  Level want = kAvx512;
  if (env && *env) {
    if (!std::strcmp(env, "generic")) want = kGeneric;
    else if (!std::strcmp(env, "avx2")) want = kAvx2;
    else if (!std::strcmp(env, "avx512")) want = kAvx512;
    else c.note = "TENSORGRAD_ISA is not one of generic, avx2, avx512: ignored";
  }
  Level best = best_supported();
  Level level = want < best ? want : best;
  if (want > best && env && *env && !*c.note) c.note = "the CPU lacks the requested instruction set";
  fill_kernels_generic(&tables[kGeneric]);
#if defined(TG_X86_SIMD)
  if (level >= kAvx2) fill_kernels_avx2(&tables[kAvx2]);
  if (level >= kAvx512) fill_kernels_avx512(&tables[kAvx512]);
#endif
  c.table = &tables[level];
  return c;
}

}  // namespace

const IsaChoice& isa_choice() {
  static const IsaChoice c = choose();
  return c;
}

const char* isas_compiled() { return kHasX86Simd ? "avx512 avx2 generic" : "generic"; }

}  // namespace tg
