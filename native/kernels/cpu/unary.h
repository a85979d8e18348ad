// Unary elementwise kernels and their backward, on contiguous float32 buffers.
#pragma once

#include <cstdint>

#include "kernel_table.h"

namespace tg {

// out[i] = f(x[i]) for i < n; out may be x itself. p0, p1 are the op's parameters (UnaryOp).
void unary_f32(UnaryOp op, const float* x, float* out, int64_t n, double p0, double p1);

// out[i] = grad[i] * f'(saved[i]) for i < n, with saved as UnaryBackwardOp says; out may be grad
// or saved itself.
void unary_backward_f32(UnaryBackwardOp op, const float* grad, const float* saved, float* out,
                        int64_t n, double p0, double p1);

}  // namespace tg
