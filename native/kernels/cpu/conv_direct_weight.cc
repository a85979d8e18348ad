// The stride-1 weight gradient in flat taps (conv_direct.h): dW^T [K, og] = the sum over images
// and output positions of x's padded taps times dy^T, with each image padded and each dy
// transposed (positions by output channels) once, into buffers all tasks share, and the
// micro-tile (taps by output channels, ConvWeightKernel) reading both where they lie. No
// im2col rows are packed, and only valid positions are summed: a tap in the padding multiplies
// a zero, never a dropped position's garbage.
//
// The batch goes in fixed blocks of images, one after another: first every (image, group) of the
// block is prepared, then every tile of dW^T adds the block's images in order. A tile's sums
// thus run in one order whatever the thread count.
#include <vector>

#include "../../runtime/aligned_buffer.h"
#include "conv_direct.h"
#include "conv_gemm.h"

namespace tg {
namespace {

thread_local AlignedBuffer image_buffer;
thread_local AlignedBuffer grad_buffer;
thread_local AlignedBuffer transposed_weight;

// Floats of prepared images and gradients per block, about (1 MiB): every tile reads all of its
// block's dy^T, which then stays in L2. With 8 MiB blocks it came from L3 for each tile, and
// 32->64 on 14x14 took 6.1 ms instead of 3.5 (one thread, batch 64).
constexpr int64_t kBlockFloats = int64_t{1} << 18;

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

// dt [P, ldt] = one image's group of dy [og, P] transposed, zeros past og.
void transpose_dy(const Geometry& g, const float* dy, float* dt) {
  const int64_t P = g.ho * g.wo;
  for (int64_t p = 0; p < P; ++p) {
    float* row = dt + p * g.ldt;
    for (int64_t o = 0; o < g.og; ++o) row[o] = dy[o * P + p];
    for (int64_t o = g.og; o < g.ldt; ++o) row[o] = 0.0f;
  }
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

void conv2d_backward_weight_direct(const Conv2dShape& s, const float* dy, const float* x,
                                   float* dweight) {
  const ConvWeightKernel& kern = kernels().conv.weight_taps;
  const int64_t nr = int64_t{kern.nv} * kernels().conv.vec;
  const Geometry g = geometry(s, nr);
  const int64_t P = g.ho * g.wo, x_image = s.groups * g.cg * g.plane, d_image = s.groups * P * g.ldt;
  const int64_t block = conv::max(1, conv::min(s.n, kBlockFloats / (x_image + d_image)));
  // Tap offsets in a padded group, then zeros for a last tile's unused rows.
  std::vector<int64_t> taps(static_cast<size_t>(g.K + kern.r), 0);
  conv::fill_taps(g.cg, s.kh, s.kw, g.plane, g.wp, taps.data());
  const int64_t k_tiles = conv::ceil_div(g.K, kern.r), o_tiles = g.ldt / nr;
  const int64_t tiles = s.groups * k_tiles * o_tiles;
  float* wt = transposed_weight.floats(static_cast<size_t>(s.groups * g.K * g.ldt));
  for (int64_t n0 = 0; n0 < s.n; n0 += block) {
    const int64_t images = conv::min(block, s.n - n0);
    float* xs = image_buffer.floats(static_cast<size_t>(images * x_image));
    float* ds = grad_buffer.floats(static_cast<size_t>(images * d_image));
    // The preparation goes on the pool whenever the products do: alone it is below kTaskWork,
    // and done on one thread it took a fifth of the time on two (3x3 32->32 on 28x28).
    const int64_t work = images * s.groups * g.K * g.ldt * P;
    conv::run_tasks(images * s.groups, work, [&](int64_t t) {
      const int64_t i = t / s.groups, grp = t % s.groups;
      conv::pad_rows(x + ((n0 + i) * s.c + grp * g.cg) * s.h * s.w, g.cg, s.h, s.w, s.pt, s.pl, g.wp, 0, g.hp,
                     xs + i * x_image + grp * g.cg * g.plane);
      transpose_dy(g, dy + ((n0 + i) * s.o + grp * g.og) * P, ds + i * d_image + grp * P * g.ldt);
    });
    conv::run_tasks(tiles, work, [&](int64_t t) {
      const int64_t grp = t / (k_tiles * o_tiles), kt = t / o_tiles % k_tiles, ot = t % o_tiles;
      const int64_t k0 = kt * kern.r;
      const int rows = static_cast<int>(conv::min(kern.r, g.K - k0));
      const int cols = static_cast<int>(conv::min(nr, g.og - ot * nr));
      kern.run(images, g.ho, g.wo, g.wp, xs + grp * g.cg * g.plane, x_image, taps.data() + k0,
               ds + grp * P * g.ldt + ot * nr, g.ldt, d_image, wt + (grp * g.K + k0) * g.ldt + ot * nr, g.ldt,
               rows, cols, n0 > 0);
    });
  }
  // dweight [o, K] = each group's dW^T [K, og] transposed.
  for (int64_t grp = 0; grp < s.groups; ++grp)
    for (int64_t o = 0; o < g.og; ++o)
      for (int64_t k = 0; k < g.K; ++k) dweight[(grp * g.og + o) * g.K + k] = wt[(grp * g.K + k) * g.ldt + o];
}

}  // namespace tg
