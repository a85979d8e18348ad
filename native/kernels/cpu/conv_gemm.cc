#include "conv_gemm.h"

#include <cstring>

namespace tg {
namespace conv {

ConvGeometry geometry(const Conv2dShape& s) {
  return ConvGeometry{s.c / s.groups, s.h, s.w, s.kh, s.kw, s.sh, s.sw,
                      s.pt, s.pl, s.dh, s.dw, s.ho, s.wo};
}

bool reaches_padding(const ConvGeometry& g) {
  const int64_t bottom = (g.ho - 1) * g.sh + (g.kh - 1) * g.dh - g.pt;
  const int64_t right = (g.wo - 1) * g.sw + (g.kw - 1) * g.dw - g.pl;
  return g.pt > 0 || g.pl > 0 || bottom >= g.h || right >= g.w;
}

ConvGeometry padded_geometry(const ConvGeometry& g) {
  ConvGeometry p = g;
  p.h = (g.ho - 1) * g.sh + (g.kh - 1) * g.dh + 1;
  p.w = (g.wo - 1) * g.sw + (g.kw - 1) * g.dw + 1;
  p.pt = 0;
  p.pl = 0;
  return p;
}

void pad_rows(const float* x, int64_t c, int64_t h, int64_t w, int64_t pt, int64_t pl, int64_t wp,
              int64_t r0, int64_t r1, float* dst) {
  // Input columns [x0, x1) land at padded columns [x0 + pl, x1 + pl); the rest is zero.
  const int64_t x0 = pl < 0 ? -pl : 0, x1 = min(w, wp - pl);
  for (int64_t ch = 0; ch < c; ++ch) {
    for (int64_t r = r0; r < r1; ++r) {
      float* row = dst + (ch * (r1 - r0) + r - r0) * wp;
      const int64_t ih = r - pt;
      if (ih < 0 || ih >= h || x1 <= x0) {
        std::memset(row, 0, static_cast<size_t>(wp) * sizeof(float));
        continue;
      }
      const int64_t lead = x0 + pl, copied = x1 - x0;
      std::memset(row, 0, static_cast<size_t>(lead) * sizeof(float));
      std::memcpy(row + lead, x + (ch * h + ih) * w + x0, static_cast<size_t>(copied) * sizeof(float));
      std::memset(row + lead + copied, 0, static_cast<size_t>(wp - lead - copied) * sizeof(float));
    }
  }
}

void pad_image(const ConvGeometry& g, const float* x, float* dst) {
  const ConvGeometry p = padded_geometry(g);
  pad_rows(x, g.c, g.h, g.w, g.pt, g.pl, p.w, 0, p.h, dst);
}

void fill_taps(int64_t c, int64_t kh, int64_t kw, int64_t plane, int64_t wp, int64_t* taps) {
  for (int64_t ch = 0, k = 0; ch < c; ++ch)
    for (int64_t i = 0; i < kh; ++i)
      for (int64_t j = 0; j < kw; ++j) taps[k++] = ch * plane + i * wp + j;
}

int make_runs(int64_t p0, int64_t cols, int64_t wo, ConvRun* runs) {
  int n = 0;
  int64_t oh = p0 / wo, ow = p0 % wo;
  for (int64_t j = 0; j < cols; ++n) {
    const int64_t len = min(wo - ow, cols - j);
    runs[n] = ConvRun{j, len, oh, ow};
    j += len;
    ow = 0;
    ++oh;
  }
  return n;
}

int64_t chunk_count(int64_t units, int64_t unit_work) {
  if (units <= 1 || unit_work <= 0) return 1;
  const int64_t per = unit_work >= kTaskWork ? 1 : ceil_div(kTaskWork, unit_work);
  return ceil_div(units, per);
}

namespace {

// Panels per image for panels nr positions wide, and whole rows per panel (0: rows split).
int64_t count_panels(int64_t ho, int64_t wo, int64_t nr, int64_t* rows_per_panel) {
  *rows_per_panel = wo <= nr ? nr / wo : 0;
  return *rows_per_panel > 0 ? ceil_div(ho, *rows_per_panel) : ho * ceil_div(wo, nr);
}

}  // namespace

// Each shape's cost is the padded product it computes, plus a little per tile (storing it,
// starting the next), so that a tie goes to the larger tile. With the few rows of a
// convolution GEMM this is what decides its speed: the products themselves run at the FMA
// units' rate for every shape.
Tiling tiling(const ConvLoops& loops, int64_t m, int64_t ho, int64_t wo) {
  int best = 0;
  double best_cost = 0.0;
  for (int i = 0; i < loops.n_micro; ++i) {
    const ConvMicroKernel& k = loops.micro[i];
    const int64_t nr = int64_t{k.nv} * loops.vec;
    int64_t rows = 0;
    const double columns = static_cast<double>(count_panels(ho, wo, nr, &rows) * nr);
    const double cost = static_cast<double>(round_up(m, k.mr)) * columns * (1.0 + 4.0 / (k.mr * k.nv));
    if (i == 0 || cost < best_cost) best = i, best_cost = cost;
  }
  Tiling t;
  t.micro = loops.micro[best];
  t.mr = t.micro.mr;
  t.nr = t.micro.nv * loops.vec;
  // A panel of kc x nr floats takes at most 24 KiB, leaving L1 room for A's sliver and C.
  t.kc = 6144 / t.nr < 32 ? 32 : 6144 / t.nr;
  t.ho = ho;
  t.wo = wo;
  t.panels = count_panels(ho, wo, t.nr, &t.rows_per_panel);
  return t;
}

PackedA pack_a(const float* A, int64_t rs, int64_t cs, int64_t m, int64_t K, const Tiling& t,
               float* dst) {
  const int64_t mpad = round_up(m, t.mr);
  for (int64_t k0 = 0; k0 < K; k0 += t.kc) {
    const int64_t kcb = min(t.kc, K - k0);
    for (int64_t i0 = 0; i0 < mpad; i0 += t.mr) {
      float* d = dst + k0 * mpad + i0 * kcb;
      for (int r = 0; r < t.mr; ++r) {
        const int64_t i = i0 + r;
        if (i < m) {
          const float* src = A + i * rs + k0 * cs;
          for (int64_t k = 0; k < kcb; ++k) d[k * t.mr + r] = src[k * cs];
        } else {
          for (int64_t k = 0; k < kcb; ++k) d[k * t.mr + r] = 0.0f;
        }
      }
    }
  }
  return PackedA{dst, mpad, t.mr};
}

void panel_product(const Tiling& t, const PackedA& a, int64_t m, int64_t k0, int64_t kcb,
                   const float* b, int cols, float* c, int64_t ldc, bool first, bool last,
                   const float* bias, bool relu) {
  ConvTile tile{!first, nullptr, last && relu};
  for (int64_t i = 0; i * t.mr < m; ++i) {
    const int rows = static_cast<int>(min(t.mr, m - i * t.mr));
    if (last && bias) tile.row_bias = bias + i * t.mr;
    t.micro.run(kcb, a.at(k0, i, kcb), b, c + i * t.mr * ldc, ldc, rows, cols, tile);
  }
}

}  // namespace conv
}  // namespace tg
