// tensorgrad's sgemm called from C++, timed like OpenBLAS in gemm_openblas.c: the kernel alone,
// without the cost of a call through Node. Threads from TENSORGRAD_NUM_THREADS (the pool's
// default), kernel set from TENSORGRAD_ISA. Prints one median GFLOP/s per shape.
#include "../../native/kernels/cpu/gemm.h"
#include "gemm_timing.h"

static void gemm_call(const gemm_case* g) {
  tg::sgemm(g->ta, g->tb, g->M, g->N, g->K, 1.0f, g->A, g->lda, g->B, g->ldb, 0.0f, g->C, g->N);
}

int main(int argc, char** argv) { return gemm_time_shapes(argc, argv); }
