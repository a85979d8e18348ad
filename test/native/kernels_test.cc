// Kernel checks that need no Node: `cmake -DTENSORGRAD_NATIVE_TESTS=ON` then ctest.
// Each kernel is compared with a plain double-precision loop.
#include <cmath>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "../../native/kernels/cpu/arg_reduce.h"
#include "../../native/kernels/cpu/batch_norm.h"
#include "../../native/kernels/cpu/binary.h"
#include "../../native/kernels/cpu/compare.h"
#include "../../native/kernels/cpu/conv.h"
#include "../../native/kernels/cpu/conv_direct.h"
#include "../../native/kernels/cpu/cross_entropy.h"
#include "../../native/kernels/cpu/gemm.h"
#include "../../native/kernels/cpu/kernel_table.h"
#include "../../native/kernels/cpu/pool.h"
#include "../../native/kernels/cpu/random.h"
#include "../../native/kernels/cpu/reduce.h"
#include "../../native/kernels/cpu/softmax.h"
#include "../../native/kernels/cpu/unary.h"
#include "../../native/runtime/thread_pool.h"

namespace {

int failures = 0;

void check(bool ok, const char* what) {
  if (!ok) {
    std::printf("FAIL: %s\n", what);
    ++failures;
  }
}

// Known-answer vectors from Random123's kat_vectors for philox4x32_10.
void test_philox() {
  struct Kat { uint32_t ctr[4], key[2], out[4]; };
  const Kat kats[] = {
      {{0, 0, 0, 0}, {0, 0}, {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8}},
      {{0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff},
       {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd}},
      {{0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0},
       {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}},
  };
  for (const Kat& k : kats) {
    uint32_t out[4];
    tg::philox4x32(k.key, k.ctr, out);
    check(out[0] == k.out[0] && out[1] == k.out[1] && out[2] == k.out[2] && out[3] == k.out[3],
          "philox4x32-10 known answer");
  }
}

tg::Shape shape(std::initializer_list<int64_t> dims) {
  tg::Shape s;
  for (int64_t d : dims) s.dim[s.ndim++] = d;
  return s;
}

void test_binary_broadcast() {
  const tg::Shape as = shape({3, 1, 5}), bs = shape({4, 1}), os = shape({3, 4, 5});
  std::vector<float> a(15), b(4), out(60);
  for (int i = 0; i < 15; ++i) a[i] = 0.5f * i - 3;
  for (int i = 0; i < 4; ++i) b[i] = 1.0f + i;
  tg::binary_f32(tg::BinaryOp::kDiv, a.data(), as, b.data(), bs, out.data(), os);
  bool ok = true;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j)
      for (int k = 0; k < 5; ++k) {
        const double want = static_cast<double>(a[i * 5 + k]) / b[j];
        ok = ok && std::fabs(out[(i * 4 + j) * 5 + k] - want) < 1e-6;
      }
  check(ok, "binary div with broadcasting");
}

// Three-way broadcasting through the shared plan: cond [4, 1, 1], a [3, 5], b [4, 3, 1].
void test_where_broadcast() {
  const tg::Shape cs = shape({4, 1, 1}), as = shape({3, 5}), bs = shape({4, 3, 1}), os = shape({4, 3, 5});
  const uint8_t cond[4] = {1, 0, 7, 0};
  std::vector<float> a(15), b(12), out(60);
  for (int i = 0; i < 15; ++i) a[i] = static_cast<float>(i);
  for (int i = 0; i < 12; ++i) b[i] = -1.0f - i;
  tg::where_f32(cond, cs, a.data(), as, b.data(), bs, out.data(), os);
  bool ok = true;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 5; ++k) ok = ok && out[(i * 3 + j) * 5 + k] == (cond[i] ? a[j * 5 + k] : b[i * 3 + j]);
  check(ok, "where with three-way broadcasting");
  std::vector<uint8_t> lt(60);
  tg::compare_f32(tg::CompareOp::kLt, out.data(), os, a.data(), as, lt.data(), os);
  for (int i = 0; i < 60; ++i) ok = ok && lt[i] == (out[i] < a[i % 15]);
  check(ok, "compare lt with broadcasting");
}

