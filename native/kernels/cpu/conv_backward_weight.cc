// The weight gradient: per group, dW [og, K] = sum over images of dy [og, P] x im2col(x)^T [P, K],
// with the sum over the batch and the output positions as the GEMM's depth, which the
// micro-kernel never splits. The depth-major panels of im2col(x)^T are packed from a
// channels-last copy of each image, where a kernel row's taps of every channel are one
// contiguous stretch; so the columns of this product count (kernel row, kernel column, channel),
// and a last pass puts them back in the weight's (channel, kernel row, kernel column) order.
//
// Tasks own columns of dW. When there are few of them (a small weight, as in a first layer),
// the batch is cut into a fixed number of chunks as well, each summed by its own task into its
// own partial dW, and the partials are added in chunk order: the chunks depend on the shapes
// alone, so the result does not depend on the thread count.
#include "../../runtime/aligned_buffer.h"
#include "conv.h"
#include "conv_gemm.h"
#include "reduce.h"

namespace tg {
namespace {

// Fewest tasks worth having before the batch is cut into chunks.
constexpr int64_t kMinTasks = 8;
// Fewest column panels per task: each task packs the gradient side (A) once per image for all
// of its panels.
constexpr int64_t kMinPanelsPerTask = 4;

thread_local AlignedBuffer partial_buffer;
thread_local AlignedBuffer hwc_buffer;
thread_local AlignedBuffer a_buffer;
thread_local AlignedBuffer b_buffer;

// xt [hw, c] = x [c, hw]^T.
const float* to_hwc(const float* x, int64_t c, int64_t hw, AlignedBuffer* buffer) {
  if (c == 1) return x;
  float* xt = buffer->floats(static_cast<size_t>(c * hw));
  for (int64_t ci = 0; ci < c; ++ci)
    for (int64_t p = 0; p < hw; ++p) xt[p * c + ci] = x[ci * hw + p];
  return xt;
}

struct Plan {
  int64_t og, cg, K, P, mpad;
  int64_t col_panels, col_chunks, batch_chunks;
  int64_t tasks() const { return col_chunks * batch_chunks; }
};

Plan plan(const Conv2dShape& s, const GemmKernel& g) {
  Plan p;
  p.og = s.o / s.groups;
  p.cg = s.c / s.groups;
  p.K = p.cg * s.kh * s.kw;
  p.P = s.ho * s.wo;
  p.mpad = conv::round_up(p.og, g.mr);
  p.col_panels = conv::ceil_div(p.K, g.nr);
  const int64_t panel_work = p.mpad * g.nr * s.n * p.P;
  int64_t per_chunk = panel_work >= conv::kTaskWork ? 1 : conv::ceil_div(conv::kTaskWork, panel_work);
  if (per_chunk < kMinPanelsPerTask) per_chunk = kMinPanelsPerTask;
  p.col_chunks = conv::ceil_div(p.col_panels, per_chunk);
  p.batch_chunks = 1;
  const int64_t column_tasks = s.groups * p.col_chunks;
  if (column_tasks < kMinTasks) {
    const int64_t total = s.groups * p.mpad * p.K * s.n * p.P;
    int64_t want = conv::ceil_div(kMinTasks, column_tasks);
    const int64_t afford = total / conv::kTaskWork / column_tasks;  // keep tasks at kTaskWork
    if (want > afford) want = afford;
    if (want > s.n) want = s.n;
    if (want > 1) p.batch_chunks = want;
  }
  return p;
}

// One task: columns [j_begin, j_end) of group grp's dW (row stride K, columns in (kernel row,
// kernel column, channel) order) summed over images [n0, n1).
void task(const Conv2dShape& s, const Plan& p, const float* dy, const float* x, int64_t grp,
          int64_t j_begin, int64_t j_end, int64_t n0, int64_t n1, float* out) {
  const GemmKernel& g = kernels().gemm;
  const ConvLoops& loops = kernels().conv;
  const ConvGeometry geo = conv::geometry(s);
  const int64_t hw = s.h * s.w;
  float* ap = a_buffer.floats(static_cast<size_t>(p.mpad * g.kc));
  float* bp = b_buffer.floats(static_cast<size_t>(g.kc) * g.nr);
  const conv::PackedA a{ap, p.mpad, g.mr};
  bool first = true;
  for (int64_t n = n0; n < n1; ++n) {
    const float* xt = to_hwc(x + (n * s.c + grp * p.cg) * hw, p.cg, hw, &hwc_buffer);
    const float* dyg = dy + (n * s.o + grp * p.og) * p.P;
    for (int64_t q0 = 0; q0 < p.P; q0 += g.kc) {
      const int64_t kcb = p.P - q0 < g.kc ? p.P - q0 : g.kc;
      g.pack_a(false, dyg, p.P, 0, p.og, q0, kcb, ap);
      for (int64_t j0 = j_begin; j0 < j_end; j0 += g.nr) {
        const int cols = j_end - j0 < g.nr ? static_cast<int>(j_end - j0) : g.nr;
        loops.pack_rows_hwc(geo, xt, q0, kcb, j0, cols, bp);
        conv::panel_product(g, a, p.og, 0, kcb, bp, cols, out + j0, p.K, first, false, nullptr, false);
      }
      first = false;
    }
  }
}

// dweight [o, cg, kh, kw] = the sum of the partials [chunk, o, kh, kw, cg], in chunk order.
void gather_partials(const Conv2dShape& s, const Plan& p, const float* partial, float* dweight) {
  const int64_t taps = s.kh * s.kw, size = s.o * p.K;
  conv::run_tasks(s.o, size * p.batch_chunks, [&](int64_t r) {
    for (int64_t ci = 0; ci < p.cg; ++ci) {
      for (int64_t t = 0; t < taps; ++t) {
        const int64_t from = r * p.K + t * p.cg + ci;
        float v = partial[from];
        for (int64_t b = 1; b < p.batch_chunks; ++b) v += partial[b * size + from];
        dweight[r * p.K + ci * taps + t] = v;
      }
    }
  });
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
    for (int64_t i = 0; i < size; ++i) dweight[i] = 0.0f;
    return;
  }
  const GemmKernel& g = kernels().gemm;
  const Plan p = plan(s, g);
  float* partial = partial_buffer.floats(static_cast<size_t>(p.batch_chunks * size));
  const int64_t per_group = p.tasks();
  const int64_t total = s.groups * p.mpad * p.K * s.n * P;
  conv::run_tasks(s.groups * per_group, total, [&](int64_t t) {
    const int64_t grp = t / per_group, cc = t % per_group / p.batch_chunks, bc = t % p.batch_chunks;
    const int64_t j_begin = p.col_panels * cc / p.col_chunks * g.nr;
    const int64_t j_end_panel = p.col_panels * (cc + 1) / p.col_chunks * g.nr;
    const int64_t j_end = j_end_panel < p.K ? j_end_panel : p.K;
    const int64_t n0 = s.n * bc / p.batch_chunks, n1 = s.n * (bc + 1) / p.batch_chunks;
    task(s, p, dy, x, grp, j_begin, j_end, n0, n1, partial + bc * size + grp * p.og * p.K);
  });
  gather_partials(s, p, partial, dweight);
}

}  // namespace tg
