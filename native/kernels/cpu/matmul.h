// Batched matrix products with broadcast batch dims, as torch.matmul does for operands of rank 2
// and up (the library turns 1-D operands into matrices before calling this).
#pragma once

#include "shape.h"

namespace tg {

// a: [...batch_a, M, K] ([..., K, M] when trans_a), b: [...batch_b, K, N] ([..., N, K] when
// trans_b), out: [...broadcast(batch_a, batch_b), M, N]. The caller has checked the shapes.
void matmul_f32(const float* a, const Shape& a_shape, bool trans_a, const float* b,
                const Shape& b_shape, bool trans_b, float* out, const Shape& out_shape);

}  // namespace tg