// Each transpose pair on one cache block, and on K = 801 (three equal blocks) with rows and
// columns that leave partial 8 x 8 transposes and partial micro-tiles; with alpha and beta, and as
// a bare C = AB (the micro-kernel's and the dot tiles' own store paths; 20 rows end on a sliver of
// 8 or 2 rows, each with a plain micro-kernel of its own). Untransposed A with transposed B takes
// the dot tiles for 10 rows, for 7 columns at K = 300, and for 20 x 23 at K = 70. With B untransposed, the shapes of at
// most 16 columns take the narrow kernel (one vector per row of C) under one kernel set or
// another: 29 rows end on blocks of 4 and 1 after blocks of 12 (or 6). With A transposed it takes
// a whole vector of columns (16, 8 or 4), and a part vector up to K = 16 (29 x 11 x 13). One to
// four rows with B untransposed go by direct rows (whole and part runs of vectors); one row or
// column stored as one run of floats is read as its transpose (37 x 1, 1 x 37). With two columns,
// A B goes as dot products on a copy of B^T, and a bare A^T B with up to 4 (or 2) columns as
// direct rows of C^T copied out. A B at most 6 deep goes by direct rows for any rows (37 x 70 x 5).
// 150 x 600 x 500 packs all of A's rows for each of two slabs and B in runs of slivers (the
// last run and sliver partial) between the products. A B of at most two slivers a row is read in
// place, a partial last sliver packed (40 rows and 64, 50 or 24 columns, by kernel set). An
// untransposed A is read in place for at most four column slivers (37 x 29, 45 x 71 x 801 over
// three slabs, both ending on an odd sliver of rows, which is packed).
void test_gemm(float alpha, float beta) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> u(-1, 1);
  const int64_t shapes[][3] = {{37, 29, 53}, {45, 71, 801}, {20, 70, 30}, {10, 13, 300}, {37, 7, 300},
                               {29, 11, 37},  {29, 16, 45},  {13, 3, 20},  {29, 8, 33},   {35, 5, 400},
                               {29, 11, 13},  {29, 4, 9},    {20, 23, 70},  {1, 70, 40},   {2, 45, 33},
                               {3, 200, 20},  {4, 130, 17},  {37, 1, 53},   {1, 37, 20},   {1, 1, 30},
                               {37, 2, 53},   {300, 3, 50},  {45, 4, 30},   {37, 70, 5},   {9, 200, 2},
                               {150, 600, 500}, {40, 64, 100}, {40, 50, 100}, {40, 24, 100}};
  for (const auto& shape : shapes) {
    for (int ta = 0; ta < 2; ++ta)
      for (int tb = 0; tb < 2; ++tb) {
        const int64_t M = shape[0], N = shape[1], K = shape[2];
        std::vector<float> A(M * K), B(K * N), C(M * N, 1.0f);
        for (auto& x : A) x = u(rng);
        for (auto& x : B) x = u(rng);
        const int64_t lda = ta ? M : K, ldb = tb ? K : N;
        tg::sgemm(ta, tb, M, N, K, alpha, A.data(), lda, B.data(), ldb, beta, C.data(), N);
        double worst = 0;
        for (int64_t i = 0; i < M; ++i)
          for (int64_t j = 0; j < N; ++j) {
            double s = 0;
            for (int64_t p = 0; p < K; ++p) {
              const double a = ta ? A[p * lda + i] : A[i * lda + p];
              const double b = tb ? B[j * ldb + p] : B[p * ldb + j];
              s += a * b;
            }
            worst = std::fmax(worst, std::fabs(C[i * N + j] - (alpha * s + beta)));
          }
        check(worst < 1e-4, "sgemm against a double-precision loop");
      }
  }
}

// Operands inside wider matrices (lda, ldb and ldc past the sizes), for every transposition: the
// paths that read A or B where they lie must step by the leading dimension, and C's padding
// must be left alone. 45 x 71 x 801 reads an untransposed A in place over three slabs, 150 x 64 x
// 500 with a partial last sliver of rows, 300 x 200 x 100 packs it.
void test_gemm_strides() {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(-1, 1);
  const int64_t shapes[][3] = {{37, 40, 300}, {150, 64, 500}, {45, 71, 801}, {300, 200, 100}, {4, 70, 30}};
  for (const auto& shape : shapes) {
    for (int ta = 0; ta < 2; ++ta)
      for (int tb = 0; tb < 2; ++tb) {
        const int64_t M = shape[0], N = shape[1], K = shape[2];
        const int64_t lda = (ta ? M : K) + 7, ldb = (tb ? K : N) + 3, ldc = N + 5;
        std::vector<float> A((ta ? K : M) * lda), B((tb ? N : K) * ldb), C(M * ldc, 9.0f);
        for (auto& x : A) x = u(rng);
        for (auto& x : B) x = u(rng);
        tg::sgemm(ta, tb, M, N, K, 0.5f, A.data(), lda, B.data(), ldb, 0.0f, C.data(), ldc);
        double worst = 0;
        bool padding = true;
        for (int64_t i = 0; i < M; ++i) {
          for (int64_t j = 0; j < N; ++j) {
            double s = 0;
            for (int64_t p = 0; p < K; ++p) {
              s += double(ta ? A[p * lda + i] : A[i * lda + p]) * (tb ? B[j * ldb + p] : B[p * ldb + j]);
            }
            worst = std::fmax(worst, std::fabs(C[i * ldc + j] - 0.5 * s));
          }
          for (int64_t j = N; j < ldc; ++j) padding = padding && C[i * ldc + j] == 9.0f;
        }
        check(worst < 1e-4, "sgemm with leading dimensions past the sizes");
        check(padding, "sgemm leaves C's padding alone");
      }
  }
}

// K spans several cache blocks: alpha and beta apply once, the epilogue only after the last block.
// N = 7 runs as C^T = B^T A^T, so the biases swap roles there. With trans_b (B stored N x K), few
// rows or few columns take the dot-product tiles, which finish a row of outputs at a time.
void test_gemm_epilogue(int64_t M, int64_t N, int64_t K, bool trans_b = false, bool trans_a = false) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> A(M * K), B(K * N), C(M * N), rb(M), cb(N);
  for (auto& x : A) x = u(rng);
  for (auto& x : B) x = u(rng);
  for (auto& x : C) x = u(rng);
  for (auto& x : rb) x = u(rng);
  for (auto& x : cb) x = u(rng);
  const std::vector<float> C0 = C;
  tg::GemmEpilogue ep;
  ep.row_bias = rb.data();
  ep.col_bias = cb.data();
  ep.relu = true;
  const int64_t lda = trans_a ? M : K, ldb = trans_b ? K : N;
  tg::sgemm(trans_a, trans_b, M, N, K, 0.25f, A.data(), lda, B.data(), ldb, 0.5f, C.data(), N, ep);
  double worst = 0;
  for (int64_t i = 0; i < M; ++i)
    for (int64_t j = 0; j < N; ++j) {
      double s = 0;
      for (int64_t p = 0; p < K; ++p) {
        const double a = trans_a ? A[p * lda + i] : A[i * lda + p];
        s += a * (trans_b ? B[j * ldb + p] : B[p * ldb + j]);
      }
      const double want = std::fmax(0.0, 0.25 * s + 0.5 * C0[i * N + j] + rb[i] + cb[j]);
      worst = std::fmax(worst, std::fabs(C[i * N + j] - want));
    }
  check(worst < 1e-4, "sgemm with alpha, beta, row and column bias and ReLU over several K blocks");
}

