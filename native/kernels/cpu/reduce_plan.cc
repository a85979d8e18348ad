#include "reduce_plan.h"

namespace tg {
namespace {

void append(Space* s, int64_t extent, int64_t stride) {
  s->dim[s->ndim] = extent;
  s->stride[s->ndim] = stride;
  ++s->ndim;
}

void make_point_if_empty(Space* s) {
  if (s->ndim == 0) append(s, 1, 0);
}

}  // namespace

ReducePlan plan_reduce(const Shape& s, uint32_t dims_mask) {
  ReducePlan p;
  int64_t stride[kMaxDims];
  int64_t step = 1;
  for (int d = s.ndim - 1; d >= 0; --d) {
    stride[d] = step;
    step *= s.dim[d];
  }
  // Counts from the shape itself, so that an empty dim anywhere makes its side empty.
  for (int d = 0; d < s.ndim; ++d) {
    ((dims_mask >> d) & 1u ? p.reduced : p.kept).numel *= s.dim[d];
  }
  int last_kind = -1;
  for (int d = 0; d < s.ndim; ++d) {
    if (s.dim[d] == 1) continue;  // a size-1 dim adds nothing to either loop nest
    const int kind = static_cast<int>((dims_mask >> d) & 1u);
    Space& sp = kind ? p.reduced : p.kept;
    // Neighbours of the same kind (size-1 dims between them aside) merge into one dim.
    if (kind == last_kind) {
      sp.dim[sp.ndim - 1] *= s.dim[d];
      sp.stride[sp.ndim - 1] = stride[d];
    } else {
      append(&sp, s.dim[d], stride[d]);
    }
    last_kind = kind;
  }
  const bool has_reduced = p.reduced.ndim > 0, has_kept = p.kept.ndim > 0;
  make_point_if_empty(&p.kept);
  make_point_if_empty(&p.reduced);
  p.rows = has_reduced ? p.reduced.stride[p.reduced.ndim - 1] == 1 : !has_kept;
  return p;
}

}  // namespace tg
