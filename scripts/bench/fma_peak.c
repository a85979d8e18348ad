// The machine's FMA peak in GFLOP/s for 1..T threads: independent FMA chains in registers, enough
// of them to cover the latency, on 256-bit and (where the CPU has it) 512-bit vectors. Built and run by
// gemm.mjs; prints "threads gflops" lines.
#define _GNU_SOURCE
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

#define CHAINS 12
static const long kIters = 20000000;

__attribute__((target("avx2,fma"))) static double fma256(void) {
  __m256 acc[CHAINS];
  for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_set1_ps((float)i);
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (long it = 0; it < kIters; it++) {
#pragma GCC unroll 16
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  }
  float sink = 0;
  for (int i = 0; i < CHAINS; i++) sink += _mm256_cvtss_f32(acc[i]);
  return sink;
}

__attribute__((target("avx512f"))) static double fma512(void) {
  __m512 acc[CHAINS];
  for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_set1_ps((float)i);
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (long it = 0; it < kIters; it++) {
#pragma GCC unroll 16
    for (int i = 0; i < CHAINS; i++) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  }
  float sink = 0;
  for (int i = 0; i < CHAINS; i++) sink += _mm512_reduce_add_ps(acc[i]);
  return sink;
}

static int use512;
static volatile double sink;

static void* worker(void* arg) {
  (void)arg;
  sink = use512 ? fma512() : fma256();
  return NULL;
}

static double gflops(int threads, int wide) {
  use512 = wide;
  pthread_t t[64];
  double t0 = now();
  for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, worker, NULL);
  for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
  double dt = now() - t0;
  return threads * (double)kIters * CHAINS * (wide ? 16 : 8) * 2 / dt / 1e9;
}

int main(int argc, char** argv) {
  int max_threads = argc > 1 ? atoi(argv[1]) : 1;
  __builtin_cpu_init();
  int has512 = __builtin_cpu_supports("avx512f");
  for (int t = 1; t <= max_threads && t <= 64; t++) {
    double best = 0;
    for (int rep = 0; rep < 3; rep++) {
      double g = gflops(t, 0);
      if (has512) {
        double g5 = gflops(t, 1);
        if (g5 > g) g = g5;
      }
      if (g > best) best = g;
    }
    printf("%d %.1f\n", t, best);
  }
  return 0;
}
