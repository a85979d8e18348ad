// The set of inner loops compiled once per instruction set, and the one chosen at load time.
#pragma once

#include <cstdint>

#include "batch_norm_loops.h"
#include "conv_loops.h"
#include "optim_loops.h"
#include "pool_loops.h"
#include "reduce_loops.h"
#include "softmax_loops.h"

namespace tg {

// Op codes are part of the addon's interface (lib/backend/addon-types.ts mirrors them): append
// new ops before kCount, never renumber.
enum class BinaryOp : int { kAdd = 0, kSub, kMul, kDiv, kMaximum, kMinimum, kPow, kCount };
constexpr int kBinaryOpCount = static_cast<int>(BinaryOp::kCount);

// out = f(x); the parameters p0, p1 are named after the op, unused ones are ignored.
enum class UnaryOp : int {
  kNeg = 0,
  kExp,
  kLog,
  kLog1p,
  kExpm1,
  kSqrt,
  kRsqrt,
  kAbs,
  kSign,  // sign(NaN) = 0, as torch.sign gives
  kRelu,
  kSigmoid,
  kTanh,
  kGelu,      // exact: x * Phi(x)
  kGeluTanh,  // approximate='tanh'
  kSilu,
  kSoftplus,   // p0 = beta, p1 = threshold
  kElu,        // p0 = alpha
  kLeakyRelu,  // p0 = negative slope
  kClamp,      // p0 = min, p1 = max (-inf / +inf when absent)
  kPow,        // p0 = exponent
  kSquare,
  kReciprocal,
  kErf,
  kCount
};
constexpr int kUnaryOpCount = static_cast<int>(UnaryOp::kCount);

// out = grad * f'(saved): saved is the op's input x, or its output y where the name says so.
enum class UnaryBackwardOp : int {
  kRelu = 0,    // saved x (or y: the same mask)
  kLeakyRelu,   // saved x; p0 = negative slope
  kElu,         // saved x; p0 = alpha
  kSigmoid,     // saved y
  kTanh,        // saved y
  kGelu,        // saved x
  kGeluTanh,    // saved x
  kSilu,        // saved x
  kSoftplus,    // saved x; p0 = beta, p1 = threshold
  kClamp,       // saved x; p0 = min, p1 = max
  kPow,         // saved x; p0 = exponent
  kAbs,         // saved x
  kCount
};
constexpr int kUnaryBackwardOpCount = static_cast<int>(UnaryBackwardOp::kCount);

enum class CompareOp : int { kEq = 0, kNe, kLt, kLe, kGt, kGe, kCount };
constexpr int kCompareOpCount = static_cast<int>(CompareOp::kCount);

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
using CompareLoopF32 = void (*)(int64_t n, const float* a, const float* b, uint8_t* out);
using CompareLoopI32 = void (*)(int64_t n, const int32_t* a, const int32_t* b, uint8_t* out);

// Contiguous unary loops; out may be the same buffer as an input.
using UnaryLoopF32 = void (*)(int64_t n, const float* x, float* out, double p0, double p1);
using UnaryBackwardLoopF32 = void (*)(int64_t n, const float* grad, const float* saved, float* out,
                                      double p0, double p1);

// where: out = cond ? a : b along a run. Indexed by a mask of the operands that step along the
// innermost dim (bit 0 cond, bit 1 a, bit 2 b); the others broadcast one element.
constexpr int kWhereStrideCount = 8;
using WhereLoopF32 = void (*)(int64_t n, const uint8_t* cond, const float* a, const float* b,
                              float* out);
using WhereLoopI32 = void (*)(int64_t n, const uint8_t* cond, const int32_t* a, const int32_t* b,
                              int32_t* out);

// What one GEMM micro-tile does after its products: C = alpha * AB + beta * C (C unread when
// beta is 0), plus a bias per row or per column (pointers at the tile's first row / column), then
// ReLU. `bias` says whether either bias applies, so the kernel tests one flag per value.
struct GemmTile {
  float alpha;
  float beta;
  const float* row_bias;
  const float* col_bias;
  bool bias;
  bool relu;
  bool c_transposed;  // the tile is of C^T: element (i, j) goes to c[j * ldc + i]
  bool plain = false;  // alpha 1, beta 0, no bias, no ReLU: C = AB
};

// C (rows x cols) = A (rows x K, row stride lda) times B^T (B: cols x K, row stride ldb), with the
// tile's alpha, beta and epilogue (bias pointers at C's first row and column), in r x s tiles of
// dot products; no packing. gemm.cc picks one by tile_choice.h.
struct GemmDotKernel {
  int r, s;
  void (*run)(int64_t rows, int64_t cols, int64_t K, const float* A, int64_t lda, const float* B,
              int64_t ldb, float* C, int64_t ldc, const GemmTile& tile);
};
constexpr int kGemmDotMax = 6;
// Row counts of the plain micro-kernels: 2, 4, ..., up to the largest MR of any kernel set.
constexpr int kGemmPlainMax = 6;

// The packed GEMM of one instruction set: micro-tile MR x NR, cache blocks KC (depth), MC (rows
// of A kept in L2) and NC (columns of B kept in L3), KC and MC for a task whose packed B is too
// wide for L2 (see gemm.cc), and the routines the driver in gemm.cc runs.
struct GemmKernel {
  int mr, nr, kc, mc, nc, kc_wide, mc_wide;
  // A micro-tile reads MR values of op(A) per step of k from a_sliver, a_row floats apart, the
  // next step's a_step floats further on: (1, MR) in a packed sliver, (1, lda) in a transposed A
  // read where it lies, (lda, 1) in an untransposed one.
  void (*micro)(int64_t kc, const float* a_sliver, int64_t a_step, int64_t a_row,
                const float* b_packed, int64_t b_stride, float* c, int64_t ldc, int rows, int cols,
                const GemmTile& tile);
  // plain[h]: a full tile of 2h + 2 rows and NR columns of C = AB (a plain GemmTile), stored bare:
  // the usual case, called straight from the driver.
  void (*plain[kGemmPlainMax])(int64_t kc, const float* a_sliver, int64_t a_step, int64_t a_row,
                               const float* b_packed, int64_t b_stride, float* c, int64_t ldc);
  void (*pack_a)(bool trans, const float* A, int64_t lda, int64_t i0, int64_t m, int64_t p0,
                 int64_t kc, float* dst);
  void (*pack_b)(bool trans, const float* B, int64_t ldb, int64_t p0, int64_t kc, int64_t j0,
                 int64_t n, float* dst);
  // C (rows x n, n <= narrow_cols) = op(A) B, B untransposed, one vector per row of C and
  // narrow_rows rows at a time; no packing. With trans_a, A is K x rows (row stride lda). tile's
  // bias pointers are at C's first row and column. narrow_part_depth: the deepest K for which
  // the driver gives it a transposed A with a part vector of columns.
  int narrow_cols, narrow_rows, narrow_part_depth;
  void (*narrow)(bool trans_a, int64_t rows, int n, int64_t K, const float* A, int64_t lda,
                 const float* B, int64_t ldb, float* C, int64_t ldc, const GemmTile& tile);
  // C (rows x cols) = op(A) B, B untransposed, direct_rows rows at a time (all in registers) in
  // runs of direct_run columns (a multiple of it for fewer rows); no packing. With trans_a, A is
  // K x rows (row stride lda). tile's bias pointers are at C's first row and column.
  int direct_rows, direct_run;
  void (*direct)(bool trans_a, int64_t rows, int64_t cols, int64_t K, const float* A, int64_t lda,
                 const float* B, int64_t ldb, float* C, int64_t ldc, const GemmTile& tile);
  // Dot-product tiles in several shapes; the driver picks one by padded_tile_cost, among the first
  // n_dot_wide unless C has at most two columns.
  int n_dot, n_dot_wide;
  GemmDotKernel dot[kGemmDotMax];
};

struct KernelTable {
  const char* isa;  // "generic", "avx2" or "avx512"
  BinaryLoopF32 binary_f32[kBinaryOpCount][kStride2Count];
  BinaryLoopI32 binary_i32[kBinaryOpCount][kStride2Count];  // null where int32 has no such op
  CompareLoopF32 compare_f32[kCompareOpCount][kStride2Count];
  CompareLoopI32 compare_i32[kCompareOpCount][kStride2Count];
  UnaryLoopF32 unary_f32[kUnaryOpCount];
  UnaryBackwardLoopF32 unary_backward_f32[kUnaryBackwardOpCount];
  WhereLoopF32 where_f32[kWhereStrideCount];
  WhereLoopI32 where_i32[kWhereStrideCount];
  GemmKernel gemm;
  ReduceLoops reduce;
  SoftmaxLoops softmax;
  LossLoops loss;
  OptimLoops optim;
  ConvLoops conv;
  PoolLoops pool;
  BatchNormLoops batch_norm;
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
