#include "layout.h"

#include <cstring>

#include "../../runtime/thread_pool.h"

namespace tg {
namespace {

constexpr int64_t kCopyGrain = 1 << 16;  // elements per task

// Runs body(begin, end) over [0, n) in chunks of about kCopyGrain units, `cost` units per item.
template <typename Body>
void for_chunks(int64_t n, int64_t cost, Body body) {
  const int64_t per = cost > 0 && cost < kCopyGrain ? kCopyGrain / cost : 1;
  const int64_t tasks = (n + per - 1) / per;
  parallel_for(tasks, [&](int64_t t) {
    const int64_t b = t * per;
    body(b, b + per < n ? b + per : n);
  });
}

// Merges dims that both views walk as one (stride[d] == stride[d+1] * extent[d+1] on both sides),
// and drops size-1 dims, so the inner loop runs as long as possible.
struct CopyPlan {
  int ndim = 0;
  int64_t dim[kMaxDims];
  int64_t s[kMaxDims], d[kMaxDims];
};

CopyPlan plan_copy(const StridedView& sv, const StridedView& dv, const Shape& shape) {
  CopyPlan p;
  for (int k = 0; k < shape.ndim; ++k) {
    if (shape.dim[k] == 1) continue;
    if (p.ndim > 0) {
      const int q = p.ndim - 1;
      if (p.s[q] == sv.stride[k] * shape.dim[k] && p.d[q] == dv.stride[k] * shape.dim[k]) {
        p.dim[q] *= shape.dim[k];
        p.s[q] = sv.stride[k];
        p.d[q] = dv.stride[k];
        continue;
      }
    }
    p.dim[p.ndim] = shape.dim[k];
    p.s[p.ndim] = sv.stride[k];
    p.d[p.ndim] = dv.stride[k];
    ++p.ndim;
  }
  if (p.ndim == 0) {
    p.ndim = 1;
    p.dim[0] = 1;
    p.s[0] = p.d[0] = 0;
  }
  return p;
}

template <typename T>
void copy_range(const T* src, T* dst, const CopyPlan& p, int64_t begin, int64_t end) {
  const int last = p.ndim - 1;
  int64_t idx[kMaxDims];
  int64_t rem = begin, so = 0, dof = 0;
  for (int k = last; k >= 0; --k) {
    idx[k] = rem % p.dim[k];
    rem /= p.dim[k];
    so += idx[k] * p.s[k];
    dof += idx[k] * p.d[k];
  }
  const int64_t ss = p.s[last], ds = p.d[last];
  for (int64_t pos = begin; pos < end;) {
    int64_t n = p.dim[last] - idx[last];
    if (n > end - pos) n = end - pos;
    if (ss == 1 && ds == 1) {
      std::memcpy(dst + dof, src + so, static_cast<size_t>(n) * sizeof(T));
    } else {
      for (int64_t i = 0; i < n; ++i) dst[dof + i * ds] = src[so + i * ss];
    }
    pos += n;
    so += n * ss;
    dof += n * ds;
    idx[last] += n;
    for (int k = last; k > 0 && idx[k] == p.dim[k]; --k) {
      so -= idx[k] * p.s[k];
      dof -= idx[k] * p.d[k];
      idx[k] = 0;
      ++idx[k - 1];
      so += p.s[k - 1];
      dof += p.d[k - 1];
    }
  }
}

template <typename T>
void copy_all(const T* src, T* dst, const CopyPlan& p) {
  int64_t total = 1;
  for (int k = 0; k < p.ndim; ++k) total *= p.dim[k];
  const int64_t tasks = (total + kCopyGrain - 1) / kCopyGrain;
  parallel_for(tasks, [&](int64_t t) {
    const int64_t b = t * kCopyGrain, e = b + kCopyGrain < total ? b + kCopyGrain : total;
    copy_range(src, dst, p, b, e);
  });
}

}  // namespace

void strided_extent(const StridedView& v, const Shape& shape, int64_t* lo, int64_t* hi) {
  *lo = *hi = v.offset;
  for (int k = 0; k < shape.ndim; ++k) {
    const int64_t span = (shape.dim[k] - 1) * v.stride[k];
    if (span < 0) *lo += span;
    else *hi += span;
  }
}

void strided_copy(const void* src, const StridedView& s, void* dst, const StridedView& d,
                  const Shape& shape, int elem_size) {
  if (shape.numel() == 0) return;
  const CopyPlan p = plan_copy(s, d, shape);
  if (elem_size == 4) {
    copy_all(static_cast<const uint32_t*>(src) + s.offset, static_cast<uint32_t*>(dst) + d.offset, p);
  } else {
    copy_all(static_cast<const uint8_t*>(src) + s.offset, static_cast<uint8_t*>(dst) + d.offset, p);
  }
}

DimSplit split_at(const Shape& s, int dim) {
  DimSplit r{1, s.dim[dim], 1};
  for (int k = 0; k < dim; ++k) r.outer *= s.dim[k];
  for (int k = dim + 1; k < s.ndim; ++k) r.inner *= s.dim[k];
  return r;
}

void gather_f32(const float* x, DimSplit xs, const int32_t* index, DimSplit is, float* out) {
  for_chunks(is.outer, is.size * is.inner, [&](int64_t o0, int64_t o1) {
    for (int64_t o = o0; o < o1; ++o) {
      const float* xo = x + o * xs.size * xs.inner;
      for (int64_t j = 0; j < is.size; ++j) {
        const int64_t row = (o * is.size + j) * is.inner;
        for (int64_t i = 0; i < is.inner; ++i) out[row + i] = xo[index[row + i] * xs.inner + i];
      }
    }
  });
}

void scatter_add_f32(float* out, DimSplit os, const int32_t* index, DimSplit is, const float* src) {
  // Tasks own disjoint outer slices, and within one slice contributions land in index order.
  for_chunks(is.outer, is.size * is.inner, [&](int64_t o0, int64_t o1) {
    for (int64_t o = o0; o < o1; ++o) {
      float* oo = out + o * os.size * os.inner;
      for (int64_t j = 0; j < is.size; ++j) {
        const int64_t row = (o * is.size + j) * is.inner;
        for (int64_t i = 0; i < is.inner; ++i) oo[index[row + i] * os.inner + i] += src[row + i];
      }
    }
  });
}

void index_select(const void* x, DimSplit xs, const int32_t* index, int64_t n, void* out, int elem_size) {
  const size_t row_bytes = static_cast<size_t>(xs.inner) * elem_size;
  const auto* xb = static_cast<const uint8_t*>(x);
  auto* ob = static_cast<uint8_t*>(out);
  for_chunks(xs.outer, n * xs.inner, [&](int64_t o0, int64_t o1) {
    for (int64_t o = o0; o < o1; ++o) {
      for (int64_t j = 0; j < n; ++j) {
        std::memcpy(ob + (o * n + j) * row_bytes, xb + (o * xs.size + index[j]) * row_bytes, row_bytes);
      }
    }
  });
}

void index_add_f32(float* out, DimSplit os, const int32_t* index, int64_t n, const float* src) {
  for_chunks(os.outer, n * os.inner, [&](int64_t o0, int64_t o1) {
    for (int64_t o = o0; o < o1; ++o) {
      for (int64_t j = 0; j < n; ++j) {
        float* dst = out + (o * os.size + index[j]) * os.inner;
        const float* s = src + (o * n + j) * os.inner;
        for (int64_t i = 0; i < os.inner; ++i) dst[i] += s[i];
      }
    }
  });
}

}  // namespace tg
