// The flat-taps convolution (conv_direct.h): per image and group, a GEMM of the packed weights
// [m, K] against the padded image's taps, each tile stored into a scratch of flat positions from
// which the wo valid ones of each output row are copied out.
//
// Tasks: an image and group each, or, with fewer than kImageTasks of those, chunks of tiles,
// each padding only the rows its positions read. Every output element is summed by one task in
// tap order, so the result does not depend on the thread count.
#include "conv_direct.h"

#include <cstring>
#include <vector>

#include "../../runtime/aligned_buffer.h"
#include "conv_gemm.h"

namespace tg {
namespace {

thread_local AlignedBuffer packed_weight;
thread_local AlignedBuffer flipped_weight;
thread_local AlignedBuffer padded_image;
thread_local AlignedBuffer flat_output;

// With at least this many (image, group) pairs each is one task, padding its image once.
constexpr int64_t kImageTasks = 8;
// Taps per depth block, about: a block's A sliver (12 x 288 floats, 14 KiB) and the image lines
// a tile reads for it (32 channels x 3 rows x 3 lines, 18 KiB) stay in L1 together.
constexpr int64_t kBlockTaps = 288;

// One group's convolution in the flat form: an image of c channels of h x w whose element (0, 0)
// lies at row pt, column pl of the padded image (negative: cropped), m output channels of ho x wo.
struct Flat {
  int64_t c, h, w, pt, pl, kh, kw, m, ho, wo;
  int64_t hp() const { return ho + kh - 1; }
  int64_t wp() const { return wo + kw - 1; }
  int64_t plane() const { return hp() * wp(); }
  int64_t K() const { return c * kh * kw; }
};

// The micro-kernel that computes the fewest padded products over m rows and ho * wp positions,
// a little in favour of larger tiles (as conv::tiling); kc whole channels of taps.
conv::Tiling flat_tiling(const ConvLoops& loops, const Flat& f) {
  int best = 0;
  double best_cost = 0.0;
  for (int i = 0; i < loops.n_micro; ++i) {
    const ConvMicroKernel& k = loops.micro[i];
    const int64_t nr = int64_t{k.nv} * loops.vec;
    const double cost = static_cast<double>(conv::round_up(f.m, k.mr)) *
                        static_cast<double>(conv::round_up(f.ho * f.wp(), nr)) * (1.0 + 4.0 / (k.mr * k.nv));
    if (i == 0 || cost < best_cost) best = i, best_cost = cost;
  }
  conv::Tiling t{};
  t.micro = loops.micro[best];
  t.mr = t.micro.mr;
  t.nr = t.micro.nv * loops.vec;
  const int64_t per_channel = f.kh * f.kw;
  const int64_t channels = kBlockTaps / per_channel < 1 ? 1 : kBlockTaps / per_channel;
  t.kc = conv::min(channels, f.c) * per_channel;
  return t;
}

// Flat positions [q0, q1) of one image and group (q0 a multiple of the tile width): y [m, ho, wo]
// from the image x [c, h, w] and the weights packed for tl. Pads the rows those positions read.
void flat_positions(const Flat& f, const conv::Tiling& tl, const conv::PackedA& a, const float* x,
                    int64_t q0, int64_t q1, const float* bias, bool relu, float* y) {
  const int64_t wp = f.wp(), K = f.K(), ldc = q1 - q0;
  const int64_t r0 = q0 / wp, r1 = (q1 - 1) / wp + f.kh, plane = (r1 - r0) * wp, slack = tl.nr + f.kw;
  float* xp = padded_image.floats(static_cast<size_t>(f.c * plane + slack));
  conv::pad_rows(x, f.c, f.h, f.w, f.pt, f.pl, wp, r0, r1, xp);
  // The last tile's reads of dropped positions reach past the last channel.
  std::memset(xp + f.c * plane, 0, static_cast<size_t>(slack) * sizeof(float));
  thread_local std::vector<int64_t> taps;
  taps.resize(static_cast<size_t>(K));
  conv::fill_taps(f.c, f.kh, f.kw, plane, wp, taps.data());
  const float* x0 = xp + (q0 - r0 * wp);
  float* out = flat_output.floats(static_cast<size_t>(f.m * ldc));
  for (int64_t q = 0; q < ldc; q += tl.nr) {
    const int cols = static_cast<int>(conv::min(tl.nr, ldc - q));
    for (int64_t i = 0; i * tl.mr < f.m; ++i) {
      const int rows = static_cast<int>(conv::min(tl.mr, f.m - i * tl.mr));
      for (int64_t k0 = 0; k0 < K; k0 += tl.kc) {
        const int64_t kcb = conv::min(tl.kc, K - k0);
        const bool last = k0 + kcb == K;
        const ConvTile tile{k0 > 0, last && bias ? bias + i * tl.mr : nullptr, last && relu};
        tl.micro.run_taps(kcb, a.at(k0, i, kcb), x0 + q, taps.data() + k0, out + i * tl.mr * ldc + q,
                          ldc, rows, cols, tile);
      }
    }
  }
  // The valid positions of each output row the range touches.
  for (int64_t o = 0; o < f.m; ++o) {
    for (int64_t r = r0; r * wp < q1; ++r) {
      const int64_t begin = conv::max(q0, r * wp), end = conv::min(q1, r * wp + f.wo);
      if (end <= begin) continue;
      std::memcpy(y + (o * f.ho + r) * f.wo + (begin - r * wp), out + o * ldc + (begin - q0),
                  static_cast<size_t>(end - begin) * sizeof(float));
    }
  }
}

// y[n, groups * m, ho, wo] from x[n, groups * c, h, w] and per-group weights [m, K] (row k in
// the flat form's tap order, group g's at weight + g * m * K).
void run_flat(const Flat& f, int64_t n, int64_t groups, const float* x, const float* weight,
              const float* bias, bool relu, float* y) {
  const ConvLoops& loops = kernels().conv;
  const conv::Tiling tl = flat_tiling(loops, f);
  const int64_t K = f.K(), packed = conv::packed_size(f.m, K, tl.mr);
  float* wp = packed_weight.floats(static_cast<size_t>(groups * packed));
  for (int64_t g = 0; g < groups; ++g) conv::pack_a(weight + g * f.m * K, K, 1, f.m, K, tl, wp + g * packed);
  const int64_t Q = f.ho * f.wp(), tiles = conv::ceil_div(Q, tl.nr);
  const int64_t tile_work = conv::round_up(f.m, tl.mr) * K * tl.nr;
  const int64_t chunks = n * groups >= kImageTasks ? 1 : conv::chunk_count(tiles, tile_work);
  const int64_t per_image = groups * chunks;
  conv::run_tasks(n * per_image, n * groups * tiles * tile_work, [&](int64_t t) {
    const int64_t img = t / per_image, g = t / chunks % groups, ch = t % chunks;
    const conv::PackedA a{wp + g * packed, conv::round_up(f.m, tl.mr), tl.mr};
    const int64_t q0 = tiles * ch / chunks * tl.nr, q1 = conv::min(Q, tiles * (ch + 1) / chunks * tl.nr);
    flat_positions(f, tl, a, x + (img * groups + g) * f.c * f.h * f.w, q0, q1,
                   bias ? bias + g * f.m : nullptr, relu, y + (img * groups + g) * f.m * f.ho * f.wo);
  });
}

// Whether the flat form pays for a GEMM of `out` rows and in * taps depth, computing `flat`
// positions where the panel path computes `useful`. Measured on AVX-512, one thread, batch 64,
// both forms called directly (README): the 3x3 "same" layers of 8 to 64 channels on 56x56 down
// to 7x7 images ran 1.0-1.6x as fast forward and 1.1-2.2x for the input gradient, where the
// flat form computes 1.04-1.29 times the positions. At 1.5 times (5x5 on 12x12, a 5x5 input
// gradient) it lost 30-45%; with 9 or 27 taps (a first layer's 1 or 3 channels) 25-35%, its tiles'
// fixed costs spread over few products; and with one output channel (a first layer's input
// gradient) 30%.
bool flat_pays(const Conv2dShape& s, int64_t in, int64_t out, double flat, double useful) {
  const bool stride_one = s.sh == 1 && s.sw == 1 && s.dh == 1 && s.dw == 1;
  return stride_one && in * s.kh * s.kw >= 64 && out >= 8 && flat <= 1.3 * useful;
}

}  // namespace

bool conv2d_forward_direct_pays(const Conv2dShape& s) {
  const double rows = static_cast<double>(s.ho);
  return flat_pays(s, s.c / s.groups, s.o / s.groups, rows * static_cast<double>(s.wo + s.kw - 1),
                   rows * static_cast<double>(s.wo));
}

bool conv2d_backward_input_direct_pays(const Conv2dShape& s) {
  return flat_pays(s, s.o / s.groups, s.c / s.groups,
                   static_cast<double>(s.h) * static_cast<double>(s.w + s.kw - 1),
                   static_cast<double>(s.ho) * static_cast<double>(s.wo));
}

void conv2d_forward_direct(const Conv2dShape& s, const float* x, const float* weight,
                           const float* bias, bool relu, float* y) {
  const Flat f{s.c / s.groups, s.h, s.w, s.pt, s.pl, s.kh, s.kw, s.o / s.groups, s.ho, s.wo};
  run_flat(f, s.n, s.groups, x, weight, bias, relu, y);
}

void conv2d_backward_input_direct(const Conv2dShape& s, const float* dy, const float* weight,
                                  float* dx) {
  const int64_t og = s.o / s.groups, cg = s.c / s.groups, taps = s.kh * s.kw;
  // Per group: w'[ci, co, i, j] = weight[co, ci, kh - 1 - i, kw - 1 - j].
  float* flipped = flipped_weight.floats(static_cast<size_t>(s.o * cg * taps));
  for (int64_t g = 0; g < s.groups; ++g)
    for (int64_t ci = 0; ci < cg; ++ci)
      for (int64_t co = 0; co < og; ++co)
        for (int64_t t = 0; t < taps; ++t)
          flipped[((g * cg + ci) * og + co) * taps + t] = weight[((g * og + co) * cg + ci) * taps + taps - 1 - t];
  const Flat f{og, s.ho, s.wo, s.kh - 1 - s.pt, s.kw - 1 - s.pl, s.kh, s.kw, cg, s.h, s.w};
  run_flat(f, s.n, s.groups, dy, flipped, nullptr, false, dx);
}

}  // namespace tg
