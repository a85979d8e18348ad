/* The timing loop shared by the C peers of `npm run bench -- gemm` (gemm_openblas.c and
 * gemm_kernel.cc), so that OpenBLAS and tensorgrad's kernel are timed the same way: each argument
 * M,N,K,transA,transB is one product on the same data, timed in 7 batches of calls lasting about
 * 0.2 s in all; the median batch gives one GFLOP/s line per shape. */
#pragma once
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct gemm_case {
  int M, N, K, ta, tb, lda, ldb;
  float *A, *B, *C;
};

/* The product itself, supplied by each program. */
static void gemm_call(const struct gemm_case* g);

static double gemm_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* The bytes past a 64-byte boundary where every operand starts: GEMM_BYTE_OFFSET (a multiple of 4
 * below 64), else 0, where tensorgrad places a tensor's data. Left to malloc, the offset changed
 * with the shapes timed before in the same process, and with it the speed of small products on
 * both sides (OpenBLAS 256x2x128 TN: 66 GFLOP/s at 16 bytes past, 115 on a boundary). */
static long gemm_byte_offset(void) {
  const char* env = getenv("GEMM_BYTE_OFFSET");
  long off = env ? strtol(env, NULL, 10) : 0;
  return off >= 0 && off < 64 && off % 4 == 0 ? off : 0;
}

/* n floats at gemm_byte_offset() past a 64-byte boundary. Free with gemm_free. */
static float* gemm_alloc(long n) {
  char* p = (char*)malloc(sizeof(float) * n + 128);
  if (!p) return NULL;
  char* base = p + sizeof(char*); /* room to keep p just before the floats */
  char* at = base + ((gemm_byte_offset() + 64 - ((unsigned long)base & 63)) & 63);
  ((char**)at)[-1] = p;
  return (float*)at;
}

static void gemm_free(float* f) { free(((char**)f)[-1]); }

static int gemm_cmp(const void* a, const void* b) {
  double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

static double gemm_batch(const struct gemm_case* g, long inner) {
  double t0 = gemm_now();
  for (long i = 0; i < inner; i++) gemm_call(g);
  return gemm_now() - t0;
}

/* Runs every shape given on the command line; returns the process's exit status. */
static int gemm_time_shapes(int argc, char** argv) {
  for (int s = 1; s < argc; s++) {
    struct gemm_case g;
    if (sscanf(argv[s], "%d,%d,%d,%d,%d", &g.M, &g.N, &g.K, &g.ta, &g.tb) != 5) return 2;
    g.A = gemm_alloc((long)g.M * g.K);
    g.B = gemm_alloc((long)g.K * g.N);
    g.C = gemm_alloc((long)g.M * g.N);
    if (!g.A || !g.B || !g.C) return 3;
    for (long i = 0; i < (long)g.M * g.K; i++) g.A[i] = (float)(i % 13) / 13.0f - 0.5f;
    for (long i = 0; i < (long)g.K * g.N; i++) g.B[i] = (float)(i % 7) / 7.0f - 0.5f;
    g.lda = g.ta ? g.M : g.K;
    g.ldb = g.tb ? g.K : g.N;
    gemm_call(&g);
    long inner = 1;
    while (gemm_batch(&g, inner) * 7 < 0.2 && inner < (1 << 20)) inner *= 2;
    double times[7];
    for (int r = 0; r < 7; r++) times[r] = gemm_batch(&g, inner) / inner;
    qsort(times, 7, sizeof(double), gemm_cmp);
    printf("%.2f\n", 2.0 * g.M * g.N * g.K / times[3] / 1e9);
    fflush(stdout);
    gemm_free(g.A);
    gemm_free(g.B);
    gemm_free(g.C);
  }
  return 0;
}
