#include "compare.h"

#include "broadcast.h"
#include "chunks.h"

namespace tg {
namespace {

constexpr int64_t kGrain = 1 << 15;

template <typename T, typename Loop>
void run_compare(const Loop (&row)[kStride2Count], const T* a, const Shape& a_shape, const T* b,
                 const Shape& b_shape, uint8_t* out, const Shape& out_shape) {
  const BroadcastPlan<2> plan = plan_broadcast(a_shape, b_shape, out_shape);
  const Loop loop = row[static_cast<int>(inner_stride2(plan))];
  for_chunks(plan.numel, kGrain, [&](int64_t begin, int64_t end) {
    for_each_run(plan, begin, end, [&](int64_t oa, int64_t ob, int64_t o, int64_t n) {
      loop(n, a + oa, b + ob, out + o);
    });
  });
}

template <typename T, typename Loop>
void run_where(const Loop (&row)[kWhereStrideCount], const uint8_t* cond, const Shape& c_shape,
               const T* a, const Shape& a_shape, const T* b, const Shape& b_shape, T* out,
               const Shape& out_shape) {
  const BroadcastPlan<3> plan = plan_broadcast(c_shape, a_shape, b_shape, out_shape);
  const Loop loop = row[plan.inner_steps()];  // bit 0 cond, bit 1 a, bit 2 b: the table's order
  for_chunks(plan.numel, kGrain, [&](int64_t begin, int64_t end) {
    for_each_run(plan, begin, end, [&](int64_t oc, int64_t oa, int64_t ob, int64_t o, int64_t n) {
      loop(n, cond + oc, a + oa, b + ob, out + o);
    });
  });
}

}  // namespace

void compare_f32(CompareOp op, const float* a, const Shape& a_shape, const float* b,
                 const Shape& b_shape, uint8_t* out, const Shape& out_shape) {
  run_compare(kernels().compare_f32[static_cast<int>(op)], a, a_shape, b, b_shape, out, out_shape);
}

void compare_i32(CompareOp op, const int32_t* a, const Shape& a_shape, const int32_t* b,
                 const Shape& b_shape, uint8_t* out, const Shape& out_shape) {
  run_compare(kernels().compare_i32[static_cast<int>(op)], a, a_shape, b, b_shape, out, out_shape);
}

void where_f32(const uint8_t* cond, const Shape& cond_shape, const float* a, const Shape& a_shape,
               const float* b, const Shape& b_shape, float* out, const Shape& out_shape) {
  run_where(kernels().where_f32, cond, cond_shape, a, a_shape, b, b_shape, out, out_shape);
}

void where_i32(const uint8_t* cond, const Shape& cond_shape, const int32_t* a,
               const Shape& a_shape, const int32_t* b, const Shape& b_shape, int32_t* out,
               const Shape& out_shape) {
  run_where(kernels().where_i32, cond, cond_shape, a, a_shape, b, b_shape, out, out_shape);
}

}  // namespace tg
