// Elementwise binary ops with NumPy broadcasting, on contiguous row-major buffers.
#pragma once

#include "kernel_table.h"
#include "shape.h"

namespace tg {

// out = op(a, b). a_shape and b_shape broadcast to out_shape (the caller has checked this, and
// that each buffer holds numel of its shape). out may be the same buffer as a or b.
void binary_f32(BinaryOp op, const float* a, const Shape& a_shape, const float* b,
                const Shape& b_shape, float* out, const Shape& out_shape);
void binary_i32(BinaryOp op, const int32_t* a, const Shape& a_shape, const int32_t* b,
                const Shape& b_shape, int32_t* out, const Shape& out_shape);

// True when a and b broadcast together; writes the broadcast shape to out.
bool broadcast_shapes(const Shape& a, const Shape& b, Shape* out);

}  // namespace tg
