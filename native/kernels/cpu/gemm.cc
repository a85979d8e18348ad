// The BLIS loop nest around the per-ISA micro-kernel: for each NC block of columns and KC block
// of depth, C is split into tasks by columns (each packing its own columns of op(B)) or, for many
// rows and few columns, by rows (sharing one packed op(B)). A task packs its MC x KC blocks of
// op(A) into a per-thread buffer (or, where that pays, reads op(A) where it lies) and sweeps
// micro-tiles over them; one with few rows packs all of its op(A) once per slab and its columns
// of B a run at a time, so that neither leaves L2. K is never split, so every C element sums its
// products in the same order whatever the thread count.
#include "gemm.h"

#include <algorithm>

#include "../../runtime/aligned_buffer.h"
#include "../../runtime/thread_pool.h"
#include "kernel_table.h"
#include "tile_choice.h"

namespace tg {
namespace {

// Below this many multiply-adds one thread does the whole product.
constexpr int64_t kParallelFlops = int64_t{1} << 20;
// op(A) op(B)^T with at most this many rows uses dot-product tiles (no packing); with at most
// this many columns, it does when K is at least kDotMinDepth. Below that depth, adding up each
// tile's lanes costs more than packing: the product of C^T then runs twice as fast (100x10x60).
constexpr int64_t kDotMaxSide = 16;
constexpr int64_t kDotMinDepth = 256;
// Both sides at most kDotSmallSide and K at least kDotSmallDepth: dot tiles too. Just past 16 a
// side, the packed path's tiles were mostly padding (AVX-512 17x17x512: 43 GFLOP/s against 110 as
// dot tiles, 20x20x64: 1.5x; AVX2 1.05-1.9x). With 32 a side, 128 columns or K below 64 the
// packed path is as fast or faster.
constexpr int64_t kDotSmallSide = 24;
constexpr int64_t kDotSmallDepth = 64;
// Up to this depth, and for up to 4 slivers of rows, B is read where it lies rather than packed
// (its few rows stay in the cache): AVX-512 32x512x10 went from 77 to 92 GFLOP/s. Deeper, or with
// more rows to share the packing, packing paid (256x64x10: 112 against 101).
constexpr int64_t kDirectBDepth = 16;
// C = A B at most this deep goes by direct rows whatever its rows: a packed micro-tile paid its
// fixed cost for a few steps of k (AVX-512 256x512x2: 20 -> 40 GFLOP/s, 100x30x6: 24 -> 39; AVX2
// and portable 1.1-2.8x). From 8 deep on, the packed path was as fast or faster under AVX2.
constexpr int64_t kDirectDepth = 6;
// A task whose packed op(A) takes at most this many floats packs all of it (it stays in L2) and
// packs B a run of kBRunSlivers slivers at a time between its products.
constexpr int64_t kWholeAFloats = int64_t{96} << 10;
constexpr int64_t kBRunSlivers = 8;
// Unless it has at least kStripRows rows and its packed B for the slab takes at most
// kSmallPanelFloats: such a task goes by blocks of MC rows. Taking all rows at once, each sliver
// of B wrote a strip of C as tall as the task, a page per row, where blocks of rows write C
// block by block. One thread, AVX-512: 1000x512x10 94 -> 129-134 GFLOP/s, 784x512x10 (the MLP's
// weight gradient at batch 10) 132-135 -> 144-147, 1000x512x64 NT 183 -> 207, 784x512x64 TN
// 197 -> 208. With fewer rows or a wider B, all rows at once stayed as fast or faster (300 rows:
// 300x200x100 190 against 188; a B of 300K floats: 250x1000x300 NT 199-201 against 189-194).
constexpr int64_t kStripRows = 384;
constexpr int64_t kSmallPanelFloats = int64_t{128} << 10;
// A transposed A is read where it lies, not packed, when its rows are at most kDirectAStride
// floats apart (2 KB: farther, the hardware's stride prefetch gave up and 784x32x1000 lost 16%)
// and a task's column slivers would read at most kDirectAReads floats of it, counting the slab's
// span of A (kc x lda) once per sliver. Packing cost more than the strided reads: AVX-512
// 128x32x32 TN 133 -> 174 GFLOP/s, 10x64x32 107 -> 147, 10x100x64 104 -> 131, 300x32x1000
// 120 -> 164, 512x64x512 146 -> 158. With more reads, 400x64x2000 lost 11% and 512x128x512 5%.
constexpr int64_t kDirectAStride = 512;
constexpr int64_t kDirectAReads = int64_t{256} << 10;
// An untransposed A is read where it lies by a task with at most this many column slivers: its
// micro-tiles broadcast each row's values from the row's own cache line, as fast as from a packed
// sliver, so packing paid only when shared by more slivers. AVX-512, one thread: 32x32x128
// 145 -> 192 GFLOP/s, 64^3 171 -> 188, 40x64x500 153 -> 189, 1000x64x512 152 -> 172, 128^3 +11%,
// and 128x64x4096 (A's rows 16 KB apart) +16%; AVX2 64^3 +15%, 1000x64x512 +18%.
constexpr int64_t kDirectANarrowSlivers = 4;
// A task with at least this many floats of packed op(B) at KC deep (1024 columns at KC = 384)
// streams that panel from L3 once per MC rows, since it no longer stays in L2 beside A's block;
// the wide blocks (twice the rows, a deeper slab) stream it less often. AVX-512, one thread:
// 2048^3 199 -> 208 GFLOP/s, 3072^3 202 -> 209, 1536^3 203 -> 207, 2048x2048x512 202 -> 209,
// 1024^3 +1%; two threads (1024 columns a task) 2048^3 398 -> 404, 3072^3 397 -> 410; AVX2
// 2048^3 116 -> 120. With 768 columns (2048x768x2048) or 512 (512^3, 784x512x1000) the usual
// blocks were as fast or faster, and so were they for few rows (40x4096x500: 144 against 138).
// The deeper slab goes by the slab's columns, whatever the split: 1024^3 on two threads (512
// columns a task) ran as fast with it as without.
constexpr int64_t kWidePanelFloats = int64_t{384} << 10;
// Rows and columns of C per task in the dot-product path.
constexpr int64_t kDotBlock = 64;

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

struct Problem {
  bool trans_a, trans_b;
  int64_t M, N, K;
  float alpha;
  const float* A;
  int64_t lda;
  const float* B;
  int64_t ldb;
  float beta;
  float* C;
  int64_t ldc;
  GemmEpilogue epilogue;
  bool c_transposed;  // this problem computes C^T of the caller's C (see transposed())
};

// C^T = op(B)^T op(A)^T: the same product with the operands' roles swapped, for a narrow C whose
// few columns would leave most of each micro-tile empty.
Problem transposed(const Problem& p) {
  Problem q = p;
  q.trans_a = !p.trans_b;
  q.trans_b = !p.trans_a;
  q.M = p.N;
  q.N = p.M;
  q.A = p.B;
  q.lda = p.ldb;
  q.B = p.A;
  q.ldb = p.lda;
  q.epilogue.row_bias = p.epilogue.col_bias;
  q.epilogue.col_bias = p.epilogue.row_bias;
  q.c_transposed = true;
  return q;
}

// C = beta * C, then the epilogue: what a product with K == 0 or alpha == 0 leaves.
void scale_only(const Problem& p) {
  for (int64_t i = 0; i < p.M; ++i) {
    float* c = p.C + i * p.ldc;
    for (int64_t j = 0; j < p.N; ++j) {
      float v = p.beta == 0.0f ? 0.0f : p.beta * c[j];
      if (p.epilogue.row_bias) v += p.epilogue.row_bias[i];
      if (p.epilogue.col_bias) v += p.epilogue.col_bias[j];
      if (p.epilogue.relu && v < 0.0f) v = 0.0f;
      c[j] = v;
    }
  }
}

float* c_at(const Problem& p, int64_t i, int64_t j) {
  return p.c_transposed ? p.C + j * p.ldc + i : p.C + i * p.ldc + j;
}

// A split of [0, n) into `parts` ranges whose bounds are multiples of `unit`.
struct Split {
  int64_t n, unit, parts;
  int64_t begin(int64_t t) const { return std::min(n, ceil_div(ceil_div(n, unit) * t, parts) * unit); }
  int64_t end(int64_t t) const { return begin(t + 1); }
};

// Where the micro-kernel reads op(B)'s NR-column slivers of a KC slab, from sliver `first` on:
// packed, or (for a few rows of C, when packing would cost more than it saves) straight from a
// non-transposed B, with only a partial last sliver packed.
struct BSlivers {
  float* packed;
  const float* direct;  // B at the slab's first row and column, or null when all are packed
  int64_t ldb, full, nr, kc, first;

