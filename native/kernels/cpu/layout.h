// Data movement between layouts: strided copies (permute, expand, slice, concatenate, pad all
// reduce to one), and indexed reads and writes along a dim (gather, scatter-add, index select,
// index add). No arithmetic beyond the adds of scatter-add and index-add.
#pragma once

#include <cstdint>

#include "shape.h"

namespace tg {

// dst[dst_offset + sum(i_d * dst_stride_d)] = src[src_offset + sum(i_d * src_stride_d)] for every
// index i of `shape`. Strides are in elements and may be 0 (broadcast) or negative. The caller has
// checked that every index it touches lies in its buffer. elem_size is 1, 4 (any 32-bit type).
struct StridedView {
  int64_t offset;
  int64_t stride[kMaxDims];
};
void strided_copy(const void* src, const StridedView& s, void* dst, const StridedView& d,
                  const Shape& shape, int elem_size);

// Smallest and largest element offsets a strided view of `shape` touches (shape non-empty).
void strided_extent(const StridedView& v, const Shape& shape, int64_t* lo, int64_t* hi);

// Views of x as [outer, size(dim), inner].
struct DimSplit {
  int64_t outer, size, inner;
};
DimSplit split_at(const Shape& s, int dim);

// out[o, j, i] = x[o, index[o, j, i], i]; index has x's shape except along dim (torch.gather for
// an index of the same rank whose other extents match x's). Indices are checked by the caller.
void gather_f32(const float* x, DimSplit xs, const int32_t* index, DimSplit is, float* out);
// out[o, index[o, j, i], i] += src[o, j, i]: torch.scatter_add_, the backward of gather. Runs
// deterministically: each output row sums its contributions in index order.
void scatter_add_f32(float* out, DimSplit os, const int32_t* index, DimSplit is, const float* src);

// out[o, j, i] = x[o, index[j], i] (torch.index_select); elem_size 4 for float32 and int32.
void index_select(const void* x, DimSplit xs, const int32_t* index, int64_t n, void* out, int elem_size);
// out[o, index[j], i] += src[o, j, i] (torch.index_add_, the backward of index_select).
void index_add_f32(float* out, DimSplit os, const int32_t* index, int64_t n, const float* src);

}  // namespace tg
