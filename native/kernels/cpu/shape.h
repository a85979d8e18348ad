// Shapes and strides as the kernels see them: a small fixed-capacity array of extents.
#pragma once

#include <cstdint>

namespace tg {

constexpr int kMaxDims = 16;

struct Shape {
  int64_t dim[kMaxDims] = {};
  int ndim = 0;

  bool operator==(const Shape& o) const {
    if (ndim != o.ndim) return false;
    for (int i = 0; i < ndim; ++i) {
      if (dim[i] != o.dim[i]) return false;
    }
    return true;
  }
  bool operator!=(const Shape& o) const { return !(*this == o); }

  int64_t numel() const {
    int64_t n = 1;
    for (int i = 0; i < ndim; ++i) n *= dim[i];
    return n;
  }
};

}  // namespace tg
