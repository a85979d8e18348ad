// The forward convolution: per image and group, y [og, P] = W [og, K] x im2col(x) [K, P], with
// the weights packed once per call and im2col panels of NR output positions packed straight
// from the image, bias and ReLU applied as each tile is stored.
#include "conv.h"

#include "../../runtime/aligned_buffer.h"
#include "conv_direct.h"
#include "conv_gemm.h"

namespace tg {
namespace {

thread_local AlignedBuffer packed_weight;
thread_local AlignedBuffer panel_buffer;
thread_local AlignedBuffer padded_image;

// With at least this many (image, group) pairs, each is one task: an image that reaches into its
// padding is then copied out with its zeros once, not once per chunk of panels.
constexpr int64_t kImageTasks = 8;

// An empty reduction (no input channels): y = bias (or 0), then ReLU.
void fill_bias(const Conv2dShape& s, const float* bias, bool relu, float* y) {
  const int64_t plane = s.ho * s.wo;
  for (int64_t i = 0; i < s.n * s.o; ++i) {
    float v = bias ? bias[i % s.o] : 0.0f;
    if (relu && v < 0.0f) v = 0.0f;
    for (int64_t p = 0; p < plane; ++p) y[i * plane + p] = v;
  }
}

}  // namespace

void conv2d_forward_f32(const Conv2dShape& s, const float* x, const float* weight,
                        const float* bias, bool relu, float* y) {
  const int64_t P = s.ho * s.wo, og = s.o / s.groups, cg = s.c / s.groups;
  const int64_t K = cg * s.kh * s.kw;
  if (s.n == 0 || s.o == 0 || P == 0) return;
  if (K == 0) return fill_bias(s, bias, relu, y);
  if (conv2d_forward_direct_pays(s)) return conv2d_forward_direct(s, x, weight, bias, relu, y);
  const ConvLoops& loops = kernels().conv;
  const ConvGeometry geo = conv::geometry(s);
  const conv::Tiling tl = conv::tiling(loops, og, s.ho, s.wo);
  const int64_t packed = conv::packed_size(og, K, tl.mr);
  float* wp = packed_weight.floats(static_cast<size_t>(s.groups * packed));
  for (int64_t grp = 0; grp < s.groups; ++grp) {
    conv::pack_a(weight + grp * og * K, K, 1, og, K, tl, wp + grp * packed);
  }
  // Tasks: (image, group, chunk of panels), each writing its own columns of y.
  const int64_t mpad = conv::round_up(og, tl.mr);
  const int64_t panels = tl.panels;
  const int64_t panel_work = mpad * K * tl.nr;
  // Padding written out once per image lets every panel take the packing loops' fast path.
  const bool pad = conv::reaches_padding(geo);
  const ConvGeometry pgeo = pad ? conv::padded_geometry(geo) : geo;
  const int64_t chunks = pad && s.n * s.groups >= kImageTasks ? 1 : conv::chunk_count(panels, panel_work);
  const int64_t per_image = s.groups * chunks;
  conv::run_tasks(s.n * per_image, s.n * s.groups * panels * panel_work, [&](int64_t t) {
    const int64_t n = t / per_image, grp = t / chunks % s.groups, ch = t % chunks;
    const float* xg = x + (n * s.c + grp * cg) * s.h * s.w;
    if (pad) {
      float* xp = padded_image.floats(static_cast<size_t>(cg * pgeo.h * pgeo.w));
      conv::pad_image(geo, xg, xp);
      xg = xp;
    }
    float* yg = y + (n * s.o + grp * og) * P;
    const float* bg = bias ? bias + grp * og : nullptr;
    const conv::PackedA a{wp + grp * packed, mpad, tl.mr};
    float* b = panel_buffer.floats(static_cast<size_t>(tl.kc * tl.nr));
    ConvRun runs[kConvMaxPanel];
    for (int64_t pi = panels * ch / chunks; pi < panels * (ch + 1) / chunks; ++pi) {
      int64_t p0 = 0, width = 0;
      tl.panel(pi, &p0, &width);
      const int cols = static_cast<int>(width);
      const int n_runs = conv::make_runs(p0, cols, s.wo, runs);
      for (int64_t k0 = 0; k0 < K; k0 += tl.kc) {
        const int64_t kcb = conv::min(tl.kc, K - k0);
        loops.pack_cols(pgeo, xg, k0, kcb, runs, n_runs, cols, tl.nr, tl.nr, b);
        conv::panel_product(tl, a, og, k0, kcb, b, cols, yg + p0, P, k0 == 0, k0 + kcb == K, bg, relu);
      }
    }
  });
}

}  // namespace tg
