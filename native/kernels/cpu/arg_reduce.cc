#include "arg_reduce.h"

#include "reduce_plan.h"

namespace tg {
namespace {

template <typename T>
struct ArgFold {
  using Acc = ArgAcc<T>;
  struct Tile {
    T best[kReduceTile];
    int32_t index[kReduceTile];
  };
  const T* x;
  ArgLoops<T> loops;
  T* values;  // may be null
  int32_t* indices;

  Acc identity() const { return Acc{T(), -1}; }
  // With one reduced dim, a reduced index is the index along that dim.
  void row(int64_t off, int64_t n, int64_t r, int64_t, Acc* acc) const {
    *acc = loops.row(x + off, n, static_cast<int32_t>(r), *acc);
  }
  void reset(Tile* t, int64_t w) const {
    for (int64_t j = 0; j < w; ++j) {
      t->best[j] = T();
      t->index[j] = -1;
    }
  }
  void col(Tile* t, int64_t j, int64_t off, int64_t m, int64_t r, int64_t) const {
    loops.col(t->best + j, t->index + j, x + off, m, static_cast<int32_t>(r));
  }
  Acc get(const Tile& t, int64_t j) const { return Acc{t.best[j], t.index[j]}; }
  Acc join(const Acc& a, const Acc& b) const { return loops.join(a, b); }
  void store(int64_t o, const Acc& a) const {
    if (values) values[o] = a.value;
    indices[o] = a.index;
  }
};

template <typename T>
void run_arg(const ArgLoops<T>& loops, const T* x, const Shape& shape, int dim, T* values,
             int32_t* indices) {
  run_reduce(plan_reduce(shape, 1u << dim), ArgFold<T>{x, loops, values, indices});
}

}  // namespace

void arg_reduce_f32(ArgReduceOp op, const float* x, const Shape& shape, int dim, float* values,
                    int32_t* indices) {
  const ReduceLoops& k = kernels().reduce;
  run_arg(op == ArgReduceOp::kMax ? k.argmax_f32 : k.argmin_f32, x, shape, dim, values, indices);
}

void arg_reduce_i32(ArgReduceOp op, const int32_t* x, const Shape& shape, int dim,
                    int32_t* values, int32_t* indices) {
  const ReduceLoops& k = kernels().reduce;
  run_arg(op == ArgReduceOp::kMax ? k.argmax_i32 : k.argmin_i32, x, shape, dim, values, indices);
}

}  // namespace tg
