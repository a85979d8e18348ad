// Pieces shared by the convolution drivers (conv.cc, conv_backward_input.cc,
// conv_backward_weight.cc). Each runs one of the micro-kernels of isa/conv_tiles.inc over panels it
// packs itself: the weights once per call, the image side panel by panel straight from the
// tensors (ConvLoops), so no column matrix is ever materialised and each panel stays in L1 while
// every row sliver of the weights passes over it.
#pragma once

#include <atomic>
#include <cstdint>
#include <new>

#include "../../runtime/thread_pool.h"
#include "conv.h"
#include "conv_loops.h"
#include "kernel_table.h"

namespace tg {
namespace conv {

// Multiply-adds per task, about: enough to pay for a hand-off to another thread (some tens of
// microseconds of work), few enough to balance two to a few dozen threads.
constexpr int64_t kTaskWork = int64_t{1} << 19;

inline int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
inline int64_t round_up(int64_t a, int64_t b) { return ceil_div(a, b) * b; }
inline int64_t min(int64_t a, int64_t b) { return a < b ? a : b; }
inline int64_t max(int64_t a, int64_t b) { return a > b ? a : b; }

// One group's geometry: c is the channels per group.
ConvGeometry geometry(const Conv2dShape& s);

// Whether the kernel reaches into the padding of an image of this geometry anywhere.
bool reaches_padding(const ConvGeometry& g);
// The geometry of the same image with its padding written out by pad_image: no padding left,
// and the rows and columns the kernel reaches, so that every panel reads inside the image.
ConvGeometry padded_geometry(const ConvGeometry& g);
// dst [c, padded h, padded w] = the image x with zeros where the padding is.
void pad_image(const ConvGeometry& g, const float* x, float* dst);
// dst [c, r1 - r0, wp] = rows [r0, r1) of an image x [c, h, w] placed at row pt, column pl of a
// padded image wp wide (a negative or oversized padding crops x), zeros elsewhere.
void pad_rows(const float* x, int64_t c, int64_t h, int64_t w, int64_t pt, int64_t pl, int64_t wp,
              int64_t r0, int64_t r1, float* dst);
// taps[k] = the offset of tap k = (channel, i, j) of a kh x kw kernel in a padded image of
// channel planes `plane` floats apart and rows wp apart: the flat-taps forms' (conv_direct.h).
void fill_taps(int64_t c, int64_t kh, int64_t kw, int64_t plane, int64_t wp, int64_t* taps);

// Splits output positions [p0, p0 + cols) into runs along output rows; returns how many.
int make_runs(int64_t p0, int64_t cols, int64_t wo, ConvRun* runs);

// How many chunks `units` units of `unit_work` multiply-adds each make: about kTaskWork each,
// at least 1, at most units. Depends on the sizes alone, never on the thread count.
int64_t chunk_count(int64_t units, int64_t unit_work);

// How a GEMM of m rows over the ho x wo output positions of an image is cut: the micro-kernel
// (mr x nr tiles), the depth block kc that keeps a panel in L1, and the panels of positions.
// A panel holds whole output rows (as many as fit in nr) or, for rows wider than nr, nr
// positions of one row: its runs then share one length and one offset per kernel tap, the case
// the packing loops move at the speed of their stores (isa/conv_panels.inc).
struct Tiling {
  ConvMicroKernel micro;
  int mr, nr;
  int64_t kc;
  int64_t ho, wo;
  int64_t rows_per_panel;  // 0 when a row is split into several panels
  int64_t panels;          // per image
  // Panel i's first position and how many positions it holds.
  void panel(int64_t i, int64_t* p0, int64_t* cols) const {
    if (rows_per_panel > 0) {
      *p0 = i * rows_per_panel * wo;
      *cols = (i * rows_per_panel + rows_per_panel <= ho ? rows_per_panel : ho - i * rows_per_panel) * wo;
    } else {
      const int64_t per_row = (wo + nr - 1) / nr, q = i % per_row;
      *p0 = i / per_row * wo + q * nr;
      *cols = wo - q * nr < nr ? wo - q * nr : nr;
    }
  }
};
// The shape that computes the fewest padded products (rows beyond m, positions beyond a
// panel's), a little in favour of larger tiles.
Tiling tiling(const ConvLoops& loops, int64_t m, int64_t ho, int64_t wo);

// op(A) (m x K, element (i, k) at A[i * rs + k * cs]) packed for a micro-kernel of mr rows:
// KC-deep blocks of mr-row slivers, zero rows up to mpad. Sliver i of the block that starts at
// k0 (kcb deep) is at data + k0 * mpad + i * kcb * mr.
struct PackedA {
  const float* data;
  int64_t mpad, mr;
  const float* at(int64_t k0, int64_t sliver, int64_t kcb) const {
    return data + k0 * mpad + sliver * kcb * mr;
  }
};
inline int64_t packed_size(int64_t m, int64_t K, int mr) { return round_up(m, mr) * K; }
PackedA pack_a(const float* A, int64_t rs, int64_t cs, int64_t m, int64_t K, const Tiling& t,
               float* dst);

// C (m x cols, row stride ldc) = A's block [k0, k0 + kcb) times the panel b (kcb x nr), added
// to C unless `first`; on the `last` block, + bias (m values, or null) and then ReLU if relu.
void panel_product(const Tiling& t, const PackedA& a, int64_t m, int64_t k0, int64_t kcb,
                   const float* b, int cols, float* c, int64_t ldc, bool first, bool last,
                   const float* bias, bool relu);

// Runs body(t) for t in [0, tasks): on the pool, or on this thread alone when the whole job is
// below kTaskWork multiply-adds (a hand-off would cost more than it saves). A task that cannot
// get its scratch memory must not throw on a worker thread (that would end the process): the
// failure is carried back and thrown here as std::bad_alloc.
template <typename Body>
void run_tasks(int64_t tasks, int64_t total_work, const Body& body) {
  if (total_work < kTaskWork) {
    for (int64_t t = 0; t < tasks; ++t) body(t);
    return;
  }
  std::atomic<bool> failed{false};
  parallel_for(tasks, [&](int64_t t) {
    if (failed.load(std::memory_order_relaxed)) return;
    try {
      body(t);
    } catch (...) {
      failed.store(true);
    }
  });
  if (failed.load()) throw std::bad_alloc();
}

}  // namespace conv
}  // namespace tg
