#include "reduce.h"

#include <cstddef>
#include <vector>

#include "reduce_plan.h"

namespace tg {
namespace {

// The value an accumulator leaves in the output (a double is rounded by the caller's cast).
inline double finish(double acc, double divisor) { return acc / divisor; }
inline float finish(float acc, double) { return acc; }
inline int32_t finish(uint32_t acc, double) { return static_cast<int32_t>(acc); }  // wraps
inline int32_t finish(int32_t acc, double) { return acc; }

// A fold through one of the kernel table's FoldLoops, written to out (divided by divisor when
// the accumulator is a double: 1 for sums, the count for means).
template <typename In, typename AccT, typename Out>
struct Fold {
  using Acc = AccT;
  struct Tile {
    Acc acc[kReduceTile];
  };
  const In* x;
  FoldLoops<In, Acc> loops;
  Acc id;
  Out* out;
  double divisor;

  Acc identity() const { return id; }
  void row(int64_t off, int64_t n, int64_t, int64_t, Acc* acc) const {
    *acc = loops.row(x + off, n, *acc);
  }
  void reset(Tile* t, int64_t w) const {
    for (int64_t j = 0; j < w; ++j) t->acc[j] = id;
  }
  void col(Tile* t, int64_t j, int64_t off, int64_t m, int64_t, int64_t) const {
    loops.col(t->acc + j, x + off, m);
  }
  Acc get(const Tile& t, int64_t j) const { return t.acc[j]; }
  Acc join(const Acc& a, const Acc& b) const { return loops.join(a, b); }
  void store(int64_t o, const Acc& a) const { out[o] = static_cast<Out>(finish(a, divisor)); }
};

template <typename In, typename Acc, typename Out>
void run_fold(const ReducePlan& p, const In* x, const FoldLoops<In, Acc>& loops, Acc id, Out* out,
              double divisor = 1.0) {
  run_reduce(p, Fold<In, Acc, Out>{x, loops, id, out, divisor});
}

// The second pass of var: squared deviations from each output's mean.
struct SqDev {
  using Acc = double;
  struct Tile {
    double acc[kReduceTile];
  };
  const float* x;
  SqDevLoops loops;
  const double* mean;
  float* out;
  double divisor;

  Acc identity() const { return 0.0; }
  void row(int64_t off, int64_t n, int64_t, int64_t o, Acc* acc) const {
    *acc = loops.row(x + off, n, mean[o], *acc);
  }
  void reset(Tile* t, int64_t w) const {
    for (int64_t j = 0; j < w; ++j) t->acc[j] = 0.0;
  }
  void col(Tile* t, int64_t j, int64_t off, int64_t m, int64_t, int64_t o) const {
    loops.col(t->acc + j, x + off, m, mean + o);
  }
  Acc get(const Tile& t, int64_t j) const { return t.acc[j]; }
  Acc join(const Acc& a, const Acc& b) const { return a + b; }
  void store(int64_t o, const Acc& a) const { out[o] = static_cast<float>(a / divisor); }
};

}  // namespace

void reduce_f32(ReduceOp op, const float* x, const Shape& shape, uint32_t dims_mask, float* out) {
  const ReducePlan p = plan_reduce(shape, dims_mask);
  const ReduceLoops& k = kernels().reduce;
  switch (op) {
    case ReduceOp::kSum: return run_fold(p, x, k.sum_f32, 0.0, out);
    case ReduceOp::kMean:
      return run_fold(p, x, k.sum_f32, 0.0, out, static_cast<double>(p.reduced.numel));
    case ReduceOp::kProd: return run_fold(p, x, k.prod_f32, 1.0, out);
    case ReduceOp::kMax: return run_fold(p, x, k.max_f32, -__builtin_inff(), out);
    case ReduceOp::kMin: return run_fold(p, x, k.min_f32, __builtin_inff(), out);
    case ReduceOp::kCount: return;
  }
}

void reduce_i32(ReduceOp op, const int32_t* x, const Shape& shape, uint32_t dims_mask,
                int32_t* out) {
  const ReducePlan p = plan_reduce(shape, dims_mask);
  const ReduceLoops& k = kernels().reduce;
  switch (op) {
    case ReduceOp::kSum: return run_fold(p, x, k.sum_i32, 0u, out);
    case ReduceOp::kProd: return run_fold(p, x, k.prod_i32, 1u, out);
    case ReduceOp::kMax: return run_fold(p, x, k.max_i32, INT32_MIN, out);
    case ReduceOp::kMin: return run_fold(p, x, k.min_i32, INT32_MAX, out);
    case ReduceOp::kMean:
    case ReduceOp::kCount: return;  // the binding refuses an integer mean
  }
}

void reduce_sum_u8(const uint8_t* x, const Shape& shape, uint32_t dims_mask, int32_t* out) {
  run_fold(plan_reduce(shape, dims_mask), x, kernels().reduce.sum_u8, 0u, out);
}

void reduce_var_f32(const float* x, const Shape& shape, uint32_t dims_mask, double correction,
                    float* out) {
  const ReducePlan p = plan_reduce(shape, dims_mask);
  const ReduceLoops& k = kernels().reduce;
  const double n = static_cast<double>(p.reduced.numel);
  std::vector<double> mean(static_cast<size_t>(p.kept.numel));
  run_fold(p, x, k.sum_f32, 0.0, mean.data(), n);
  const double divisor = n - correction > 0.0 ? n - correction : 0.0;
  run_reduce(p, SqDev{x, k.sqdev_f32, mean.data(), out, divisor});
}

}  // namespace tg
