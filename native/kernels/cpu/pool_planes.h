// What the pooling kernels share: planes spread over the pool, and window bounds.
#pragma once

#include <cstdint>

#include "chunks.h"

namespace tg {
namespace pool {

// Runs body(plane) for each of `planes` planes, in tasks of about kGrain elements (each plane
// costing `plane_elements`); a plane is never split, so each is done in one fixed order.
template <typename Body>
void for_planes(int64_t planes, int64_t plane_elements, Body body) {
  constexpr int64_t kGrain = int64_t{1} << 15;
  const int64_t per = plane_elements >= kGrain ? 1 : kGrain / (plane_elements > 0 ? plane_elements : 1);
  for_chunks(planes, per, [&](int64_t p0, int64_t p1) {
    for (int64_t p = p0; p < p1; ++p) body(p);
  });
}

// The input indices begin, begin + dil, ... below end of a window of k taps that starts at
// o * stride - pad, clipped to [0, size).
struct Span {
  int64_t begin, end;
};
inline Span window(int64_t o, int64_t stride, int64_t pad, int64_t k, int64_t dil, int64_t size) {
  int64_t b = o * stride - pad;
  int64_t e = b + (k - 1) * dil + 1;
  if (e > size) e = size;
  if (b < 0) b += (-b + dil - 1) / dil * dil;
  return Span{b, e};
}

}  // namespace pool
}  // namespace tg
