#include "cpu_features.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#define TG_X86 1
#endif

namespace tg {
namespace {

#if TG_X86
unsigned long long xgetbv0() {
  unsigned eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<unsigned long long>(edx) << 32) | eax;
}

CpuFeatures detect() {
  CpuFeatures f;
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return f;
  f.sse42 = c & bit_SSE4_2;
  const bool osxsave = c & bit_OSXSAVE;
  const bool avx_cpu = c & bit_AVX, fma_cpu = c & bit_FMA, f16c_cpu = c & bit_F16C;
  // The CPU may have AVX while the OS does not save its registers: XCR0 says what is enabled.
  const unsigned long long xcr0 = osxsave ? xgetbv0() : 0;
  const bool ymm_os = (xcr0 & 0x6) == 0x6;
  const bool zmm_os = (xcr0 & 0xe6) == 0xe6;
  f.avx = avx_cpu && ymm_os;
  f.fma = fma_cpu && f.avx;
  f.f16c = f16c_cpu && f.avx;
  if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
    f.avx2 = (b & bit_AVX2) && f.avx;
    const bool z = zmm_os && f.avx2;
    f.avx512f = z && (b & bit_AVX512F);
    f.avx512bw = f.avx512f && (b & bit_AVX512BW);
    f.avx512dq = f.avx512f && (b & bit_AVX512DQ);
    f.avx512vl = f.avx512f && (b & bit_AVX512VL);
    f.avx512vnni = f.avx512f && (c & bit_AVX512VNNI);
    if (__get_cpuid_count(7, 1, &a, &b, &c, &d)) f.avx512bf16 = f.avx512f && (a & (1u << 5));
  }
  return f;
}
#else
CpuFeatures detect() {
  CpuFeatures f;
#if defined(__aarch64__)
  f.neon = true;
#endif
  return f;
}
#endif

}  // namespace

std::string CpuFeatures::names() const {
  std::string s;
  auto add = [&s](bool on, const char* name) {
    if (!on) return;
    if (!s.empty()) s += ' ';
    s += name;
  };
  add(sse42, "sse4_2");
  add(avx, "avx");
  add(avx2, "avx2");
  add(fma, "fma");
  add(f16c, "f16c");
  add(avx512f, "avx512f");
  add(avx512bw, "avx512bw");
  add(avx512dq, "avx512dq");
  add(avx512vl, "avx512vl");
  add(avx512vnni, "avx512_vnni");
  add(avx512bf16, "avx512_bf16");
  add(neon, "neon");
  return s;
}

const CpuFeatures& cpu_features() {
  static const CpuFeatures f = detect();
  return f;
}

}  // namespace tg