// The packed path (300 x 200, and 150 x 1000 with B packed in runs), the narrow kernel (3001 x 10 or 3001 x 6; with A transposed,
// 3001 x 16, 3001 x 8 and 9001 x 11), direct rows (4 x 3001, 3 x 5001, and as C^T 3001 x 2) and
// dot products on a copy of B^T (9001 x 2). Each is large enough (2^20 products) to use the pool.
void test_thread_invariance(int64_t M, int64_t N, int64_t K, bool trans_a = false) {
  std::vector<float> A(M * K), B(K * N), C1(M * N), C2(M * N);
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(-1, 1);
  for (auto& x : A) x = u(rng);
  for (auto& x : B) x = u(rng);
  const int64_t lda = trans_a ? M : K;
  tg::set_num_threads(1);
  tg::sgemm(trans_a, false, M, N, K, 1, A.data(), lda, B.data(), N, 0, C1.data(), N);
  tg::set_num_threads(3);
  tg::sgemm(trans_a, false, M, N, K, 1, A.data(), lda, B.data(), N, 0, C2.data(), N);
  check(C1 == C2, "sgemm bitwise identical with 1 and 3 threads");
}

// y (with bias), dx, dw and db of a convolution by one double loop over (output, tap) pairs.
struct ConvReference {
  std::vector<double> y, dx, dw, db;
};

ConvReference conv_reference(const tg::Conv2dShape& s, const std::vector<float>& x, const std::vector<float>& w,
                             const std::vector<float>& b, const std::vector<float>& dy) {
  const int64_t cg = s.c / s.groups, og = s.o / s.groups;
  ConvReference r{std::vector<double>(dy.size()), std::vector<double>(x.size()), std::vector<double>(w.size()),
                  std::vector<double>(s.o)};
  for (int64_t n = 0; n < s.n; ++n)
    for (int64_t o = 0; o < s.o; ++o)
      for (int64_t oh = 0; oh < s.ho; ++oh)
        for (int64_t ow = 0; ow < s.wo; ++ow) {
          const int64_t yi = ((n * s.o + o) * s.ho + oh) * s.wo + ow;
          r.y[yi] += b[o];
          r.db[o] += dy[yi];
          for (int64_t c = 0; c < cg; ++c)
            for (int64_t i = 0; i < s.kh; ++i)
              for (int64_t j = 0; j < s.kw; ++j) {
                const int64_t ih = oh * s.sh - s.pt + i * s.dh, iw = ow * s.sw - s.pl + j * s.dw;
                if (ih < 0 || ih >= s.h || iw < 0 || iw >= s.w) continue;
                const int64_t xi = ((n * s.c + o / og * cg + c) * s.h + ih) * s.w + iw;
                const int64_t wi = ((o * cg + c) * s.kh + i) * s.kw + j;
                r.y[yi] += static_cast<double>(x[xi]) * w[wi];
                r.dx[xi] += static_cast<double>(dy[yi]) * w[wi];
                r.dw[wi] += static_cast<double>(dy[yi]) * x[xi];
              }
        }
  return r;
}

// A grouped, strided, dilated, asymmetrically padded convolution and its three gradients
// against one double loop over (output, tap) pairs; then 1 and 3 threads give the same bits.
void test_conv2d() {
  tg::Conv2dShape s{};
  s.n = 3, s.c = 4, s.h = 11, s.w = 9, s.o = 6, s.kh = 3, s.kw = 2, s.groups = 2;
  s.sh = 2, s.sw = 1, s.pt = 1, s.pl = 2, s.dh = 1, s.dw = 2;
  const int64_t pb = 0, pr = 1;
  s.ho = (s.h + s.pt + pb - s.dh * (s.kh - 1) - 1) / s.sh + 1;
  s.wo = (s.w + s.pl + pr - s.dw * (s.kw - 1) - 1) / s.sw + 1;
  const int64_t cg = s.c / s.groups;
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(-1, 1);
  std::vector<float> x(s.n * s.c * s.h * s.w), w(s.o * cg * s.kh * s.kw), b(s.o), dy(s.n * s.o * s.ho * s.wo);
  for (auto* v : {&x, &w, &b, &dy})
    for (auto& e : *v) e = u(rng);
  const ConvReference ref = conv_reference(s, x, w, b, dy);
  const std::vector<double>&y_ref = ref.y, &dx_ref = ref.dx, &dw_ref = ref.dw, &db_ref = ref.db;
  auto run = [&](int threads, std::vector<float>* y, std::vector<float>* dx, std::vector<float>* dw,
                 std::vector<float>* db) {
    tg::set_num_threads(threads);
    y->assign(dy.size(), 0.0f);
    dx->assign(x.size(), 0.0f);
    dw->assign(w.size(), 0.0f);
    db->assign(s.o, 0.0f);
    tg::conv2d_forward_f32(s, x.data(), w.data(), b.data(), false, y->data());
    tg::conv2d_backward_input_f32(s, dy.data(), w.data(), dx->data());
    tg::conv2d_backward_weight_f32(s, dy.data(), x.data(), dw->data(), db->data());
  };
  std::vector<float> y1, dx1, dw1, db1, y3, dx3, dw3, db3;
  run(1, &y1, &dx1, &dw1, &db1);
  run(3, &y3, &dx3, &dw3, &db3);
  auto close = [](const std::vector<float>& got, const std::vector<double>& want) {
    double worst = 0;
    for (size_t i = 0; i < got.size(); ++i) worst = std::fmax(worst, std::fabs(got[i] - want[i]));
    return worst < 1e-4;
  };
  check(close(y1, y_ref), "conv2d forward against a double-precision loop");
  check(close(dx1, dx_ref), "conv2d input gradient against a double-precision loop");
  check(close(dw1, dw_ref) && close(db1, db_ref), "conv2d weight and bias gradients against a double-precision loop");
  check(y1 == y3 && dx1 == dx3 && dw1 == dw3 && db1 == db3, "conv2d and its gradients bitwise identical with 1 and 3 threads");
}

