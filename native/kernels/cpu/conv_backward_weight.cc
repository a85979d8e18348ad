// The weight gradient: per group, dW [og, K] = the sum over images n and output positions p of
// dy[n, o, p] * im2col(x[n])[k, p]. Both operands run along the positions, so this product is
// made of dot products: a tile of dW keeps a vector of partial sums per element along a span of
// positions (those of a few images, laid end to end), and adds its lanes up in a fixed order at
// the span's end. dy's rows are copied span by span, and im2col's rows packed by the forward's
// implicit im2col: both contiguous along the positions, with no transposition anywhere.
//
// Tasks own columns of dW and sum their images in order. When there are few of them (a small
// weight, as in a first layer) the batch is cut into a fixed number of chunks as well, each
// summed by its own task into its own partial dW, and the partials are added in chunk order:
// the chunks depend on the shapes alone, so the result does not depend on the thread count.
#include <cstring>

#include "../../runtime/aligned_buffer.h"
#include "conv.h"
#include "conv_direct.h"
#include "conv_gemm.h"
#include "reduce.h"
#include "tile_choice.h"

namespace tg {
namespace {

// Fewest tasks worth having before the batch is cut into chunks.
constexpr int64_t kMinTasks = 8;
// Positions per span, about: long enough that adding the lanes up is a small part of a tile's
// work, short enough that a tile's rows stay in L2.
constexpr int64_t kSpan = 2048;
// Floats of packed im2col rows at a time (256 KiB, in L2).
constexpr int64_t kPanelFloats = int64_t{1} << 16;
// Fewest dW columns per task: each task copies dy's rows for all of them.
constexpr int64_t kMinColumnsPerTask = 16;

thread_local AlignedBuffer partial_buffer;
thread_local AlignedBuffer a_buffer;
thread_local AlignedBuffer b_buffer;

struct Plan {
  int64_t og, cg, K, P;
  ConvDotKernel dot;
  int64_t span_images;  // images per span
  int64_t col_chunks, batch_chunks;
  int64_t tasks_per_group() const { return col_chunks * batch_chunks; }
};

Plan plan(const Conv2dShape& s, const ConvLoops& loops) {
  Plan p;
  p.og = s.o / s.groups;
  p.cg = s.c / s.groups;
  p.K = p.cg * s.kh * s.kw;
  p.P = s.ho * s.wo;
  p.dot = cheapest_tile(loops.dot, loops.n_dot, p.og, p.K);
  p.span_images = kSpan / p.P < 1 ? 1 : (kSpan / p.P > s.n ? s.n : kSpan / p.P);
  const int64_t col_tiles = conv::ceil_div(p.K, p.dot.s);
  const int64_t tile_work = p.og * p.dot.s * s.n * p.P;
  int64_t per_chunk = tile_work >= conv::kTaskWork ? 1 : conv::ceil_div(conv::kTaskWork, tile_work);
  const int64_t min_tiles = conv::ceil_div(kMinColumnsPerTask, p.dot.s);
  if (per_chunk < min_tiles) per_chunk = min_tiles;
  p.col_chunks = conv::ceil_div(col_tiles, per_chunk);
  p.batch_chunks = 1;
  const int64_t column_tasks = s.groups * p.col_chunks;
  if (column_tasks < kMinTasks) {
    const int64_t total = s.groups * p.og * p.K * s.n * p.P;
    int64_t want = conv::ceil_div(kMinTasks, column_tasks);
    const int64_t afford = total / conv::kTaskWork / column_tasks;  // keep tasks at kTaskWork
    if (want > afford) want = afford;
    if (want > s.n) want = s.n;
    if (want > 1) p.batch_chunks = want;
  }
  return p;
}

// a [og, Lpad] = dy's rows of group grp for images [n, n + g), end to end, zero padded.
void copy_dy(const Conv2dShape& s, const Plan& p, const float* dy, int64_t grp, int64_t n,
             int64_t g, int64_t lpad, float* a) {
  for (int64_t o = 0; o < p.og; ++o) {
    float* row = a + o * lpad;
    for (int64_t i = 0; i < g; ++i) {
      std::memcpy(row + i * p.P, dy + ((n + i) * s.o + grp * p.og + o) * p.P,
                  static_cast<size_t>(p.P) * sizeof(float));
    }
    for (int64_t l = g * p.P; l < lpad; ++l) row[l] = 0.0f;
  }
}

// b [kc, Lpad] = rows [k0, k0 + kc) of im2col(x) for images [n, n + g), end to end, zero padded.
void pack_x(const Conv2dShape& s, const Plan& p, const float* x, int64_t grp, int64_t n, int64_t g,
            int64_t k0, int64_t kc, int64_t lpad, float* b) {
  const ConvLoops& loops = kernels().conv;
  const ConvGeometry geo = conv::geometry(s);
  const int64_t rows_per_call = kConvMaxPanel;  // output rows, one run each
  ConvRun runs[kConvMaxPanel];
  for (int64_t i = 0; i < g; ++i) {
    const float* xi = x + ((n + i) * s.c + grp * p.cg) * s.h * s.w;
    for (int64_t p0 = 0; p0 < p.P; p0 += rows_per_call * s.wo) {
      const int64_t cols = conv::min(rows_per_call * s.wo, p.P - p0);
      const int64_t start = i * p.P + p0;
      const bool last = i == g - 1 && p0 + cols == p.P;
      const int n_runs = conv::make_runs(p0, cols, s.wo, runs);
      loops.pack_cols(geo, xi, k0, kc, runs, n_runs, static_cast<int>(cols), lpad,
                      last ? lpad - start : cols, b + start);
    }
  }
}

// One task: columns [j_begin, j_end) of group grp's dW (row stride K) summed over images
// [n0, n1), span by span.
void task(const Conv2dShape& s, const Plan& p, const float* dy, const float* x, int64_t grp,
          int64_t j_begin, int64_t j_end, int64_t n0, int64_t n1, float* out) {
  const int vec = kernels().conv.vec;
  const ConvDotKernel& dot = p.dot;
  bool first = true;
  for (int64_t n = n0; n < n1; n += p.span_images) {
    const int64_t g = conv::min(p.span_images, n1 - n);
    const int64_t lpad = conv::round_up(g * p.P, vec);
    // dy's rows as they are, image by image, when whole vectors cover each; else a copy.
    const bool direct = p.P % vec == 0;
    const float* a = dy + (n * s.o + grp * p.og) * p.P;
    const int64_t lda = direct ? p.P : lpad, a_seg = s.o * p.P;
    if (!direct) {
      float* copy = a_buffer.floats(static_cast<size_t>(p.og * lpad));
      copy_dy(s, p, dy, grp, n, g, lpad, copy);
      a = copy;
    }
    const int64_t segs = direct ? g : 1, seg = direct ? p.P : lpad;
    int64_t block = kPanelFloats / lpad / dot.s * dot.s;
    if (block < dot.s) block = dot.s;
    for (int64_t j0 = j_begin; j0 < j_end; j0 += block) {
      const int64_t kc = conv::min(block, j_end - j0);
      float* b = b_buffer.floats(static_cast<size_t>(kc * lpad));
      pack_x(s, p, x, grp, n, g, j0, kc, lpad, b);
      for (int64_t i = 0; i < p.og; i += dot.r) {
        const int rows = static_cast<int>(conv::min(dot.r, p.og - i));
        for (int64_t j = 0; j < kc; j += dot.s) {
          const int cols = static_cast<int>(conv::min(dot.s, kc - j));
          dot.run(segs, seg, a + i * lda, lda, a_seg, b + j * lpad, lpad, seg, out + i * p.K + j0 + j,
                  p.K, rows, cols, !first);
        }
      }
    }
    first = false;
  }
}

}  // namespace

void conv2d_backward_weight_f32(const Conv2dShape& s, const float* dy, const float* x,
                                float* dweight, float* dbias) {
  const int64_t P = s.ho * s.wo;
  if (dbias) {
    Shape shape;
    shape.ndim = 3;
    shape.dim[0] = s.n;
    shape.dim[1] = s.o;
    shape.dim[2] = P;
    reduce_f32(ReduceOp::kSum, dy, shape, 0b101u, dbias);
  }
  const int64_t size = s.o * (s.c / s.groups) * s.kh * s.kw;
  if (!dweight || size == 0) return;
  if (s.n == 0 || P == 0) {
    std::memset(dweight, 0, static_cast<size_t>(size) * sizeof(float));
    return;
  }
  if (conv2d_backward_weight_direct_pays(s)) return conv2d_backward_weight_direct(s, dy, x, dweight);
  const Plan p = plan(s, kernels().conv);
  float* partial = p.batch_chunks > 1 ? partial_buffer.floats(static_cast<size_t>(p.batch_chunks * size)) : dweight;
  const int64_t per_group = p.tasks_per_group();
  const int64_t col_tiles = conv::ceil_div(p.K, p.dot.s);
  conv::run_tasks(s.groups * per_group, s.groups * p.og * p.K * s.n * P, [&](int64_t t) {
    const int64_t grp = t / per_group, cc = t % per_group / p.batch_chunks, bc = t % p.batch_chunks;
    const int64_t j_begin = col_tiles * cc / p.col_chunks * p.dot.s;
    const int64_t j_end = conv::min(col_tiles * (cc + 1) / p.col_chunks * p.dot.s, p.K);
    const int64_t n0 = s.n * bc / p.batch_chunks, n1 = s.n * (bc + 1) / p.batch_chunks;
    task(s, p, dy, x, grp, j_begin, j_end, n0, n1, partial + bc * size + grp * p.og * p.K);
  });
  if (p.batch_chunks == 1) return;
  // dweight = the partials added in chunk order.
  conv::run_tasks(s.o, size * p.batch_chunks, [&](int64_t r) {
    const int64_t row = size / s.o;
    for (int64_t i = r * row; i < (r + 1) * row; ++i) {
      float v = partial[i];
      for (int64_t b = 1; b < p.batch_chunks; ++b) v += partial[b * size + i];
      dweight[i] = v;
    }
  });
}

}  // namespace tg
