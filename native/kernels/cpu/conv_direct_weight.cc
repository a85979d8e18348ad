// The stride-1 weight gradient in flat taps (conv_direct.h): dW^T [K, og] = the sum over images
// and output positions of x's padded taps times dy^T, with each image padded and each dy
// transposed (positions by output channels, in slivers of the tile's width) once per call, and
// the micro-tile (taps by output channels, ConvWeightKernel) reading both where they lie. No
// im2col rows are packed, and only valid positions are summed: a tap in the padding multiplies
// a zero, never a dropped position's garbage.
//
// The batch goes in fixed blocks of images. Each tile of dW^T sums a block's images in order in
// its registers, and the blocks' sums are added in block order, whether a block's tiles are
// spread over the pool (by_tiles) or whole blocks are (by_blocks): the same bits for any thread
// count.
#include <vector>

#include "../../runtime/aligned_buffer.h"
#include "conv_direct.h"
#include "conv_gemm.h"

namespace tg {
namespace {

thread_local AlignedBuffer image_buffer;
thread_local AlignedBuffer grad_buffer;
thread_local AlignedBuffer transposed_weight;
thread_local AlignedBuffer partial_buffer;  // by_blocks's partial sums

// Floats of prepared images and gradients per block, about (1 MiB): every tile reads all of its
// block's dy^T, which then stays in L2. With 8 MiB blocks it came from L3 for each tile, and
// 32->64 on 14x14 took 6.1 ms instead of 3.5 (one thread, batch 64).
constexpr int64_t kBlockFloats = int64_t{1} << 18;
// Blocks wanted at least, so that by_blocks has enough to spread: 3x3 64->64 on 7x7, batch 128,
// made 5 blocks of 26 images, and two threads ran 3 and 2 of them. Blocks of one image were
// slower (batch 8, two threads: 0.44 -> 0.63 ms for 32->32 on 28x28), hence the half.
constexpr int64_t kMinBlocks = 8;
// Floats of partial sums a wave of by_blocks may hold (8 MiB): a wave is kMinBlocks blocks a
// thread where that fits, else fewer, down to one a thread (a 3x3 256->256 layer's dW^T alone
// takes 2.3 MiB).
constexpr int64_t kPartialFloats = int64_t{1} << 21;

struct Geometry {
  int64_t cg, og, K, ho, wo, hp, wp, plane, ldt;
};

Geometry geometry(const Conv2dShape& s, int64_t nr) {
  Geometry g;
  g.cg = s.c / s.groups;
  g.og = s.o / s.groups;
  g.K = g.cg * s.kh * s.kw;
  g.ho = s.ho;
  g.wo = s.wo;
  g.hp = s.ho + s.kh - 1;
  g.wp = s.wo + s.kw - 1;
  g.plane = g.hp * g.wp;
  g.ldt = conv::round_up(g.og, nr);
  return g;
}

// dt = one image's group of dy [og, P] transposed, in slivers of nr output channels: sliver s
// holds [P, nr] (channels past og padded), as the GEMM packs a transposed B, with its vectors.
void transpose_dy(const Geometry& g, const float* dy, float* dt) {
  kernels().gemm.pack_b(true, dy, g.ho * g.wo, 0, g.ho * g.wo, 0, g.og, dt);
}

}  // namespace

// Measured on AVX-512 (32-channel tiles), batch 64, against the dot-tile path: 3x3 32->32 on
// 28x28 1.8x as fast on one thread and 1.65x on two, 32->64 on 14x14 2.2x and 1.9x, 64->64 on
// 7x7 2.4x, one image 1.5x. Where a tile's channels were mostly padding it lost on two threads
// (8->16 3x3, 16 of 32 lanes: 0.74x) or tied (Nielsen's 20->40 5x5, 40 of 64: 1.06x), so output
// channels must fill the tiles to within an eighth.
bool conv2d_backward_weight_direct_pays(const Conv2dShape& s) {
  const ConvLoops& loops = kernels().conv;
  const int64_t nr = int64_t{loops.weight_taps.nv} * loops.vec, og = s.o / s.groups;
  const bool stride_one = s.sh == 1 && s.sw == 1 && s.dh == 1 && s.dw == 1;
  return stride_one && (s.c / s.groups) * s.kh * s.kw >= 64 && og >= nr && 8 * conv::round_up(og, nr) <= 9 * og;
}

namespace {

// One call's work: the batch in blocks of `block` images (the last one may be shorter), each
// block's dW^T sums computed tile by tile in registers over its images in order.
struct Plan {
  const Conv2dShape& s;
  const ConvWeightKernel& kern;
  Geometry g;
  int64_t nr, P, x_image, d_image, block, blocks, k_tiles, o_tiles, tiles;
  std::vector<int64_t> taps;  // tap offsets in a padded group, then zeros for a last tile's rows