// The flat-taps forms (conv_direct.h), called directly on stride-1 shapes of every kind: padding
// on any side, beyond the kernel (cropped in the input gradient's padded dy) or none, depth
// blocks (40 channels of 3x3 taps), groups, several row slivers, bias and ReLU, rows wider than
// a tile, the weight gradient's batch in blocks (spread by tiles or by blocks); against a double
// loop, and with 1 and 3 threads over one image (chunks of tiles) and nine (an image a task).
void test_conv2d_direct() {
  struct Case { int64_t n, c, h, w, o, kh, kw, groups, pt, pb, pl, pr; };
  const Case cases[] = {
      {2, 3, 7, 6, 5, 3, 3, 1, 1, 1, 1, 1},   {1, 40, 9, 11, 13, 3, 3, 1, 1, 1, 1, 1},
      {9, 4, 5, 40, 26, 3, 2, 2, 0, 2, 1, 0}, {1, 2, 6, 5, 3, 2, 3, 1, 3, 0, 0, 4},
      {3, 6, 12, 12, 9, 5, 5, 3, 0, 0, 0, 0}, {1, 1, 1, 1, 2, 1, 1, 1, 0, 0, 0, 0},
      // the weight gradient's batch in seven blocks of one image: by tiles on one thread, by
      // blocks in one wave on three
      {7, 8, 128, 128, 16, 3, 3, 1, 1, 1, 1, 1},
      // 30 blocks of one image under AVX-512 (10 of three under AVX2): by blocks in two waves
      // (24 + 6) on three threads
      {30, 1, 64, 64, 1, 1, 1, 1, 0, 0, 0, 0},
      // 8 blocks wanted of 9 images under AVX-512, which make 5 (4 of 2 and one of 1)
      {9, 1, 48, 48, 1, 1, 1, 1, 0, 0, 0, 0},
      // 40 output channels: two weight tiles across them under every kernel set, the second
      // partial
      {2, 8, 10, 10, 40, 3, 3, 1, 1, 1, 1, 1},
      // two groups over six blocks of one image: by blocks on three threads
      {6, 4, 64, 64, 64, 3, 3, 2, 1, 1, 1, 1},
  };
  std::mt19937 rng(8);
  std::uniform_real_distribution<float> u(-1, 1);
  for (const Case& k : cases) {
    tg::Conv2dShape s{};
    s.n = k.n, s.c = k.c, s.h = k.h, s.w = k.w, s.o = k.o, s.kh = k.kh, s.kw = k.kw, s.groups = k.groups;
    s.sh = s.sw = s.dh = s.dw = 1, s.pt = k.pt, s.pl = k.pl;
    s.ho = s.h + k.pt + k.pb - s.kh + 1;
    s.wo = s.w + k.pl + k.pr - s.kw + 1;
    const int64_t cg = s.c / s.groups;
    std::vector<float> x(s.n * s.c * s.h * s.w), w(s.o * cg * s.kh * s.kw), b(s.o), dy(s.n * s.o * s.ho * s.wo);
    for (auto* v : {&x, &w, &b, &dy})
      for (auto& e : *v) e = u(rng);
    ConvReference ref = conv_reference(s, x, w, b, dy);
    std::vector<double>&y_ref = ref.y, &dx_ref = ref.dx, &dw_ref = ref.dw;
    for (auto& v : y_ref) v = std::fmax(v, 0.0);
    auto run = [&](int threads, std::vector<float>* y, std::vector<float>* dx, std::vector<float>* dw) {
      tg::set_num_threads(threads);
      y->assign(dy.size(), NAN);
      dx->assign(x.size(), NAN);
      dw->assign(w.size(), NAN);
      tg::conv2d_forward_direct(s, x.data(), w.data(), b.data(), true, y->data());
      tg::conv2d_backward_input_direct(s, dy.data(), w.data(), dx->data());
      tg::conv2d_backward_weight_direct(s, dy.data(), x.data(), dw->data());
    };
    std::vector<float> y1, dx1, dw1, y3, dx3, dw3;
    run(1, &y1, &dx1, &dw1);
    run(3, &y3, &dx3, &dw3);
    // The largest error, NaN (an element never written) once any is.
    auto worst = [](const std::vector<float>& got, const std::vector<double>& want) {
      double w = 0;
      for (size_t i = 0; i < got.size(); ++i) {
        const double d = std::fabs(got[i] - want[i]);
        if (std::isnan(d) || d > w) w = d;
      }
      return w;
    };
    auto close = [&](const std::vector<float>& got, const std::vector<double>& want) { return worst(got, want) < 1e-4; };
    check(close(y1, y_ref), "flat-taps conv2d forward with bias and ReLU against a double loop");
    check(close(dx1, dx_ref), "flat-taps conv2d input gradient against a double loop");
    // Each weight-gradient element sums n * ho * wo products in one lane, in order: its float32
    // rounding grows with that count (7 * 128 * 128 terms: 0.002 off about 400).
    check(worst(dw1, dw_ref) < 2e-6 * (4 + s.n * s.ho * s.wo), "flat-taps conv2d weight gradient against a double loop");
    check(y1 == y3 && dx1 == dx3 && dw1 == dw3, "flat-taps conv2d bitwise identical with 1 and 3 threads");
  }
}

