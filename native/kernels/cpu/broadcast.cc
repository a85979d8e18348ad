#include "broadcast.h"

namespace tg {

Stride2 BroadcastPlan::inner() const {
  const bool a = stride_a[ndim - 1] != 0, b = stride_b[ndim - 1] != 0;
  if (a && b) return Stride2::kBoth;
  if (b) return Stride2::kAScalar;
  if (a) return Stride2::kBScalar;
  return Stride2::kNone;
}

namespace {

// Row-major element strides of `s` seen through `out`'s rank, 0 where s broadcasts.
void broadcast_strides(const Shape& s, const Shape& out, int64_t* stride) {
  int64_t step = 1;
  for (int d = out.ndim - 1; d >= 0; --d) {
    const int sd = d - (out.ndim - s.ndim);
    const int64_t extent = sd >= 0 ? s.dim[sd] : 1;
    stride[d] = extent == 1 ? 0 : step;
    step *= extent;
  }
}

}  // namespace

BroadcastPlan plan_broadcast(const Shape& a, const Shape& b, const Shape& out) {
  int64_t sa[kMaxDims], sb[kMaxDims];
  broadcast_strides(a, out, sa);
  broadcast_strides(b, out, sb);
  BroadcastPlan p;
  p.numel = out.numel();
  // Merge dim d into the run below it when both inputs step through the pair as one dim.
  for (int d = 0; d < out.ndim; ++d) {
    if (out.dim[d] == 1) continue;  // size-1 dims add nothing to the loop
    if (p.ndim > 0) {
      const int q = p.ndim - 1;
      const bool fits_a = p.stride_a[q] == sa[d] * out.dim[d];
      const bool fits_b = p.stride_b[q] == sb[d] * out.dim[d];
      if (fits_a && fits_b) {
        p.dim[q] *= out.dim[d];
        p.stride_a[q] = sa[d];
        p.stride_b[q] = sb[d];
        continue;
      }
    }
    p.dim[p.ndim] = out.dim[d];
    p.stride_a[p.ndim] = sa[d];
    p.stride_b[p.ndim] = sb[d];
    ++p.ndim;
  }
  if (p.ndim == 0) {  // a scalar result
    p.ndim = 1;
    p.dim[0] = 1;
    p.stride_a[0] = a.numel() == 1 ? 0 : 1;
    p.stride_b[0] = b.numel() == 1 ? 0 : 1;
  }
  return p;
}

}  // namespace tg
