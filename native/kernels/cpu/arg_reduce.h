// argmax / argmin along one dim of a contiguous row-major tensor, with the values (max / min
// with indices) when asked. The index is the first occurrence of the best value; for float a
// NaN beats every number, and the first NaN wins, as in PyTorch. Outputs are contiguous over the
// other dims; argmax over all elements is this over the flattened tensor (shape [numel], dim 0).
#pragma once

#include <cstdint>

#include "kernel_table.h"
#include "shape.h"

namespace tg {

// The caller has checked that shape.dim[dim] is in [1, INT32_MAX]. values may be null.
void arg_reduce_f32(ArgReduceOp op, const float* x, const Shape& shape, int dim, float* values,
                    int32_t* indices);
void arg_reduce_i32(ArgReduceOp op, const int32_t* x, const Shape& shape, int dim,
                    int32_t* values, int32_t* indices);

}  // namespace tg