// Max pooling over 2x2 windows (the vector path) and 3x3 windows of stride 2 with padding (the
// general one), with ties and a NaN, against a plain loop; the backward scatter puts each
// gradient at its index.
void test_max_pool() {
  for (int64_t k : {2, 3}) {
    tg::Pool2dShape s{};
    s.planes = 5, s.h = 10, s.w = 22, s.kh = k, s.kw = k, s.sh = 2, s.sw = 2;
    s.ph = k / 2 - (k == 2), s.pw = s.ph, s.dh = 1, s.dw = 1;
    s.ho = (s.h + 2 * s.ph - k) / 2 + 1, s.wo = (s.w + 2 * s.pw - k) / 2 + 1;
    std::vector<float> x(s.planes * s.h * s.w), y(s.planes * s.ho * s.wo), g(y.size(), 1.0f), dx(x.size());
    std::vector<int32_t> idx(y.size());
    for (size_t i = 0; i < x.size(); ++i) x[i] = static_cast<float>((i * 7) % 5);  // ties
    x[37] = NAN;
    tg::max_pool2d_f32(s, x.data(), y.data(), idx.data());
    bool ok = true;
    for (int64_t p = 0; p < s.planes; ++p)
      for (int64_t oh = 0; oh < s.ho; ++oh)
        for (int64_t ow = 0; ow < s.wo; ++ow) {
          float m = -INFINITY;
          int64_t at = -1;
          for (int64_t i = 0; i < k; ++i)
            for (int64_t j = 0; j < k; ++j) {
              const int64_t ih = oh * 2 - s.ph + i, iw = ow * 2 - s.pw + j;
              if (ih < 0 || ih >= s.h || iw < 0 || iw >= s.w) continue;
              const float v = x[p * s.h * s.w + ih * s.w + iw];
              if (at < 0 || v > m || v != v) m = v, at = ih * s.w + iw;
            }
          const int64_t o = (p * s.ho + oh) * s.wo + ow;
          ok = ok && idx[o] == at && (y[o] == m || (y[o] != y[o] && m != m));
        }
    check(ok, k == 2 ? "max pool 2x2: values, indices, ties and NaN" : "max pool 3x3 stride 2 padding 1");
    tg::max_pool2d_backward_f32(s, g.data(), idx.data(), dx.data());
    std::vector<float> want(x.size(), 0.0f);
    for (size_t o = 0; o < idx.size(); ++o) want[o / (s.ho * s.wo) * s.h * s.w + idx[o]] += 1.0f;
    check(dx == want, "max pool backward scatters to the indices");
  }
}

// Sums over dim 1 of [A, B, C] and over dims {0, 2}, against double loops.
void test_reduce_sum() {
  const int64_t A = 7, B = 301, C = 5;
  std::vector<float> x(A * B * C);
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(-1, 1);
  for (auto& v : x) v = u(rng);
  std::vector<float> mid(A * C), outer(B);
  tg::reduce_f32(tg::ReduceOp::kSum, x.data(), shape({A, B, C}), 0b010, mid.data());
  tg::reduce_f32(tg::ReduceOp::kMean, x.data(), shape({A, B, C}), 0b101, outer.data());
  double worst = 0;
  for (int64_t a = 0; a < A; ++a)
    for (int64_t c = 0; c < C; ++c) {
      double s = 0;
      for (int64_t b = 0; b < B; ++b) s += x[(a * B + b) * C + c];
      worst = std::fmax(worst, std::fabs(mid[a * C + c] - s));
    }
  for (int64_t b = 0; b < B; ++b) {
    double s = 0;
    for (int64_t a = 0; a < A; ++a)
      for (int64_t c = 0; c < C; ++c) s += x[(a * B + b) * C + c];
    worst = std::fmax(worst, std::fabs(outer[b] - s / (A * C)));
  }
  check(worst < 1e-5, "sum and mean over dims against double loops");
}

// A full sum of 10^6 floats: accurate, and bitwise the same for 1 and 3 threads.
void test_full_sum() {
  const int64_t n = 1000000;
  std::vector<float> x(n);
  std::mt19937 rng(12);
  std::uniform_real_distribution<float> u(0, 1);
  double exact = 0;
  for (auto& v : x) {
    v = u(rng);
    exact += v;
  }
  float one = 0, three = 0;
  tg::set_num_threads(1);
  tg::reduce_f32(tg::ReduceOp::kSum, x.data(), shape({n}), 1, &one);
  tg::set_num_threads(3);
  tg::reduce_f32(tg::ReduceOp::kSum, x.data(), shape({n}), 1, &three);
  check(std::fabs(one - exact) <= 1e-6 * exact, "full sum of 10^6 floats within 1e-6 relative");
  check(one == three, "full sum bitwise identical with 1 and 3 threads");
  int32_t index = -1;
  x[654321] = 2.0f;
  tg::arg_reduce_f32(tg::ArgReduceOp::kMax, x.data(), shape({n}), 0, nullptr, &index);
  check(index == 654321, "argmax over 10^6 floats");
}

