// The avx2 kernel set: isa_kernels.inc compiled with this unit's flags (see native/sources.gypi).
#define TG_ISA isa_avx2
#include "isa_kernels.inc"

namespace tg {
void fill_kernels_avx2(KernelTable* t) { isa_avx2::fill(t, "avx2"); }
}  // namespace tg
