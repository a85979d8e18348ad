// What the processor and the operating system let this process use, read once from cpuid.
#pragma once

#include <string>

namespace tg {

struct CpuFeatures {
  bool sse42 = false, avx = false, avx2 = false, fma = false, f16c = false;
  bool avx512f = false, avx512bw = false, avx512dq = false, avx512vl = false;
  bool avx512vnni = false, avx512bf16 = false;
  bool neon = false;

  // Feature names in cpuinfo spelling, space separated.
  std::string names() const;
};

const CpuFeatures& cpu_features();

}  // namespace tg
