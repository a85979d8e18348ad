// The input gradient: per image and group, dcols [K, P] = W^T [K, og] x dy [og, P], one panel of
// output positions at a time, each panel's column gradients added into dx at once (col2im of
// one panel), so the column matrix is never materialised.
//
// Tasks own disjoint slices of dx: an image, a group and a chunk of its input channels (the rows
// of W^T for those channels). Each adds its panels in position order, so every dx element sums
// its contributions in one fixed order whatever the thread count.
#include <cstring>
#include <vector>

#include "../../runtime/aligned_buffer.h"
#include "conv.h"
#include "conv_direct.h"
#include "conv_gemm.h"

namespace tg {
namespace {

thread_local AlignedBuffer packed_weight;
thread_local AlignedBuffer panel_buffer;
thread_local AlignedBuffer padded_grad;

// b[k * nr + j] = dy[(o0 + k) * P + p0 + j] for j < cols, 0 up to nr.
void pack_dy(const float* dy, int64_t P, int64_t o0, int64_t kc, int64_t p0, int64_t cols,
             int64_t nr, float* b) {
  for (int64_t k = 0; k < kc; ++k) {
    std::memcpy(b + k * nr, dy + (o0 + k) * P + p0, static_cast<size_t>(cols) * sizeof(float));
    for (int64_t j = cols; j < nr; ++j) b[k * nr + j] = 0.0f;
  }
}

// dx [c, h, w] = the padded gradient gp [c, padded h, padded w] without its padding (0 for
// input rows and columns the kernel never reaches).
void crop(const ConvGeometry& g, const ConvGeometry& p, int64_t channels, const float* gp, float* dx) {
  for (int64_t c = 0; c < channels; ++c) {
    for (int64_t ih = 0; ih < g.h; ++ih) {
      float* row = dx + (c * g.h + ih) * g.w;
      const int64_t r = ih + g.pt, shown = p.w - g.pl < g.w ? (p.w - g.pl > 0 ? p.w - g.pl : 0) : g.w;
      if (r >= p.h) {
        std::memset(row, 0, static_cast<size_t>(g.w) * sizeof(float));
        continue;
      }
      std::memcpy(row, gp + (c * p.h + r) * p.w + g.pl, static_cast<size_t>(shown) * sizeof(float));
      std::memset(row + shown, 0, static_cast<size_t>(g.w - shown) * sizeof(float));
    }
  }
}

}  // namespace

void conv2d_backward_input_f32(const Conv2dShape& s, const float* dy, const float* weight,
                               float* dx) {
  const int64_t hw = s.h * s.w, P = s.ho * s.wo, og = s.o / s.groups, cg = s.c / s.groups;
  const int64_t taps = s.kh * s.kw, K = cg * taps;
  if (s.n == 0 || s.c == 0 || hw == 0) return;
  if (og == 0 || P == 0) {
    std::memset(dx, 0, static_cast<size_t>(s.n * s.c * hw) * sizeof(float));
    return;
  }
  if (conv2d_backward_input_direct_pays(s)) return conv2d_backward_input_direct(s, dy, weight, dx);
  const ConvLoops& loops = kernels().conv;
  const ConvGeometry geo = conv::geometry(s);
  // Where the kernel reaches into the padding, the column gradients go into a padded copy
  // (cropped at the end): every panel then takes the scatter loops' fast path.
  const bool pad = conv::reaches_padding(geo);
  const ConvGeometry pgeo = pad ? conv::padded_geometry(geo) : geo;
  // Chunks of input channels; W^T's rows of each (group, chunk) packed on their own.
  const int64_t chunks = conv::chunk_count(cg, taps * og * P);
  auto first_channel = [&](int64_t ch) { return cg * ch / chunks; };
  const conv::Tiling tl = conv::tiling(loops, (first_channel(1) - first_channel(0)) * taps, s.ho, s.wo);
  std::vector<int64_t> offset(static_cast<size_t>(s.groups * chunks + 1), 0);
  for (int64_t i = 0; i < s.groups * chunks; ++i) {
    const int64_t rows = (first_channel(i % chunks + 1) - first_channel(i % chunks)) * taps;
    offset[i + 1] = offset[i] + conv::packed_size(rows, og, tl.mr);
  }
  float* wp = packed_weight.floats(static_cast<size_t>(offset.back()));
  for (int64_t i = 0; i < s.groups * chunks; ++i) {
    const int64_t grp = i / chunks, c0 = first_channel(i % chunks);
    const int64_t rows = (first_channel(i % chunks + 1) - c0) * taps;
    // op(A) = W^T: element (k, o) of the group's W^T is weight[o, k]
    conv::pack_a(weight + grp * og * K + c0 * taps, 1, K, rows, og, tl, wp + offset[i]);
  }
  const int64_t per_image = s.groups * chunks;
  conv::run_tasks(s.n * per_image, s.n * s.groups * K * og * P, [&](int64_t t) {
    const int64_t n = t / per_image, grp = t / chunks % s.groups, ch = t % chunks;
    const int64_t c0 = first_channel(ch), c1 = first_channel(ch + 1);
    const int64_t rows = (c1 - c0) * taps, rpad = conv::round_up(rows, tl.mr);
    const conv::PackedA a{wp + offset[grp * chunks + ch], rpad, tl.mr};
    float* dxg = dx + (n * s.c + grp * cg) * hw;
    // The task's channels [c0, c1): of dx itself, or of the padded copy.
    const int64_t plane = pgeo.h * pgeo.w;
    float* target = pad ? padded_grad.floats(static_cast<size_t>((c1 - c0) * plane)) : dxg + c0 * hw;
    std::memset(target, 0, static_cast<size_t>((c1 - c0) * plane) * sizeof(float));
    const float* dyg = dy + (n * s.o + grp * og) * P;
    float* b = panel_buffer.floats(static_cast<size_t>((tl.kc + rpad) * tl.nr));
    float* cols = b + tl.kc * tl.nr;  // rpad x nr column gradients
    ConvRun runs[kConvMaxPanel];
    for (int64_t pi = 0; pi < tl.panels; ++pi) {
      int64_t p0 = 0, width = 0;
      tl.panel(pi, &p0, &width);
      const int n_runs = conv::make_runs(p0, width, s.wo, runs);
      for (int64_t o0 = 0; o0 < og; o0 += tl.kc) {
        const int64_t ocb = conv::min(tl.kc, og - o0);
        pack_dy(dyg, P, o0, ocb, p0, width, tl.nr, b);
        // Whole tiles (zero rows and columns beyond the data): the fast store path.
        conv::panel_product(tl, a, rpad, o0, ocb, b, tl.nr, cols, tl.nr, o0 == 0, false, nullptr, false);
      }
      loops.add_cols(pgeo, cols, tl.nr, 0, rows, runs, n_runs, target);
    }
    if (pad) crop(geo, pgeo, c1 - c0, target, dxg + c0 * hw);
  });
}

}  // namespace tg
