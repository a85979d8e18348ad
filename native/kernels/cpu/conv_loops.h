// The per-ISA data movement of the convolution kernels (isa/conv.inc fills them): GEMM panels
// packed straight from an image (implicit im2col: no column matrix is ever written), and the
// inverse scatter-add of a panel of column gradients into an image (col2im of one panel).
#pragma once

#include <cstdint>

namespace tg {

// One group's view of a 2-D convolution: an image of c channels of h x w (channel planes of
// h * w floats), a kh x kw kernel, stride, padding before (top, left), dilation, and the output
// size. The reduction index k of the convolution GEMM counts (channel, kernel row, kernel column)
// with the kernel column fastest, as the weight [o, c, kh, kw] is stored.
struct ConvGeometry {
  int64_t c, h, w;
  int64_t kh, kw;
  int64_t sh, sw;
  int64_t pt, pl;
  int64_t dh, dw;
  int64_t ho, wo;
};

// Output positions j .. j + len - 1 of a panel: row oh of the output, columns ow .. ow + len - 1.
// A panel of NR positions (NR <= kConvMaxPanel) crosses at most NR rows.
struct ConvRun {
  int64_t j, len, oh, ow;
};
constexpr int kConvMaxPanel = 64;

struct ConvLoops {
  // dst[k * NR + j] = im2col(x)[k0 + k][p(j)] for k < kc and the positions p(j) of `runs`
  // (0 where the kernel tap falls in the padding), and 0 for columns cols <= j < NR.
  void (*pack_cols)(const ConvGeometry& g, const float* x, int64_t k0, int64_t kc,
                    const ConvRun* runs, int n_runs, int cols, float* dst);
  // x[...] += panel: each panel value panel[k * NR + j] is added to the input element that
  // im2col(x)[k0 + k][p(j)] reads (taps in the padding are dropped). Serial, in k then j order.
  void (*add_cols)(const ConvGeometry& g, const float* panel, int64_t k0, int64_t kc,
                   const ConvRun* runs, int n_runs, float* x);
  // The transposed panel for the weight gradient: dst[q * NR + j] = im2col(x)[k(j0 + j)][q0 + q]
  // for q < kc, from the channels-last image xt [h, w, c], where the column index counts
  // (kernel row, kernel column, channel) with the channel fastest; 0 for cols <= j < NR.
  void (*pack_rows_hwc)(const ConvGeometry& g, const float* xt, int64_t q0, int64_t kc,
                        int64_t j0, int cols, float* dst);
};

}  // namespace tg