// softmax along the last dim and along a middle dim, and cross entropy, against double loops:
// rows of 37, and of 10 in 120 rows (short rows, which run a block of rows at a time).
void test_softmax(int64_t outer, int64_t D) {
  const int64_t inner = 4;
  std::vector<float> x(outer * D * inner), y(x.size()), ly(x.size());
  std::mt19937 rng(13);
  std::uniform_real_distribution<float> u(-5, 5);
  for (auto& v : x) v = u(rng);
  double worst = 0;
  for (int64_t in : {int64_t{1}, inner}) {
    const int64_t out = static_cast<int64_t>(x.size()) / (D * in);
    tg::softmax_f32(x.data(), y.data(), out, D, in, false);
    tg::softmax_f32(x.data(), ly.data(), out, D, in, true);
    for (int64_t o = 0; o < out; ++o)
      for (int64_t j = 0; j < in; ++j) {
        double m = -INFINITY, s = 0;
        for (int64_t d = 0; d < D; ++d) m = std::fmax(m, x[(o * D + d) * in + j]);
        for (int64_t d = 0; d < D; ++d) s += std::exp(x[(o * D + d) * in + j] - m);
        for (int64_t d = 0; d < D; ++d) {
          const int64_t i = (o * D + d) * in + j;
          const double want = std::exp(x[i] - m) / s;
          worst = std::fmax(worst, std::fabs(y[i] - want) / want);
          worst = std::fmax(worst, std::fabs(ly[i] - std::log(want)) / (1 + std::fabs(std::log(want))));
        }
      }
  }
  check(worst < 1e-5, ("softmax and log-softmax against double loops, D = " + std::to_string(D)).c_str());

  // Cross entropy (mean) of [outer * inner, D] rows: the mean of -log softmax at the targets.
  const int64_t N = outer * inner;
  std::vector<int32_t> target(N);
  for (int64_t n = 0; n < N; ++n) target[n] = static_cast<int32_t>((n * 7) % D);
  tg::LossArgs a;
  a.N = N;
  a.C = D;
  float loss = 0;
  std::vector<float> grad(N * D);
  tg::cross_entropy_f32(a, x.data(), target.data(), &loss, grad.data());
  double want = 0, grad_sum = 0;
  for (int64_t n = 0; n < N; ++n) {
    double m = -INFINITY, s = 0;
    for (int64_t c = 0; c < D; ++c) m = std::fmax(m, x[n * D + c]);
    for (int64_t c = 0; c < D; ++c) s += std::exp(x[n * D + c] - m);
    want += (m + std::log(s) - x[n * D + target[n]]) / N;
    for (int64_t c = 0; c < D; ++c) grad_sum += grad[n * D + c];
  }
  check(std::fabs(loss - want) < 1e-5 * std::fabs(want), ("cross entropy against a double loop, C = " + std::to_string(D)).c_str());
  check(std::fabs(grad_sum) < 1e-5, "cross entropy gradient rows sum to zero");
}

// Short rows (D < 16) run sixteen rows at a time under AVX-512 and a block of rows at a time
// elsewhere: the results are the bits of each row alone, NaN, infinities and signed zeros
// included, out of place and in place.
void test_softmax_short_rows_bits() {
  std::mt19937 rng(17);
  std::uniform_real_distribution<float> u(-30, 30);
  for (int64_t D : {2, 10, 15}) {
    const int64_t R = 37;
    std::vector<float> x(R * D);
    for (auto& v : x) v = u(rng);
    x[3 * D + 1] = NAN;
    x[5 * D] = INFINITY;
    x[6 * D + 1] = -INFINITY;
    for (int64_t d = 0; d < D; ++d) x[7 * D + d] = d % 2 ? 0.0f : -0.0f;
    x[20 * D] = 1e30f;
    for (bool log : {false, true}) {
      std::vector<float> all(x.size()), one(x.size()), in_place = x;
      tg::softmax_f32(x.data(), all.data(), R, D, 1, log);
      tg::softmax_f32(in_place.data(), in_place.data(), R, D, 1, log);
      for (int64_t r = 0; r < R; ++r) tg::softmax_f32(x.data() + r * D, one.data() + r * D, 1, D, 1, log);
      const bool same = std::memcmp(all.data(), one.data(), all.size() * 4) == 0 &&
                        std::memcmp(in_place.data(), one.data(), all.size() * 4) == 0;
      check(same, ("short-row softmax gives the bits of each row alone, D = " + std::to_string(D)).c_str());
    }
  }
}

float float_from_bits(uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

// Distance from got to the exact value want, in units of the float spacing at want (the
// smallest subnormal spacing below the normal range).
double ulp_error(float got, double want) {
  if (std::isnan(want)) return std::isnan(got) ? 0 : INFINITY;
  const float rounded = static_cast<float>(want);  // inf where want is past the float range
  if (std::isinf(rounded) || std::isinf(got)) return got == rounded ? 0 : INFINITY;
  const double a = std::fabs(want);
  const double ulp = a < 0x1p-126 ? 0x1p-149 : std::ldexp(1.0, std::ilogb(a) - 23);
  return std::fabs(got - want) / ulp;
}

// The kernel at every `step`-th float of magnitude in [lo, hi], with the given sign, against a
// double reference: the worst ulp error, and where.
double sweep(tg::UnaryOp op, double p0, double (*ref)(double), float lo, float hi, float sign,
             float* worst_x) {
  constexpr uint32_t kStep = 509;  // prime, so the sweep meets every mantissa pattern mod 509
  uint32_t a, b;
  std::memcpy(&a, &lo, 4);
  std::memcpy(&b, &hi, 4);
  std::vector<float> xs;
  for (uint64_t u = a; u <= b; u += kStep) xs.push_back(sign * float_from_bits(static_cast<uint32_t>(u)));
  std::vector<float> out(xs.size());
  tg::unary_f32(op, xs.data(), out.data(), static_cast<int64_t>(xs.size()), p0, 0);
  double worst = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    const double e = ulp_error(out[i], ref(xs[i]));
    if (e > worst) worst = e, *worst_x = xs[i];
  }
  return worst;
}

double sigmoid_ref(double x) { return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x)); }
double gelu_ref(double x) { return 0.5 * x * std::erfc(-x * M_SQRT1_2); }
double gelu_tanh_ref(double x) { return x * sigmoid_ref(2 * std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)); }