  const float* at(int64_t s) const {
    if (direct && s < full) return direct + s * nr;
    return packed + (direct ? 0 : (s - first) * nr * kc);
  }
  int64_t stride(int64_t s) const { return direct && s < full ? ldb : nr; }
};

// The slab's op(B) columns [j_begin, j_end) (multiples of NR from jc, the last one may end at nc),
// packed into buf by the calling thread.
BSlivers pack_b_part(const Problem& p, const GemmKernel& g, bool direct, int64_t jc, int64_t nc,
                     int64_t pc, int64_t kc, int64_t j_begin, int64_t j_end, AlignedBuffer& buf) {
  BSlivers b{nullptr, nullptr, p.ldb, nc / g.nr, g.nr, kc, j_begin / g.nr};
  if (direct) {
    b.direct = p.B + pc * p.ldb + jc;
    const int64_t partial = b.full * g.nr;
    if (j_end > partial) {
      b.packed = buf.floats(static_cast<size_t>(g.nr) * kc);
      g.pack_b(false, p.B, p.ldb, pc, kc, jc + partial, nc - partial, b.packed);
    }
    return b;
  }
  b.packed = buf.floats(static_cast<size_t>(ceil_div(j_end - j_begin, g.nr)) * g.nr * kc);
  g.pack_b(p.trans_b, p.B, p.ldb, pc, kc, jc + j_begin, j_end - j_begin, b.packed);
  return b;
}

// Where the micro-kernel reads op(A)'s MR-row slivers of a block of rows: packed (MR values a step
// of k), or where A lies: transposed, a sliver's values at each k are contiguous, lda floats on
// from the last step's; untransposed, they are lda floats apart, the next step's one float on.
// There an odd last sliver is packed: a micro-kernel reads an even number of rows, and the row
// past the block may lie past the end of A.
struct ASlivers {
  const float* packed;  // sliver ir at packed + ir * kc; when direct, the odd last sliver alone
  const float* direct;  // op(A) at the block's first row and the slab's first k, or null
  int64_t kc, mr, lda, odd_last;  // odd_last: the packed last sliver's first row, or -1
  bool trans;