  Plan(const Conv2dShape& shape, const ConvWeightKernel& k, int64_t vec)
      : s(shape), kern(k), nr(int64_t{k.nv} * vec) {
    g = geometry(s, nr);
    P = g.ho * g.wo;
    x_image = s.groups * g.cg * g.plane;
    d_image = s.groups * P * g.ldt;
    // Blocks of at most about kBlockFloats, and up to kMinBlocks of them while each keeps at
    // least half that (fewer than half of kMinBlocks would only add passes), evened out so that
    // the last is not a sliver.
    const int64_t fit = conv::max(1, kBlockFloats / (x_image + d_image));
    const int64_t spread = conv::min(kMinBlocks, s.n / conv::max(1, fit / 2));
    block = conv::ceil_div(s.n, conv::max(conv::ceil_div(s.n, fit), 2 * spread >= kMinBlocks ? spread : 1));
    blocks = conv::ceil_div(s.n, block);  // fewer when rounding up: 8 wanted of 9 images make 5
    k_tiles = conv::ceil_div(g.K, kern.r);
    o_tiles = g.ldt / nr;
    tiles = s.groups * k_tiles * o_tiles;
    taps.assign(static_cast<size_t>(g.K + kern.r), 0);
    conv::fill_taps(g.cg, s.kh, s.kw, g.plane, g.wp, taps.data());
  }
  int64_t first(int64_t b) const { return b * block; }
  int64_t images(int64_t b) const { return conv::min(block, s.n - b * block); }
  // Multiply-adds of one block (to decide whether it goes on the pool).
  int64_t work(int64_t b) const { return images(b) * s.groups * g.K * g.ldt * P; }

  // Image i of block b, group grp: padded into xs and its dy transposed into ds.
  void prepare(const float* x, const float* dy, int64_t b, int64_t t, float* xs, float* ds) const {
    const int64_t i = t / s.groups, grp = t % s.groups, n = first(b) + i;
    conv::pad_rows(x + (n * s.c + grp * g.cg) * s.h * s.w, g.cg, s.h, s.w, s.pt, s.pl, g.wp, 0, g.hp,
                   xs + i * x_image + grp * g.cg * g.plane);
    transpose_dy(g, dy + (n * s.o + grp * g.og) * P, ds + i * d_image + grp * P * g.ldt);
  }

