#include "conv_gemm.h"

namespace tg {
namespace conv {

ConvGeometry geometry(const Conv2dShape& s) {
  return ConvGeometry{s.c / s.groups, s.h, s.w, s.kh, s.kw, s.sh, s.sw,
                      s.pt, s.pl, s.dh, s.dw, s.ho, s.wo};
}

int make_runs(int64_t p0, int64_t cols, int64_t wo, ConvRun* runs) {
  int n = 0;
  int64_t oh = p0 / wo, ow = p0 % wo;
  for (int64_t j = 0; j < cols; ++n) {
    const int64_t len = wo - ow < cols - j ? wo - ow : cols - j;
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

PackedA pack_a(const GemmKernel& g, bool trans, const float* A, int64_t lda, int64_t m, int64_t K,
               float* dst) {
  const int64_t mpad = round_up(m, g.mr);
  for (int64_t k0 = 0; k0 < K; k0 += g.kc) {
    const int64_t kcb = K - k0 < g.kc ? K - k0 : g.kc;
    g.pack_a(trans, A, lda, 0, m, k0, kcb, dst + k0 * mpad);
  }
  return PackedA{dst, mpad, g.mr};
}

void panel_product(const GemmKernel& g, const PackedA& a, int64_t m, int64_t k0, int64_t kcb,
                   const float* b, int cols, float* c, int64_t ldc, bool first, bool last,
                   const float* bias, bool relu) {
  GemmTile tile{1.0f, first ? 0.0f : 1.0f, nullptr, nullptr, last && bias, last && relu, false};
  for (int64_t i = 0; i * g.mr < m; ++i) {
    const int rows = m - i * g.mr < g.mr ? static_cast<int>(m - i * g.mr) : g.mr;
    if (tile.bias) tile.row_bias = bias + i * g.mr;
    g.micro(kcb, a.at(k0, i, kcb), b, g.nr, c + i * g.mr * ldc, ldc, rows, cols, tile);
  }
}

}  // namespace conv
}  // namespace tg
