// A loop nest for a broadcast elementwise op: the output's dims, merged where both inputs
// allow, with each input's element strides (0 along broadcast dims).
#pragma once

#include <cstdint>

#include "kernel_table.h"
#include "shape.h"

namespace tg {

struct BroadcastPlan {
  int ndim = 0;
  int64_t dim[kMaxDims] = {};
  int64_t stride_a[kMaxDims] = {};
  int64_t stride_b[kMaxDims] = {};
  int64_t numel = 0;

  // The innermost dim's step pattern (each input steps 1 or 0 along it).
  Stride2 inner() const;
};

BroadcastPlan plan_broadcast(const Shape& a, const Shape& b, const Shape& out);

// Calls body(a_offset, b_offset, out_offset, n) for runs along the innermost dim that cover the
// output elements [begin, end).
template <typename Body>
void for_each_run(const BroadcastPlan& p, int64_t begin, int64_t end, Body body) {
  if (begin >= end) return;
  const int last = p.ndim - 1;
  int64_t idx[kMaxDims];
  int64_t rem = begin, oa = 0, ob = 0;
  for (int d = last; d >= 0; --d) {
    idx[d] = rem % p.dim[d];
    rem /= p.dim[d];
    oa += idx[d] * p.stride_a[d];
    ob += idx[d] * p.stride_b[d];
  }
  int64_t pos = begin;
  while (pos < end) {
    int64_t n = p.dim[last] - idx[last];
    if (n > end - pos) n = end - pos;
    body(oa, ob, pos, n);
    pos += n;
    oa += n * p.stride_a[last];
    ob += n * p.stride_b[last];
    idx[last] += n;
    for (int d = last; d > 0 && idx[d] == p.dim[d]; --d) {
      oa -= idx[d] * p.stride_a[d];
      ob -= idx[d] * p.stride_b[d];
      idx[d] = 0;
      ++idx[d - 1];
      oa += p.stride_a[d - 1];
      ob += p.stride_b[d - 1];
    }
  }
}

}  // namespace tg