// Dense sweeps of the transcendental kernels against double-precision libm, over the inputs
// where each result is a normal or subnormal float; prints the worst error in ulp.
void test_unary_accuracy() {
  struct Case {
    const char* name;
    tg::UnaryOp op;
    double p0;
    double (*ref)(double);
    float lo, hi;  // both signs of [lo, hi] when lo > 0
    double max_ulp;
  };
  static const Case cases[] = {
      {"exp", tg::UnaryOp::kExp, 0, [](double x) { return std::exp(x); }, 0x1p-30f, 104.0f, 2},
      {"log", tg::UnaryOp::kLog, 0, [](double x) { return std::log(x); }, 0x1p-149f, 3e38f, 2},
      {"tanh", tg::UnaryOp::kTanh, 0, [](double x) { return std::tanh(x); }, 0x1p-30f, 12.0f, 3},
      {"sigmoid", tg::UnaryOp::kSigmoid, 0, sigmoid_ref, 0x1p-30f, 103.0f, 3},
      {"log1p", tg::UnaryOp::kLog1p, 0, [](double x) { return std::log1p(x); }, 0x1p-30f, 3e38f, 2},
      {"expm1", tg::UnaryOp::kExpm1, 0, [](double x) { return std::expm1(x); }, 0x1p-30f, 88.7f, 2},
      {"erf", tg::UnaryOp::kErf, 0, [](double x) { return std::erf(x); }, 0x1p-30f, 5.0f, 1},
      {"gelu", tg::UnaryOp::kGelu, 0, gelu_ref, 0x1p-30f, 14.0f, 5},
      {"geluTanh", tg::UnaryOp::kGeluTanh, 0, gelu_tanh_ref, 0x1p-30f, 11.0f, 4},
      {"pow 2.5", tg::UnaryOp::kPow, 2.5, [](double x) { return std::pow(x, 2.5); }, 0x1p-40f, 1e15f, 1},
      {"pow -1.7", tg::UnaryOp::kPow, -1.7, [](double x) { return std::pow(x, -1.7); }, 0x1p-60f, 1e20f, 1},
  };
  for (const Case& c : cases) {
    const bool both_signs = c.op != tg::UnaryOp::kLog && c.op != tg::UnaryOp::kPow;
    float wx = 0, x = 0;
    double worst = sweep(c.op, c.p0, c.ref, c.lo, c.hi, 1.0f, &wx);
    const double neg = both_signs ? sweep(c.op, c.p0, c.ref, c.lo, c.hi, -1.0f, &x) : 0;
    if (neg > worst) worst = neg, wx = x;
    std::printf("  %-8s max error %.2f ulp (at %.9g)\n", c.name, worst, wx);
    char what[96];
    std::snprintf(what, sizeof what, "%s within %g ulp of double libm", c.name, c.max_ulp);
    check(worst <= c.max_ulp, what);
  }
}

// Batch norm over [N, C, S] with a large mean offset: statistics, forward and training backward
// against double loops; then 1 and 3 threads give the same bits.
void test_batch_norm() {
  const tg::BatchNormDims d{5, 3, 37};
  const int64_t C = d.C, M = d.N * d.S, n = d.N * d.C * d.S;
  std::vector<float> x(n), dy(n), w(C), b(C);
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> u(-1, 1);
  for (auto& v : x) v = 1000.0f + 2.0f * u(rng);
  for (auto& v : dy) v = u(rng);
  for (int64_t c = 0; c < C; ++c) w[c] = 1.0f + 0.5f * u(rng), b[c] = u(rng);
  std::vector<double> mean(C), var(C), invstd(C);
  tg::batch_norm_stats_f32(d, x.data(), mean.data(), var.data());
  std::vector<float> center(C), scale(C), shift(C), y(n), dx(n), dw(C), db(C);
  tg::BatchNormAffine f{center.data(), scale.data(), shift.data()};
  tg::batch_norm_scale_shift(C, mean.data(), var.data(), 1e-5, w.data(), b.data(), f, invstd.data());
  tg::batch_norm_apply_f32(d, x.data(), f, y.data());
  tg::BatchNormGrad g;
  g.dy = dy.data(), g.x = x.data(), g.mean = mean.data(), g.invstd = invstd.data();
  g.weight = w.data(), g.dx = dx.data(), g.dweight = dw.data(), g.dbias = db.data();
  tg::batch_norm_backward_f32(d, g);
  double worst_stat = 0, worst_y = 0, worst_dx = 0, worst_dwb = 0;
  for (int64_t c = 0; c < C; ++c) {
    double m = 0, q = 0, sdy = 0, sdyx = 0;
    auto at = [&](int64_t i, int64_t s) { return (i * C + c) * d.S + s; };
    for (int64_t i = 0; i < d.N; ++i)
      for (int64_t s = 0; s < d.S; ++s) m += x[at(i, s)];
    m /= static_cast<double>(M);
    for (int64_t i = 0; i < d.N; ++i)
      for (int64_t s = 0; s < d.S; ++s) q += (x[at(i, s)] - m) * (x[at(i, s)] - m);
    q /= static_cast<double>(M);
    const double is = 1.0 / std::sqrt(q + 1e-5);
    worst_stat = std::fmax(worst_stat, std::fmax(std::fabs(mean[c] - m), std::fabs(var[c] - q)));
    for (int64_t i = 0; i < d.N; ++i)
      for (int64_t s = 0; s < d.S; ++s) {
        const double xhat = (x[at(i, s)] - m) * is;
        worst_y = std::fmax(worst_y, std::fabs(y[at(i, s)] - (xhat * w[c] + b[c])));
        sdy += dy[at(i, s)];
        sdyx += dy[at(i, s)] * xhat;
      }
    for (int64_t i = 0; i < d.N; ++i)
      for (int64_t s = 0; s < d.S; ++s) {
        const double xhat = (x[at(i, s)] - m) * is;
        const double want = w[c] * is * (dy[at(i, s)] - sdy / M - xhat * sdyx / M);
        worst_dx = std::fmax(worst_dx, std::fabs(dx[at(i, s)] - want));
      }
    worst_dwb = std::fmax(worst_dwb, std::fmax(std::fabs(dw[c] - sdyx), std::fabs(db[c] - sdy)));
  }
  check(worst_stat < 1e-9, "batch norm statistics of x + 1000 within 1e-9 of double");
  check(worst_y < 1e-5, "batch norm forward of x + 1000 within 1e-5");
  check(worst_dx < 1e-4, "batch norm backward dx within 1e-4");
  check(worst_dwb < 1e-3, "batch norm dweight and dbias within 1e-3");

  // Thread invariance on a shape that splits into many tasks.
  const tg::BatchNormDims big{64, 4, 1024};
  std::vector<float> bx(big.N * big.C * big.S);
  for (auto& v : bx) v = 3.0f * u(rng) + 10.0f;
  std::vector<double> m1(4), v1(4), m3(4), v3(4);
  tg::set_num_threads(1);
  tg::batch_norm_stats_f32(big, bx.data(), m1.data(), v1.data());
  tg::set_num_threads(3);
  tg::batch_norm_stats_f32(big, bx.data(), m3.data(), v3.data());
  check(m1 == m3 && v1 == v3, "batch norm statistics bitwise identical with 1 and 3 threads");
}

}  // namespace

