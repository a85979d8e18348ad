// Shapes and strides as the kernels see them: a small fixed-capacity array of extents.
#pragma once

#include <cstdint>

namespace tg {

constexpr int kMaxDims = 16;

struct Shape {
  int64_t dim[kMaxDims] = {};
  int ndim = 0;

  int64_t numel() const {
    int64_t n = 1;
    for (int i = 0; i < ndim; ++i) n *= dim[i];
    return n;
  }
};

}  // namespace tg
