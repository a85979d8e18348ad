#include "softmax.h"

#include "../../runtime/thread_pool.h"
#include "kernel_table.h"

namespace tg {
namespace {

constexpr int64_t kGrain = 1 << 15;  // elements per task, about
constexpr int64_t kTile = kSoftmaxTile;  // columns per call when the dim is not last

// Calls rows(r0, r1) over row blocks when inner == 1, else tile(o, j0, w) over column tiles of
// each outer index; blocks are sized from the problem alone.
template <typename Rows, typename Tile>
void for_each_block(int64_t outer, int64_t D, int64_t inner, Rows rows, Tile tile) {
  if (outer == 0 || D == 0 || inner == 0) return;
  if (inner == 1) {
    const int64_t per = kGrain / D > 1 ? kGrain / D : 1;
    parallel_for((outer + per - 1) / per, [&](int64_t b) {
      rows(b * per, (b + 1) * per < outer ? (b + 1) * per : outer);
    });
    return;
  }
  const int64_t tiles = (inner + kTile - 1) / kTile;
  const int64_t per = kGrain / (D * kTile) > 1 ? kGrain / (D * kTile) : 1;
  const int64_t units = outer * tiles;
  parallel_for((units + per - 1) / per, [&](int64_t b) {
    const int64_t u1 = (b + 1) * per < units ? (b + 1) * per : units;
    for (int64_t u = b * per; u < u1; ++u) {
      const int64_t j0 = u % tiles * kTile;
      tile(u / tiles, j0, inner - j0 < kTile ? inner - j0 : kTile);
    }
  });
}

}  // namespace

void softmax_f32(const float* x, float* y, int64_t outer, int64_t D, int64_t inner, bool log) {
  const SoftmaxLoops& k = kernels().softmax;
  for_each_block(
      outer, D, inner,
      [&](int64_t r0, int64_t r1) { k.rows(x + r0 * D, y + r0 * D, r1 - r0, D, log); },
      [&](int64_t o, int64_t j0, int64_t w) {
        const int64_t base = o * D * inner + j0;
        k.cols(x + base, inner, y + base, inner, D, w, log);
      });
}

void softmax_backward_f32(const float* g, const float* y, float* dx, int64_t outer, int64_t D,
                          int64_t inner, bool log) {
  const SoftmaxLoops& k = kernels().softmax;
  for_each_block(
      outer, D, inner,
      [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r) k.backward_row(g + r * D, y + r * D, dx + r * D, D, log);
      },
      [&](int64_t o, int64_t j0, int64_t w) {
        const int64_t base = o * D * inner + j0;
        k.backward_cols(g + base, y + base, dx + base, D, inner, w, log);
      });
}

}  // namespace tg