int main() {
  std::printf("kernel set: %s\n", tg::kernels().isa);
  test_philox();
  test_binary_broadcast();
  test_where_broadcast();
  test_gemm(0.5f, 2.0f);
  test_gemm(1.0f, 0.0f);
  test_gemm_strides();
  test_gemm_epilogue(150, 70, 600);
  test_gemm_epilogue(40, 700, 500);  // B packed in runs of slivers between the products
  // A transposed A read where it lies, an odd last sliver packed: one slab, then two.
  test_gemm_epilogue(37, 40, 300, false, true);
  test_gemm_epilogue(151, 70, 600, false, true);
  // An untransposed A read where it lies (at most 4 column slivers), likewise.
  test_gemm_epilogue(37, 40, 300);
  test_gemm_epilogue(151, 70, 600);
  test_gemm_epilogue(150, 7, 300);
  test_gemm_epilogue(3, 70, 300);
  test_gemm_epilogue(29, 11, 500);  // narrow kernel under AVX-512, with a part vector of columns
  test_gemm_epilogue(29, 16, 50);
  test_gemm_epilogue(30, 6, 40);  // narrow under AVX2 and portable
  // Narrow with A transposed: a part vector at K <= 16 (AVX-512), then whole vectors per set.
  for (const auto& s : {std::array<int64_t, 3>{29, 11, 13}, {29, 16, 50}, {30, 8, 40}, {29, 4, 9}}) {
    test_gemm_epilogue(s[0], s[1], s[2], false, true);
  }
  // Direct rows, and the vector forms (C = A^T b goes as C^T = b^T A, its biases swapped).
  for (const auto& s : {std::array<int64_t, 3>{3, 150, 40}, {1, 70, 30}, {4, 64, 9}, {40, 1, 30}, {1, 40, 30}}) {
    test_gemm_epilogue(s[0], s[1], s[2]);
    test_gemm_epilogue(s[0], s[1], s[2], false, true);
  }
  test_gemm_epilogue(40, 1, 30, true);
  test_gemm_epilogue(37, 2, 40);  // dot products on a copy of B^T
  test_gemm_epilogue(2001, 100, 6);  // shallow direct rows, blocks of rows on several threads
  test_gemm_epilogue(400, 1030, 500);  // wide blocks: one slab 500 deep, 192 rows packed at a time
  test_gemm_epilogue(500, 400, 100);  // many rows and a small B: blocks of rows, not all at once
  for (const auto& s : {std::array<int64_t, 3>{10, 13, 300}, {37, 7, 300}, {1, 9, 40}, {11, 11, 17}, {16, 3, 256},
                        {21, 19, 100}}) {
    test_gemm_epilogue(s[0], s[1], s[2], true);
  }
  test_thread_invariance(300, 200, 100);
  // Wide blocks: one slab either way; 192 rows packed at a time on one thread, 96 on three. Past
  // NC columns, the narrow last block goes in two slabs.
  test_thread_invariance(400, 1030, 500);
  test_thread_invariance(400, 4200, 500, true);
  // Fewer columns than rows: on three threads each task takes its own rows and packs its own B
  // (all rows at once for 167 rows, blocks of rows for 400); one thread goes by blocks of rows.
  test_thread_invariance(500, 400, 100);
  test_thread_invariance(1200, 400, 64, true);
  test_thread_invariance(150, 1000, 300);  // all of A packed, B in runs: 4 runs on one thread
  test_thread_invariance(301, 64, 200, true);  // a transposed A read in place, split by columns
  test_thread_invariance(301, 64, 200);  // an untransposed one, split by rows sharing B
  test_thread_invariance(3001, 10, 40);
  test_thread_invariance(3001, 6, 70);
  test_thread_invariance(3001, 16, 40, true);
  test_thread_invariance(3001, 8, 48, true);
  test_thread_invariance(9001, 11, 16, true);
  test_thread_invariance(4, 3001, 100);  // direct rows, split by runs of columns
  test_thread_invariance(3, 5001, 70, true);
  test_thread_invariance(9001, 2, 64);  // dot products on a copy of B^T
  test_thread_invariance(3001, 2, 200, true);  // direct rows of C^T
  test_thread_invariance(3001, 100, 4);  // shallow direct rows, split by rows and columns
  test_conv2d();
  test_conv2d_direct();
  test_max_pool();
  test_reduce_sum();
  test_full_sum();
  test_softmax(3, 37);
  test_softmax(120, 10);
  test_softmax_short_rows_bits();
  test_unary_accuracy();
  test_batch_norm();
  if (failures) return 1;
  std::printf("all kernel checks passed\n");
  return 0;
}