  // Tile t of block b's sums from its prepared images, stored into (or, with accumulate, added
  // to) out, a [groups * K, ldt] dW^T.
  void tile(int64_t b, int64_t t, const float* xs, const float* ds, float* out, bool accumulate) const {
    const int64_t grp = t / (k_tiles * o_tiles), kt = t / o_tiles % k_tiles, ot = t % o_tiles;
    const int64_t k0 = kt * kern.r;
    const int rows = static_cast<int>(conv::min(kern.r, g.K - k0));
    const int cols = static_cast<int>(conv::min(nr, g.og - ot * nr));
    kern.run(images(b), g.ho, g.wo, g.wp, xs + grp * g.cg * g.plane, x_image, taps.data() + k0,
             ds + grp * P * g.ldt + ot * P * nr, nr, d_image, out + (grp * g.K + k0) * g.ldt + ot * nr, g.ldt,
             rows, cols, accumulate);
  }
};

// A block at a time, its tiles spread over the pool, each adding its sums to the last block's.
void by_tiles(const Plan& plan, const float* x, const float* dy, float* wt) {
  for (int64_t b = 0; b < plan.blocks; ++b) {
    float* xs = image_buffer.floats(static_cast<size_t>(plan.images(b) * plan.x_image));
    float* ds = grad_buffer.floats(static_cast<size_t>(plan.images(b) * plan.d_image));
    // The preparation goes on the pool whenever the products do: alone it is below kTaskWork,
    // and done on one thread it took a fifth of the time on two (3x3 32->32 on 28x28).
    conv::run_tasks(plan.images(b) * plan.s.groups, plan.work(b),
                    [&](int64_t t) { plan.prepare(x, dy, b, t, xs, ds); });
    conv::run_tasks(plan.tiles, plan.work(b), [&](int64_t t) { plan.tile(b, t, xs, ds, wt, b > 0); });
  }
}

// A wave of blocks at a time, one block to a task that prepares its images and runs all of the
// block's tiles into a partial dW^T of its own, the partials then added to wt in block order:
// the same sums in the same order as by_tiles, so the same bits. A block's images then stay in
// the L2 of the core that prepared them; spread by tiles, each tile read half of them from the
// other core's (3x3 32->32 on 28x28, batch 64, two threads: 1.7x one thread's speed by tiles).
void by_blocks(const Plan& plan, const float* x, const float* dy, float* wt, int64_t wave) {
  const int64_t dw_floats = plan.s.groups * plan.g.K * plan.g.ldt;
  float* partials = partial_buffer.floats(static_cast<size_t>(wave * dw_floats));
  for (int64_t b0 = 0; b0 < plan.blocks; b0 += wave) {
    const int64_t count = conv::min(wave, plan.blocks - b0);
    conv::run_tasks(count, plan.work(b0) * count, [&](int64_t u) {
      const int64_t b = b0 + u;
      float* xs = image_buffer.floats(static_cast<size_t>(plan.images(b) * plan.x_image));
      float* ds = grad_buffer.floats(static_cast<size_t>(plan.images(b) * plan.d_image));
      for (int64_t t = 0; t < plan.images(b) * plan.s.groups; ++t) plan.prepare(x, dy, b, t, xs, ds);
      float* out = b == 0 ? wt : partials + u * dw_floats;
      for (int64_t t = 0; t < plan.tiles; ++t) plan.tile(b, t, xs, ds, out, false);
    });
    // Rows of dW^T over the pool, each adding the wave's partials in order (its og valid columns).
    const int64_t rows = plan.s.groups * plan.g.K, og = plan.g.og, ldt = plan.g.ldt;
    conv::run_tasks(conv::ceil_div(rows, 64), rows * og * count, [&](int64_t r) {
      for (int64_t k = r * 64; k < conv::min(rows, r * 64 + 64); ++k) {
        float* total = wt + k * ldt;
        for (int64_t u = b0 == 0 ? 1 : 0; u < count; ++u) {
          const float* part = partials + u * dw_floats + k * ldt;
          for (int64_t o = 0; o < og; ++o) total[o] = part[o] + total[o];
        }
      }
    });
  }
}

}  // namespace

void conv2d_backward_weight_direct(const Conv2dShape& s, const float* dy, const float* x,
                                   float* dweight) {
  const Plan plan(s, kernels().conv.weight_taps, kernels().conv.vec);
  const Geometry& g = plan.g;
  float* wt = transposed_weight.floats(static_cast<size_t>(s.groups * g.K * g.ldt));
  const int64_t threads = num_threads();
  if (threads > 1 && plan.blocks >= 2 * threads) {
    const int64_t per_thread = kPartialFloats / (threads * s.groups * g.K * g.ldt);
    by_blocks(plan, x, dy, wt, conv::min(plan.blocks, threads * conv::max(1, conv::min(kMinBlocks, per_thread))));
  } else {
    by_tiles(plan, x, dy, wt);
  }
  // dweight [o, K] = each group's dW^T [K, og] transposed.
  for (int64_t grp = 0; grp < s.groups; ++grp)
    for (int64_t o = 0; o < g.og; ++o)
      for (int64_t k = 0; k < g.K; ++k) dweight[(grp * g.og + o) * g.K + k] = wt[(grp * g.K + k) * g.ldt + o];
}

}  // namespace tg
