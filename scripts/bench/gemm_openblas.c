// OpenBLAS's cblas_sgemm on the shapes given as arguments (M,N,K,transA,transB), the peer of
// `npm run bench -- gemm`. Threads from OPENBLAS_NUM_THREADS. Prints one median GFLOP/s per shape.
#include <cblas.h>

#include "gemm_timing.h"

static void gemm_call(const struct gemm_case* g) {
  cblas_sgemm(CblasRowMajor, g->ta ? CblasTrans : CblasNoTrans, g->tb ? CblasTrans : CblasNoTrans,
              g->M, g->N, g->K, 1.0f, g->A, g->lda, g->B, g->ldb, 0.0f, g->C, g->N);
}

int main(int argc, char** argv) { return gemm_time_shapes(argc, argv); }
