// OpenBLAS's cblas_sgemm on the shapes given as arguments (M,N,K,transA,transB), the peer of
// `npm run bench -- gemm`. Threads from OPENBLAS_NUM_THREADS. Prints one median GFLOP/s per shape.
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

int main(int argc, char** argv) {
  for (int s = 1; s < argc; s++) {
    int M, N, K, ta, tb;
    if (sscanf(argv[s], "%d,%d,%d,%d,%d", &M, &N, &K, &ta, &tb) != 5) return 2;
    float* A = malloc(sizeof(float) * M * K);
    float* B = malloc(sizeof(float) * K * N);
    float* C = malloc(sizeof(float) * M * N);
    for (long i = 0; i < (long)M * K; i++) A[i] = (float)(i % 13) / 13.0f - 0.5f;
    for (long i = 0; i < (long)K * N; i++) B[i] = (float)(i % 7) / 7.0f - 0.5f;
    const int lda = ta ? M : K, ldb = tb ? K : N;
    #define CALL cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans, \
                             M, N, K, 1.0f, A, lda, B, ldb, 0.0f, C, N)
    CALL;
    long inner = 1;
    for (;;) {
      double t0 = now();
      for (long i = 0; i < inner; i++) CALL;
      if ((now() - t0) * 7 >= 0.2 || inner >= (1 << 20)) break;
      inner *= 2;
    }
    double times[7];
    for (int r = 0; r < 7; r++) {
      double t0 = now();
      for (long i = 0; i < inner; i++) CALL;
      times[r] = (now() - t0) / inner;
    }
    qsort(times, 7, sizeof(double), cmp);
    printf("%.2f\n", 2.0 * M * N * K / times[3] / 1e9);
    fflush(stdout);
    free(A);
    free(B);
    free(C);
  }
  return 0;
}
