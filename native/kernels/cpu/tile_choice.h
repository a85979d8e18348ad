// How the drivers (gemm.cc, conv_backward_weight.cc) pick a dot-product tile among those a
// kernel set offers. Kept out of kernel_table.h, which the per-ISA units include: an inline
// function those units instantiated could leave an AVX-512 copy for the whole binary.
#pragma once

#include <cstdint>

namespace tg {

// The work of covering an m x n block with r x s tiles: the products computed, padding included,
// and a little per tile, so that a tie goes to the larger tile.
inline double padded_tile_cost(int64_t m, int64_t n, int r, int s) {
  return static_cast<double>((m + r - 1) / r * r) * static_cast<double>((n + s - 1) / s * s) *
         (1.0 + 2.0 / (r * s));
}

// The tile of tiles[0, count) (each with its r and s) that covers m x n for the least
// padded_tile_cost, the first on a tie.
template <typename Tile>
const Tile& cheapest_tile(const Tile* tiles, int count, int64_t m, int64_t n) {
  int best = 0;
  double best_cost = padded_tile_cost(m, n, tiles[0].r, tiles[0].s);
  for (int i = 1; i < count; ++i) {
    const double cost = padded_tile_cost(m, n, tiles[i].r, tiles[i].s);
    if (cost < best_cost) best = i, best_cost = cost;
  }
  return tiles[best];
}

}  // namespace tg
