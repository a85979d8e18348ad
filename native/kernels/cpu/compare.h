// Comparisons and where, with NumPy broadcasting, on contiguous row-major buffers. Bool values
// are bytes: 0 or 1 out, any non-zero byte counts as true in.
#pragma once

#include <cstdint>

#include "kernel_table.h"
#include "shape.h"

namespace tg {

// out = a op b. a_shape and b_shape broadcast to out_shape (the caller has checked this, and
// that each buffer holds numel of its shape); out shares no memory with a or b.
void compare_f32(CompareOp op, const float* a, const Shape& a_shape, const float* b,
                 const Shape& b_shape, uint8_t* out, const Shape& out_shape);
void compare_i32(CompareOp op, const int32_t* a, const Shape& a_shape, const int32_t* b,
                 const Shape& b_shape, uint8_t* out, const Shape& out_shape);

// out = cond ? a : b, the three shapes broadcasting to out_shape. out may be a or b itself
// when that operand has out's shape, and otherwise shares no memory with the inputs.
void where_f32(const uint8_t* cond, const Shape& cond_shape, const float* a, const Shape& a_shape,
               const float* b, const Shape& b_shape, float* out, const Shape& out_shape);
void where_i32(const uint8_t* cond, const Shape& cond_shape, const int32_t* a,
               const Shape& a_shape, const int32_t* b, const Shape& b_shape, int32_t* out,
               const Shape& out_shape);

}  // namespace tg
