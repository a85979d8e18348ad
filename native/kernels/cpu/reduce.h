// Reductions over any set of dims of a contiguous row-major tensor. dims_mask has bit d set when
// dim d is reduced; out is contiguous over the kept dims, in order (the reduced dims removed:
// keepdim is a reshape the caller does). Reducing a broadcast gradient back to an operand's
// shape (sumToShape) is reduce_sum over the leading dims the operand lacks and the dims where it
// has size 1: the kept dims are then the operand's own layout.
//
// Sums, means and var accumulate in double (see isa/reduce.inc); results are bitwise the same
// for any thread count (see reduce_plan.h). An empty reduction gives the identity: sum 0,
// prod 1, mean and var NaN; max and min of an empty reduction are the caller's error to refuse.
#pragma once

#include <cstdint>

#include "kernel_table.h"
#include "shape.h"

namespace tg {

// sum, mean, prod, max, min. max and min propagate NaN.
void reduce_f32(ReduceOp op, const float* x, const Shape& shape, uint32_t dims_mask, float* out);

// sum, prod, max, min (no mean); sums and products wrap modulo 2^32 as int32 arithmetic does.
void reduce_i32(ReduceOp op, const int32_t* x, const Shape& shape, uint32_t dims_mask,
                int32_t* out);

// Sum of bytes (bool tensors count their true values), as int32.
void reduce_sum_u8(const uint8_t* x, const Shape& shape, uint32_t dims_mask, int32_t* out);

// Variance: sum((x - mean)^2) / max(0, n - correction), two passes in double.
void reduce_var_f32(const float* x, const Shape& shape, uint32_t dims_mask, double correction,
                    float* out);

}  // namespace tg
