#include "broadcast.h"

namespace tg {
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

template <int N>
BroadcastPlan<N> plan(const Shape* const (&in)[N], const Shape& out) {
  int64_t s[N][kMaxDims];
  for (int k = 0; k < N; ++k) broadcast_strides(*in[k], out, s[k]);
  BroadcastPlan<N> p;
  p.numel = out.numel();
  // Merge dim d into the run below it when every input steps through the pair as one dim.
  for (int d = 0; d < out.ndim; ++d) {
    if (out.dim[d] == 1) continue;  // size-1 dims add nothing to the loop
    bool fits = p.ndim > 0;
    for (int k = 0; k < N && fits; ++k) fits = p.stride[k][p.ndim - 1] == s[k][d] * out.dim[d];
    const int q = fits ? p.ndim - 1 : p.ndim++;
    p.dim[q] = fits ? p.dim[q] * out.dim[d] : out.dim[d];
    for (int k = 0; k < N; ++k) p.stride[k][q] = s[k][d];
  }
  if (p.ndim == 0) {  // a single element: every input repeats its one element
    p.ndim = 1;
    p.dim[0] = 1;
  }
  return p;
}

}  // namespace

BroadcastPlan<2> plan_broadcast(const Shape& a, const Shape& b, const Shape& out) {
  const Shape* in[2] = {&a, &b};
  return plan<2>(in, out);
}

BroadcastPlan<3> plan_broadcast(const Shape& a, const Shape& b, const Shape& c, const Shape& out) {
  const Shape* in[3] = {&a, &b, &c};
  return plan<3>(in, out);
}

Stride2 inner_stride2(const BroadcastPlan<2>& p) {
  switch (p.inner_steps()) {
    case 3: return Stride2::kBoth;
    case 2: return Stride2::kAScalar;  // only b steps
    case 1: return Stride2::kBScalar;  // only a steps
    default: return Stride2::kNone;
  }
}

}  // namespace tg
