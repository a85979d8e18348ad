// The avx512 kernel set: isa_kernels.inc compiled with this unit's flags (see native/sources.gypi).
#define TG_ISA isa_avx512
#include "isa_kernels.inc"

namespace tg {
void fill_kernels_avx512(KernelTable* t) { isa_avx512::fill(t, "avx512"); }
}  // namespace tg