  bool in_place(int64_t ir) const { return direct && ir != odd_last; }
  const float* at(int64_t ir) const {
    if (!direct) return packed + ir * kc;
    return ir == odd_last ? packed : direct + (trans ? ir : ir * lda);
  }
  int64_t step(int64_t ir) const { return !in_place(ir) ? mr : trans ? lda : 1; }
  int64_t row(int64_t ir) const { return in_place(ir) && !trans ? lda : 1; }
};

// Rows [i0, i0 + m) of the slab's op(A), packed into buf by the calling thread unless `direct`.
ASlivers pack_a_part(const Problem& p, const GemmKernel& g, bool direct, int64_t i0, int64_t m,
                     int64_t pc, int64_t kc, AlignedBuffer& buf) {
  ASlivers a{nullptr, nullptr, kc, g.mr, p.lda, -1, p.trans_a};
  if (direct) {
    a.direct = p.trans_a ? p.A + pc * p.lda + i0 : p.A + i0 * p.lda + pc;
    const int64_t last = (m - 1) / g.mr * g.mr;
    if ((m - last) % 2 != 0) {
      a.odd_last = last;
      float* dst = buf.floats(static_cast<size_t>(g.mr) * kc);
      g.pack_a(p.trans_a, p.A, p.lda, i0 + last, m - last, pc, kc, dst);
      a.packed = dst;
    }
    return a;
  }
  float* dst = buf.floats(static_cast<size_t>(ceil_div(m, g.mr) * g.mr * kc));
  g.pack_a(p.trans_a, p.A, p.lda, i0, m, pc, kc, dst);
  a.packed = dst;
  return a;
}

// Whether a task reads op(A) where it lies rather than packing it, for kc steps of k and `cols`
// columns of C.
bool a_in_place(const Problem& p, const GemmKernel& g, int64_t kc, int64_t cols) {
  const int64_t slivers = ceil_div(cols, g.nr);
  if (p.trans_a) return p.lda <= kDirectAStride && slivers * kc * p.lda <= kDirectAReads;
  return slivers <= kDirectANarrowSlivers;
}

// The mc rows of one full column sliver of C = AB: plain micro-kernels for whole even row counts,
// the general one for an odd last sliver.
void plain_column(const GemmKernel& g, const ASlivers& a, int64_t mc, const float* b_sliver,
                  int64_t b_stride, float* c, int64_t ldc, const GemmTile& tile) {
  for (int64_t ir = 0; ir < mc; ir += g.mr) {
    const int rows = static_cast<int>(std::min<int64_t>(g.mr, mc - ir));
    if (rows % 2 == 0) {
      g.plain[rows / 2 - 1](a.kc, a.at(ir), a.step(ir), a.row(ir), b_sliver, b_stride, c + ir * ldc,
                            ldc);
    } else {
      g.micro(a.kc, a.at(ir), a.step(ir), a.row(ir), b_sliver, b_stride, c + ir * ldc, ldc, rows,
              g.nr, tile);
    }
  }
}

// The rows [ic, ic + mc) of C, their op(A) in `a`, times op(B)'s slivers of columns
// [j_begin, j_end) of the slab: a column sliver at a time, its micro-tiles down the rows.
void sweep(const Problem& p, const GemmKernel& g, const GemmTile& tile, const BSlivers& b,
           const ASlivers& a, int64_t ic, int64_t mc, int64_t jc, int64_t j_begin, int64_t j_end) {
  // Sliver s counted alongside jr, not divided out of it by the run-time NR on every sliver
  // (an idiv showed in the profile of 20x576x25).
  for (int64_t jr = j_begin, s = j_begin / g.nr; jr < j_end; jr += g.nr, ++s) {
    const int cols_here = static_cast<int>(std::min<int64_t>(g.nr, j_end - jr));
    const float* b_sliver = b.at(s);
    const int64_t b_stride = b.stride(s);
    if (tile.plain && cols_here == g.nr && !p.c_transposed) {
      plain_column(g, a, mc, b_sliver, b_stride, p.C + ic * p.ldc + jc + jr, p.ldc, tile);
      continue;
    }
    GemmTile t = tile;
    if (t.bias && p.epilogue.col_bias) t.col_bias = p.epilogue.col_bias + jc + jr;
    for (int64_t ir = 0; ir < mc; ir += g.mr) {
      const int rows_here = static_cast<int>(std::min<int64_t>(g.mr, mc - ir));
      if (t.bias && p.epilogue.row_bias) t.row_bias = p.epilogue.row_bias + ic + ir;
      g.micro(a.kc, a.at(ir), a.step(ir), a.row(ir), b_sliver, b_stride, c_at(p, ic + ir, jc + jr),
              p.ldc, rows_here, cols_here, t);
    }
  }
}

// Cache blocks for the nc columns of a slab: the depth of the slabs, all equal (a short last one
// would reload C for a few products), and the rows of op(A) each task packs at a time. The depth
// depends on the product alone, never on how it is split, so that every element of C sums its
// products in the same order for any thread count.
struct Blocks {
  int64_t kc, mc;
};

Blocks blocks_for(const Problem& p, const GemmKernel& g, int64_t nc, const Split& rows,
                  const Split& cols) {
  const bool many_rows = p.M >= 2 * g.mc_wide;
  const bool wide_slab = many_rows && nc * g.kc >= kWidePanelFloats;
  const bool wide_task = wide_slab && rows.end(0) >= 2 * g.mc_wide &&
                         cols.end(0) * g.kc >= kWidePanelFloats;
  const int64_t kc = wide_slab ? g.kc_wide : g.kc;
  return {ceil_div(p.K, ceil_div(p.K, kc)), wide_task ? g.mc_wide : g.mc};
}

// One KC-deep slab: C[:, jc:jc+nc] (+)= op(A)[:, pc:pc+kc] * op(B)[pc:pc+kc, jc:jc+nc], op(A)
// packed mc rows at a time. With `shared` null, each task packs its own columns of B.
void slab(const Problem& p, const GemmKernel& g, int64_t jc, int64_t nc, int64_t pc, int64_t kc,
          int64_t mc_block, const BSlivers* shared, bool b_direct, const Split& rows,
          const Split& cols) {
  const bool first = pc == 0, last = pc + kc == p.K;
  GemmTile tile{p.alpha, first ? p.beta : 1.0f, nullptr, nullptr, false, last && p.epilogue.relu,
                p.c_transposed};
  tile.bias = last && (p.epilogue.row_bias || p.epilogue.col_bias);
  tile.plain = tile.alpha == 1.0f && tile.beta == 0.0f && !tile.bias && !tile.relu;
  thread_local AlignedBuffer a_buffer, own_b_buffer;
  parallel_for(rows.parts * cols.parts, [&](int64_t task) {
    const int64_t i_begin = rows.begin(task / cols.parts), i_end = rows.end(task / cols.parts);
    const int64_t j_begin = cols.begin(task % cols.parts), j_end = cols.end(task % cols.parts);
    const int64_t a_floats = ceil_div(i_end - i_begin, g.mr) * g.mr * kc;
    const bool a_direct = a_in_place(p, g, kc, j_end - j_begin);
    const bool tall = i_end - i_begin >= kStripRows && (j_end - j_begin) * kc <= kSmallPanelFloats;
    if (!shared && !b_direct && a_floats <= kWholeAFloats && !tall) {
      // All of the task's op(A) stays in L2, and B is packed a run of slivers at a time just
      // before its products: a B packed whole for the slab went out to L3 and came back
      // (40x4096x500: 4 MB a slab, packing took a third of the time).
      const ASlivers a = pack_a_part(p, g, a_direct, i_begin, i_end - i_begin, pc, kc, a_buffer);
      const int64_t run = kBRunSlivers * g.nr;
      for (int64_t j0 = j_begin; j0 < j_end; j0 += run) {
        const int64_t j1 = std::min(j_end, j0 + run);
        const BSlivers b = pack_b_part(p, g, false, jc, nc, pc, kc, j0, j1, own_b_buffer);
        sweep(p, g, tile, b, a, i_begin, i_end - i_begin, jc, j0, j1);
      }
      return;
    }
    const BSlivers b =
        shared ? *shared : pack_b_part(p, g, b_direct, jc, nc, pc, kc, j_begin, j_end, own_b_buffer);
    for (int64_t ic = i_begin; ic < i_end; ic += mc_block) {
      const int64_t mc = std::min(mc_block, i_end - ic);
      const ASlivers a = pack_a_part(p, g, a_direct, ic, mc, pc, kc, a_buffer);
      sweep(p, g, tile, b, a, ic, mc, jc, j_begin, j_end);
    }
  });
}

void run_packed(const Problem& p) {
  const GemmKernel& g = kernels().gemm;
  const bool parallel = p.M * p.N * p.K >= kParallelFlops;
  const int64_t threads = parallel ? num_threads() : 1;
  const int64_t row_slivers = ceil_div(p.M, g.mr);
  // B's rows at most two slivers wide are read in place too: then each sliver holds at least half
  // of every line it touches, and packing was a copy of a B that is already nearly packed
  // (AVX-512 32x32x128: 97 -> 121 GFLOP/s, 32x64x128: 115 -> 132). With four slivers to a row,
  // AVX2's 256x64x256 lost 14%: a sliver then kept a quarter of the L1's sets busy.
  const bool b_direct = !p.trans_b && (row_slivers <= 2 || p.ldb <= 2 * g.nr ||
                                       (p.K <= kDirectBDepth && row_slivers <= 4));
  thread_local AlignedBuffer b_buffer;
  for (int64_t jc = 0; jc < p.N; jc += g.nc) {
    const int64_t nc = std::min<int64_t>(g.nc, p.N - jc);
    // The columns split in `threads` parts, each task taking all rows and packing its own
    // columns of B, unless there are many rows and few columns: then row tasks share one packed
    // B. A B packed by one thread and read by another crosses between cores on every call (it
    // made a 40x64x500 product slower on two threads than on one, and 256^3 ran at 158 against
    // 186 GFLOP/s split by columns); packing all of A in each task costs little next to that.
    // With few row slivers, row tasks would also leave a thread idle (11 slivers on 2 threads).
    // A product too small for the pool is one task, so it goes by columns too.
    const int64_t col_slivers = ceil_div(nc, g.nr);
    const bool by_cols = !parallel || row_slivers < 8 * threads || col_slivers >= 4 * threads;
    // But with fewer columns than rows, a task of its own rows packs a copy of all of B, which
    // costs less than each task packing all of A, as a task of columns does (both reading the
    // same A from L3). Two threads, AVX-512: 1000x512x784 NT 377 -> 399 GFLOP/s, 1000x784x512
    // 371 -> 397, 784x512x1000 TN 388 -> 398, 784x512x10 TN 163-179 -> 293-298, 3000x512x512
    // 393 -> 417, 600x512x512 387-391 -> 398-399; 512x384x512 and 2048x1536x512 the same.
    const bool own_rows = by_cols && threads > 1 && nc < p.M && row_slivers >= 4 * threads;
    const Split rows{p.M, g.mr, own_rows ? threads : by_cols ? 1 : std::min(row_slivers, 4 * threads)};
    const Split cols{nc, g.nr, by_cols && !own_rows ? std::min(col_slivers, threads) : 1};
    const Blocks blocks = blocks_for(p, g, nc, rows, cols);
    for (int64_t pc = 0; pc < p.K; pc += blocks.kc) {
      const int64_t kc = std::min(blocks.kc, p.K - pc);
      if (by_cols) {
        slab(p, g, jc, nc, pc, kc, blocks.mc, nullptr, b_direct, rows, cols);
        continue;
      }
      float* packed = b_buffer.floats(static_cast<size_t>(col_slivers) * g.nr * kc);
      const BSlivers b{packed, nullptr, p.ldb, nc / g.nr, g.nr, kc, 0};
      const int64_t pack_tasks = ceil_div(col_slivers, 8);
      parallel_for(pack_tasks, [&](int64_t t) {
        const int64_t s0 = col_slivers * t / pack_tasks, s1 = col_slivers * (t + 1) / pack_tasks;
        const int64_t j0 = s0 * g.nr, j1 = std::min(nc, s1 * g.nr);
        g.pack_b(p.trans_b, p.B, p.ldb, pc, kc, jc + j0, j1 - j0, packed + s0 * g.nr * kc);
      });
      slab(p, g, jc, nc, pc, kc, blocks.mc, &b, false, rows, cols);
    }
  }
}

// The tile flags of a product done in one pass over K (no slabs), bias pointers left to each task.
GemmTile whole_tile(const Problem& p) {
  GemmTile t{p.alpha, p.beta, nullptr, nullptr, p.epilogue.row_bias || p.epilogue.col_bias,
             p.epilogue.relu, false};
  t.plain = t.alpha == 1.0f && t.beta == 0.0f && !t.bias && !t.relu;
  return t;
}

// op(A) op(B)^T with few rows or few columns, both operands contiguous along k: dot-product tiles
// in blocks of C spread over the pool.
void run_dot(const Problem& p) {
  const GemmKernel& g = kernels().gemm;
  const GemmTile tile = whole_tile(p);
  const bool parallel = p.M * p.N * p.K >= kParallelFlops;
  const int64_t row_tasks = parallel ? ceil_div(p.M, kDotBlock) : 1;
  const int64_t col_tasks = parallel ? ceil_div(p.N, kDotBlock) : 1;
  parallel_for(row_tasks * col_tasks, [&](int64_t t) {
    const int64_t rt = t / col_tasks, ct = t % col_tasks;
    const int64_t i0 = p.M * rt / row_tasks, i1 = p.M * (rt + 1) / row_tasks;
    const int64_t j0 = p.N * ct / col_tasks, j1 = p.N * (ct + 1) / col_tasks;
    GemmTile tt = tile;
    if (p.epilogue.row_bias) tt.row_bias = p.epilogue.row_bias + i0;
    if (p.epilogue.col_bias) tt.col_bias = p.epilogue.col_bias + j0;
    const int tiles = j1 - j0 <= 2 ? g.n_dot : g.n_dot_wide;
    const GemmDotKernel& dot = cheapest_tile(g.dot, tiles, i1 - i0, j1 - j0);
    dot.run(i1 - i0, j1 - j0, p.K, p.A + i0 * p.lda, p.lda, p.B + j0 * p.ldb, p.ldb,
            p.C + i0 * p.ldc + j0, p.ldc, tt);
  });
}

// The narrow kernel (one vector per row of C) against the packed path, measured on AVX-512 and
// AVX2 for M 1-1000, K 10-2000: 1.2-4x as fast with both operands untransposed and more than half
// a vector of columns (512x10x1000: 47 -> 77 GFLOP/s; 1000x16x100: 80 -> 131), or with few rows;
// with fewer columns and many rows, C^T fills the micro-tiles better (512x4x64: 35 against 30).
// With A transposed (a weight gradient), C^T pays a transposing store per tile, which the narrow
// kernel saves: it wins with a whole vector of columns (512x16x10: 52 -> 122, 1000x16x64: 111 ->
// 135; AVX2 512x8x10: 30 -> 75), and with a part vector only while K is short, where that store
// weighs most (512x10x10: 60 -> 74, but 512x10x64: 72 against 127), or for at most 16 rows, where
// the packed path packed a whole sliver of B for a few rows (10x10x256: 25 -> 40, 16x5x100: 21
// -> 36); the last two only where part vectors are masked loads and stores.
bool narrow_pays(const Problem& p, const GemmKernel& g) {
  if (p.trans_b || p.N > g.narrow_cols) return false;
  const bool few_rows = p.M <= 16;
  if (p.trans_a) {
    const bool parts_pay = g.narrow_part_depth > 0;  // masked part vectors (AVX-512)
    return p.N == g.narrow_cols || (2 * p.N > g.narrow_cols && p.K <= g.narrow_part_depth) ||
           (parts_pay && few_rows);
  }
  return 2 * p.N > g.narrow_cols || few_rows;
}

// C = op(A) B with at most one vector of columns: row blocks of C spread over the pool.
void run_narrow(const Problem& p) {
  const GemmKernel& g = kernels().gemm;
  GemmTile tile = whole_tile(p);
  tile.col_bias = p.epilogue.col_bias;
  const bool parallel = p.M * p.N * p.K >= kParallelFlops;
  const int64_t tasks = parallel ? std::min<int64_t>(ceil_div(p.M, g.narrow_rows), 4 * num_threads()) : 1;
  const int64_t blocks = ceil_div(p.M, g.narrow_rows);
  parallel_for(tasks, [&](int64_t t) {
    const int64_t i0 = blocks * t / tasks * g.narrow_rows;
    const int64_t i1 = std::min(p.M, blocks * (t + 1) / tasks * g.narrow_rows);
    GemmTile tt = tile;
    if (p.epilogue.row_bias) tt.row_bias = p.epilogue.row_bias + i0;
    const float* a = p.trans_a ? p.A + i0 : p.A + i0 * p.lda;
    g.narrow(p.trans_a, i1 - i0, static_cast<int>(p.N), p.K, a, p.lda, p.B, p.ldb, p.C + i0 * p.ldc,
             p.ldc, tt);
  });
}

// C = op(A) B by direct rows: blocks of rows and runs of columns spread over the pool.
void run_direct(const Problem& p) {
  const GemmKernel& g = kernels().gemm;
  const GemmTile tile = whole_tile(p);
  const bool parallel = p.M * p.N * p.K >= kParallelFlops;
  const int64_t runs = ceil_div(p.N, g.direct_run), blocks = ceil_div(p.M, g.direct_rows);
  const int64_t col_tasks = parallel ? std::min<int64_t>(runs, 4 * num_threads()) : 1;
  const int64_t row_tasks =
      parallel ? std::min<int64_t>(blocks, std::max<int64_t>(1, 4 * num_threads() / col_tasks)) : 1;
  parallel_for(row_tasks * col_tasks, [&](int64_t t) {
    const int64_t rt = t / col_tasks, ct = t % col_tasks;
    const int64_t i0 = blocks * rt / row_tasks * g.direct_rows;
    const int64_t i1 = std::min(p.M, blocks * (rt + 1) / row_tasks * g.direct_rows);
    const int64_t j0 = runs * ct / col_tasks * g.direct_run;
    const int64_t j1 = std::min(p.N, runs * (ct + 1) / col_tasks * g.direct_run);
    GemmTile tt = tile;
    if (p.epilogue.row_bias) tt.row_bias = p.epilogue.row_bias + i0;
    if (p.epilogue.col_bias) tt.col_bias = p.epilogue.col_bias + j0;
    const float* a = p.trans_a ? p.A + i0 : p.A + i0 * p.lda;
    g.direct(p.trans_a, i1 - i0, j1 - j0, p.K, a, p.lda, p.B + j0, p.ldb, p.C + i0 * p.ldc + j0,
             p.ldc, tt);
  });
}

// C = A B with one or two columns: B^T, copied out (2K floats), makes it dot products (256x2x512:
// 18 -> 53 GFLOP/s, where C^T's tiles were mostly padding).
void run_dot_copied(const Problem& p) {
  thread_local AlignedBuffer scratch;
  float* bt = scratch.floats(static_cast<size_t>(p.N * p.K));
  for (int64_t j = 0; j < p.N; ++j)
    for (int64_t k = 0; k < p.K; ++k) bt[j * p.K + k] = p.B[k * p.ldb + j];
  Problem q = p;
  q.trans_b = true;
  q.B = bt;
  q.ldb = p.K;
  run_dot(q);
}

// A bare C = A^T B with a few columns (a weight gradient for a layer with few inputs): the same
// numbers as C^T = B^T A, direct rows over A's rows as they lie, into a scratch C^T copied out
// (784x2x32: 28 -> 82 GFLOP/s). The copy applies no epilogue, so only a bare product comes here.
void run_direct_transposed(const Problem& p) {
  thread_local AlignedBuffer scratch;
  float* ct = scratch.floats(static_cast<size_t>(p.N * p.M));
  const Problem q{true, false, p.N, p.M, p.K, 1.0f, p.B, p.ldb, p.A, p.lda, 0.0f, ct, p.M,
                  GemmEpilogue{}, false};
  run_direct(q);
  for (int64_t i = 0; i < p.M; ++i)
    for (int64_t j = 0; j < p.N; ++j) p.C[i * p.ldc + j] = ct[j * p.M + i];
}

// Products with a vector in them, in the form that has a kernel for it. A one-row op(A) or a
// one-column B stored as one run of floats reads the same as its transpose: C = a B with a stored
// K x 1 is a 1 x K, and C = A b with b stored K x 1 is A (b^T)^T, dot products. C = A^T b, one
// column stored as one run, is C^T = b^T A, a row of direct sums.
Problem vector_form(Problem p) {
  if (p.trans_a && p.N == 1 && p.ldc == 1) {
    p = transposed(p);
    p.c_transposed = false;
    p.ldc = p.N;
  }
  if (p.trans_a && p.M == 1 && p.lda == 1) {
    p.trans_a = false;
    p.lda = p.K;
  }
  if (!p.trans_b && p.N == 1 && p.ldb == 1) {
    p.trans_b = true;
    p.ldb = p.K;
  }
  return p;
}

void run(const Problem& problem) {
  const GemmKernel& g = kernels().gemm;
  const Problem p = vector_form(problem);
  const bool few_rows = p.M <= kDotMaxSide, few_cols = p.N <= kDotMaxSide && p.K >= kDotMinDepth;
  const bool small = p.M <= kDotSmallSide && p.N <= kDotSmallSide && p.K >= kDotSmallDepth;
  if (!p.trans_a && p.trans_b && (few_rows || few_cols || small || p.N <= 2)) return run_dot(p);
  if (narrow_pays(p, g)) return run_narrow(p);
  const bool direct_rows = p.M <= g.direct_rows || (!p.trans_a && p.K <= kDirectDepth);
  if (!p.trans_b && direct_rows) return run_direct(p);
  if (!p.trans_a && !p.trans_b && p.N <= 2) return run_dot_copied(p);
  if (p.trans_a && !p.trans_b && p.N <= g.direct_rows && whole_tile(p).plain) {
    return run_direct_transposed(p);
  }
  if (p.N < g.nr && p.M > p.N) return run_packed(transposed(p));
  run_packed(p);
}

}  // namespace

void sgemm(bool trans_a, bool trans_b, int64_t M, int64_t N, int64_t K, float alpha,
           const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C,
           int64_t ldc, const GemmEpilogue& epilogue) {
  if (M <= 0 || N <= 0) return;
  const Problem p{trans_a, trans_b, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc, epilogue, false};
  if (K <= 0 || alpha == 0.0f) return scale_only(p);
  run(p);
}

}  // namespace tg
