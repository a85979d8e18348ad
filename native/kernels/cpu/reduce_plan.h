// How a reduction walks a contiguous tensor: the kept dims (one output each, in output order)
// and the reduced dims (folded into each output), each merged where adjacent, and the parallel
// driver shared by every reduction kernel.
//
// Determinism: work is cut by sizes alone. The outputs are split into blocks, and each output's
// reduced elements into chunks of kReduceChunk in their row-major order; a chunk is folded by
// one task in a fixed order, and the chunks' partial results are joined in chunk order. So every
// result is the same, bit for bit, whatever the thread count.
#pragma once

#include <cstdint>
#include <vector>

#include "../../runtime/thread_pool.h"
#include "shape.h"

namespace tg {

constexpr int64_t kReduceGrain = 1 << 15;  // input elements per task, about
constexpr int64_t kReduceChunk = 1 << 15;  // reduced elements folded by one task, at most
constexpr int64_t kReduceTile = 256;       // outputs accumulated side by side in column mode

// A row-major loop nest over some dims of a tensor: extents and the input's element strides.
// A space with no dims is one point (dim [1], stride 0).
struct Space {
  int ndim = 0;
  int64_t dim[kMaxDims] = {};
  int64_t stride[kMaxDims] = {};
  int64_t numel = 1;
};

struct ReducePlan {
  Space kept;     // the output is contiguous over this space
  Space reduced;  // folded into each output
  // Row mode: the reduced space's innermost dim is contiguous, so each output folds contiguous
  // runs. Column mode: the kept innermost dim is contiguous, so a tile of neighbouring outputs
  // accumulates together, one reduced index at a time.
  bool rows = true;
};

// dims_mask: bit d set when dim d is reduced.
ReducePlan plan_reduce(const Shape& s, uint32_t dims_mask);

// Calls body(offset, pos, n) for runs of n consecutive indices [pos, pos + n) along the
// innermost dim, starting at input element `offset`, covering the flat indices [begin, end).
template <typename Body>
void for_each_run(const Space& s, int64_t begin, int64_t end, Body body) {
  if (begin >= end) return;
  const int last = s.ndim - 1;
  int64_t idx[kMaxDims];
  int64_t rem = begin, off = 0;
  for (int d = last; d >= 0; --d) {
    idx[d] = rem % s.dim[d];
    rem /= s.dim[d];
    off += idx[d] * s.stride[d];
  }
  int64_t pos = begin;
  while (pos < end) {
    const int64_t n = s.dim[last] - idx[last] < end - pos ? s.dim[last] - idx[last] : end - pos;
    body(off, pos, n);
    pos += n;
    off += n * s.stride[last];
    idx[last] += n;
    for (int d = last; d > 0 && idx[d] == s.dim[d]; --d) {
      off -= idx[d] * s.stride[d];
      idx[d] = 0;
      ++idx[d - 1];
      off += s.stride[d - 1];
    }
  }
}

// Runs a reduction described by the fold F:
//   using Acc; struct Tile (kReduceTile accumulators)
//   Acc identity() const;
//   void row(int64_t offset, int64_t n, int64_t r, int64_t o, Acc* acc) const;
//        fold the n contiguous inputs at `offset` (reduced indices r..r+n) into output o's acc
//   void reset(Tile*, int64_t w) const;  Acc get(const Tile&, int64_t j) const;
//   void col(Tile*, int64_t j, int64_t offset, int64_t m, int64_t r, int64_t o) const;
//        fold the m contiguous inputs at `offset` (reduced index r) into tile slots j..j+m,
//        which belong to outputs o..o+m
//   Acc join(const Acc& earlier, const Acc& later) const;
//   void store(int64_t o, const Acc&) const;
template <typename F>
void run_reduce(const ReducePlan& p, const F& f) {
  using Acc = typename F::Acc;
  const int64_t n_out = p.kept.numel, n_red = p.reduced.numel;
  if (n_out == 0) return;
  if (n_red == 0) {
    for (int64_t o = 0; o < n_out; ++o) f.store(o, f.identity());
    return;
  }
  const int64_t n_chunks = (n_red + kReduceChunk - 1) / kReduceChunk;
  const int64_t per_out = n_red < kReduceChunk ? n_red : kReduceChunk;
  std::vector<Acc> partial(n_chunks > 1 ? n_out * n_chunks : 0);
  auto emit = [&](int64_t o, int64_t c, const Acc& a) {
    if (n_chunks == 1) {
      f.store(o, a);
    } else {
      partial[o * n_chunks + c] = a;
    }
  };
  int64_t block = kReduceGrain / per_out;
  if (block < 1) block = 1;
  if (!p.rows) block = (block + kReduceTile - 1) / kReduceTile * kReduceTile;
  const int64_t n_blocks = (n_out + block - 1) / block;
  parallel_for(n_blocks * n_chunks, [&](int64_t t) {
    const int64_t o0 = t / n_chunks * block, c = t % n_chunks;
    const int64_t o1 = o0 + block < n_out ? o0 + block : n_out;
    const int64_t r0 = c * kReduceChunk;
    const int64_t r1 = r0 + kReduceChunk < n_red ? r0 + kReduceChunk : n_red;
    if (p.rows) {
      const int64_t ks = p.kept.stride[p.kept.ndim - 1];
      for_each_run(p.kept, o0, o1, [&](int64_t koff, int64_t o, int64_t m) {
        for (int64_t k = 0; k < m; ++k) {
          Acc acc = f.identity();
          for_each_run(p.reduced, r0, r1, [&](int64_t roff, int64_t r, int64_t n) {
            f.row(koff + k * ks + roff, n, r, o + k, &acc);
          });
          emit(o + k, c, acc);
        }
      });
      return;
    }
    const int64_t rs = p.reduced.stride[p.reduced.ndim - 1];
    for (int64_t t0 = o0; t0 < o1; t0 += kReduceTile) {
      const int64_t t1 = t0 + kReduceTile < o1 ? t0 + kReduceTile : o1;
      typename F::Tile tile;
      f.reset(&tile, t1 - t0);
      for_each_run(p.kept, t0, t1, [&](int64_t koff, int64_t o, int64_t m) {
        for_each_run(p.reduced, r0, r1, [&](int64_t roff, int64_t r, int64_t n) {
          for (int64_t k = 0; k < n; ++k) f.col(&tile, o - t0, koff + roff + k * rs, m, r + k, o);
        });
      });
      for (int64_t o = t0; o < t1; ++o) emit(o, c, f.get(tile, o - t0));
    }
  });
  if (n_chunks == 1) return;
  const int64_t join_block = kReduceGrain / n_chunks > 1 ? kReduceGrain / n_chunks : 1;
  parallel_for((n_out + join_block - 1) / join_block, [&](int64_t b) {
    const int64_t o1 = (b + 1) * join_block < n_out ? (b + 1) * join_block : n_out;
    for (int64_t o = b * join_block; o < o1; ++o) {
      Acc acc = partial[o * n_chunks];
      for (int64_t c = 1; c < n_chunks; ++c) acc = f.join(acc, partial[o * n_chunks + c]);
      f.store(o, acc);
    }
  });
}

}  // namespace tg
