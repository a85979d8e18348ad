// The generic kernel set: isa_kernels.inc compiled with this unit's flags (see native/sources.gypi).
#define TG_ISA isa_generic
#include "isa_kernels.inc"

namespace tg {
void fill_kernels_generic(KernelTable* t) { isa_generic::fill(t, "generic"); }
}  // namespace tg
