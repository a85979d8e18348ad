// A loop nest for a broadcast elementwise op with N inputs: the output's dims, merged where
// every input allows, with each input's element strides (0 along broadcast dims).
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "kernel_table.h"
#include "shape.h"

namespace tg {

template <int N>
struct BroadcastPlan {
  int ndim = 0;
  int64_t dim[kMaxDims] = {};
  int64_t stride[N][kMaxDims] = {};
  int64_t numel = 0;

  // Bit k set when input k steps along the innermost dim (rather than repeating one element).
  // An if, not `(step ? 1u : 0u) << k`: GCC 12 under -fsanitize=undefined computed that form
  // wrongly (every input stepping, or none), so a sanitized build read past a broadcast operand.
  unsigned inner_steps() const {
    unsigned mask = 0;
    for (int k = 0; k < N; ++k) {
      if (stride[k][ndim - 1] != 0) mask |= 1u << k;
    }
    return mask;
  }
};

// Each input shape broadcasts to out (the caller has checked).
BroadcastPlan<2> plan_broadcast(const Shape& a, const Shape& b, const Shape& out);
BroadcastPlan<3> plan_broadcast(const Shape& a, const Shape& b, const Shape& c, const Shape& out);

// The innermost step pattern of a two-input plan, as the binary loop table indexes it.
Stride2 inner_stride2(const BroadcastPlan<2>& p);

namespace detail {
template <typename Body, std::size_t... K>
void call_run(Body& body, const int64_t* off, int64_t pos, int64_t n, std::index_sequence<K...>) {
  body(off[K]..., pos, n);
}
}  // namespace detail

// Calls body(offset of input 0, ..., offset of input N-1, out_offset, n) for runs along the
// innermost dim that cover the output elements [begin, end).
template <int N, typename Body>
void for_each_run(const BroadcastPlan<N>& p, int64_t begin, int64_t end, Body body) {
  if (begin >= end) return;
  const int last = p.ndim - 1;
  int64_t idx[kMaxDims];
  int64_t off[N] = {};
  int64_t rem = begin;
  for (int d = last; d >= 0; --d) {
    idx[d] = rem % p.dim[d];
    rem /= p.dim[d];
    for (int k = 0; k < N; ++k) off[k] += idx[d] * p.stride[k][d];
  }
  int64_t pos = begin;
  while (pos < end) {
    int64_t n = p.dim[last] - idx[last];
    if (n > end - pos) n = end - pos;
    detail::call_run(body, off, pos, n, std::make_index_sequence<N>{});
    pos += n;
    for (int k = 0; k < N; ++k) off[k] += n * p.stride[k][last];
    idx[last] += n;
    for (int d = last; d > 0 && idx[d] == p.dim[d]; --d) {
      for (int k = 0; k < N; ++k) off[k] += p.stride[k][d - 1] - idx[d] * p.stride[k][d];
      idx[d] = 0;
      ++idx[d - 1];
    }
  }
}

}  // namespace tg
