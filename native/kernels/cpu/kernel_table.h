// The set of inner loops compiled once per instruction set, and the one chosen at load time.
#pragma once

#include <cstdint>

namespace tg {

enum class BinaryOp : int { kAdd = 0, kSub, kMul, kDiv, kMaximum, kMinimum, kCount };
constexpr int kBinaryOpCount = static_cast<int>(BinaryOp::kCount);

// How the two operands advance along the innermost dimension of a broadcast loop.
enum class Stride2 : int { kBoth = 0, kAScalar, kBScalar, kNone, kCount };
constexpr int kStride2Count = static_cast<int>(Stride2::kCount);

// Reductions (reduce.h, arg_reduce.h). Codes mirrored by ReduceOpCode and ArgReduceOpCode in
// lib/backend/addon-types.ts.
enum class ReduceOp : int { kSum = 0, kMean, kProd, kMax, kMin, kCount };
constexpr int kReduceOpCount = static_cast<int>(ReduceOp::kCount);
enum class ArgReduceOp : int { kMax = 0, kMin, kCount };
constexpr int kArgReduceOpCount = static_cast<int>(ArgReduceOp::kCount);

// How a loss is reduced over samples: PyTorch's Reduction enum, in its order. Mirrored by
// LossReductionCode in lib/backend/addon-types.ts.
enum class LossReduction : int { kNone = 0, kMean, kSum, kCount };
constexpr int kLossReductionCount = static_cast<int>(LossReduction::kCount);

using BinaryLoopF32 = void (*)(int64_t n, const float* a, const float* b, float* out);
using BinaryLoopI32 = void (*)(int64_t n, const int32_t* a, const int32_t* b, int32_t* out);

// C[rows, N] = alpha * op(A) * op(B) + beta * C for rows [m0, m1) of C; row-major, leading dims.
using GemmRowsF32 = void (*)(bool trans_a, bool trans_b, int64_t m0, int64_t m1, int64_t N,
                             int64_t K, float alpha, const float* A, int64_t lda, const float* B,
                             int64_t ldb, float beta, float* C, int64_t ldc);

// A fold of In values into an accumulator Acc: `row` folds n contiguous values into acc and
// returns it; `col` folds x[j] into acc[j] for j < m (a tile of outputs side by side); `join`
// combines two partial results, the earlier one first.
template <typename In, typename Acc>
struct FoldLoops {
  Acc (*row)(const In* x, int64_t n, Acc acc);
  void (*col)(Acc* acc, const In* x, int64_t m);
  Acc (*join)(Acc earlier, Acc later);
};

// Sum of squared deviations from a per-output center, in double: the second pass of var.
struct SqDevLoops {
  double (*row)(const float* x, int64_t n, double center, double acc);
  void (*col)(double* acc, const float* x, int64_t m, const double* center);
};

// The best value seen so far and its index along the reduced dim; index -1 when none yet.
template <typename T>
struct ArgAcc {
  T value;
  int32_t index;
};

// argmax / argmin: the first best value wins; for float, the first NaN beats any number.
// `row` folds x[0..n), whose indices start at `first`; `col` folds x[j] (index r) into
// (best[j], index[j]) for j < m.
template <typename T>
struct ArgLoops {
  ArgAcc<T> (*row)(const T* x, int64_t n, int32_t first, ArgAcc<T> acc);
  void (*col)(T* best, int32_t* index, const T* x, int64_t m, int32_t r);
  ArgAcc<T> (*join)(ArgAcc<T> earlier, ArgAcc<T> later);
};

struct ReduceLoops {
  FoldLoops<float, double> sum_f32, prod_f32;
  FoldLoops<float, float> max_f32, min_f32;
  SqDevLoops sqdev_f32;
  FoldLoops<int32_t, uint32_t> sum_i32, prod_i32;  // modulo 2^32, as int32 arithmetic wraps
  FoldLoops<int32_t, int32_t> max_i32, min_i32;
  FoldLoops<uint8_t, uint32_t> sum_u8;
  ArgLoops<float> argmax_f32, argmin_f32;
  ArgLoops<int32_t> argmax_i32, argmin_i32;
};

// Softmax over D values: `row` for contiguous values; `cols` for w <= kSoftmaxTile columns,
// value d of column j at x[d * xs + j] and y[d * ys + j]. log selects log-softmax. y may be x.
constexpr int64_t kSoftmaxTile = 256;
struct SoftmaxLoops {
  void (*row)(const float* x, float* y, int64_t D, bool log);
  void (*cols)(const float* x, int64_t xs, float* y, int64_t ys, int64_t D, int64_t w, bool log);
  // dx from the upstream grad g and the forward output y; dx may be g or y.
  void (*backward_row)(const float* g, const float* y, float* dx, int64_t D, bool log);
  void (*backward_cols)(const float* g, const float* y, float* dx, int64_t D, int64_t stride,
                        int64_t w, bool log);
};

// Per-sample pieces of cross entropy over C classes at stride cs. w (class weights) may be null.
struct LossLoops {
  // sum_c w[c] * lp[c * cs], in double.
  double (*weighted_sum)(const float* lp, const float* w, int64_t C, int64_t cs);
  // g[c * cs] = exp(lp[c * cs]) * a - b * w[c]; g may be lp.
  void (*softmax_grad)(const float* lp, const float* w, float* g, int64_t C, int64_t cs, float a,
                       float b);
};

// Fused optimizer updates (optim.h computes the coefficients); each loop updates n elements.
struct SgdCoeffs {
  float lr, momentum, one_minus_dampening, weight_decay;
  bool maximize, nesterov, first_step, use_momentum;
};
struct AdamCoeffs {
  float beta1, one_minus_beta1, beta2, one_minus_beta2, eps, weight_decay;
  float decay_factor;     // AdamW: 1 - lr * weight_decay, else 1
  float neg_step_size;    // -lr / (1 - beta1^step)
  float bias_correction2_sqrt;
  bool maximize, amsgrad, l2;  // l2: Adam's weight decay added to the gradient
};
struct RmspropCoeffs {
  float lr, alpha, one_minus_alpha, eps, weight_decay, momentum;
  bool maximize, centered, use_momentum;
};
struct AdagradCoeffs {
  float neg_clr, eps, weight_decay;  // neg_clr: -lr / (1 + (step - 1) * lr_decay)
  bool maximize;
};
struct OptimLoops {
  void (*sgd)(int64_t n, float* p, const float* g, float* buf, const SgdCoeffs& c);
  void (*adam)(int64_t n, float* p, const float* g, float* m, float* v, float* vmax,
               const AdamCoeffs& c);
  void (*rmsprop)(int64_t n, float* p, const float* g, float* sq, float* gavg, float* buf,
                  const RmspropCoeffs& c);
  void (*adagrad)(int64_t n, float* p, const float* g, float* sum, const AdagradCoeffs& c);
};

struct KernelTable {
  const char* isa;  // "generic", "avx2" or "avx512"
  BinaryLoopF32 binary_f32[kBinaryOpCount][kStride2Count];
  BinaryLoopI32 binary_i32[kBinaryOpCount][kStride2Count];
  GemmRowsF32 gemm_rows_f32;
  ReduceLoops reduce;
  SoftmaxLoops softmax;
  LossLoops loss;
  OptimLoops optim;
};

// One per compiled instruction set; the x86 SIMD ones exist only in x86-64 builds.
void fill_kernels_generic(KernelTable* t);
void fill_kernels_avx2(KernelTable* t);
void fill_kernels_avx512(KernelTable* t);

struct IsaChoice {
  const KernelTable* table;
  const char* requested;  // TENSORGRAD_ISA as given, or "" when unset
  const char* note;       // why the choice differs from the request, or ""
};

// Chosen once per process: the best set the CPU runs, capped by TENSORGRAD_ISA
// (generic | avx2 | avx512).
const IsaChoice& isa_choice();
inline const KernelTable& kernels() { return *isa_choice().table; }

// The instruction sets compiled into this binary, best first, space separated.
const char* isas_compiled();

}  // namespace tg
