// The per-ISA inner loops of reductions (isa/reduce.inc fills them; reduce_plan.h drives them).
#pragma once

#include <cstdint>

namespace tg {

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

}  // namespace tg
