// The per-ISA loops of the convolution kernels (isa/conv_tiles.inc fills them): micro-kernels of
// several tile shapes, GEMM panels packed straight from an image (implicit im2col: no column
// matrix is ever written), and the inverse scatter-add of a panel of column gradients into an
// image (col2im of one panel).
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
struct ConvRun {
  int64_t j, len, oh, ow;
};
// The widest panel any kernel set uses (a panel of NR positions crosses at most NR rows).
constexpr int kConvMaxPanel = 128;

// What a micro-kernel does with its tile of C after the products: C = AB, or C += AB when
// accumulate; then + row_bias[i] (when not null) and ReLU (when relu).
struct ConvTile {
  bool accumulate;
  const float* row_bias;
  bool relu;
};

// C (rows x cols of an mr x nr tile, row stride ldc) from kc steps of a packed A sliver (mr
// values per step) and a packed B panel (nr = nv * vector width values per step).
// run_taps: the same, with B where it lies: step k's nr values at x + taps[k] (a stride-1
// convolution read straight from its padded image, conv_direct.cc).
struct ConvMicroKernel {
  int mr, nv;
  void (*run)(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, int rows, int cols,
              const ConvTile& t);
  void (*run_taps)(int64_t kc, const float* a, const float* x, const int64_t* taps, float* c,
                   int64_t ldc, int rows, int cols, const ConvTile& t);
};
constexpr int kConvMicroMax = 9;

// out[i * ldo + j] = (out[i * ldo + j] when accumulate, else 0) + the sum over segments
// g < segs and l < seg of a[g * a_seg + i * lda + l] * b[g * b_seg + j * ldb + l], for
// i < rows <= r and j < cols <= s: an r x s tile of a product whose operands both run along the
// reduction (the weight gradient's output positions, image by image). seg is a multiple of the
// vector width; each output keeps a vector of partial sums, its lanes added in a fixed order.
struct ConvDotKernel {
  int r, s;
  void (*run)(int64_t segs, int64_t seg, const float* a, int64_t lda, int64_t a_seg,
              const float* b, int64_t ldb, int64_t b_seg, float* out, int64_t ldo, int rows,
              int cols, bool accumulate);
};
constexpr int kConvDotMax = 6;

// out[r * ldo + j] = (out[r * ldo + j] when accumulate, else 0) + the sum over images
// g < images, output rows oh < ho and columns ow < wo of
// x[g * x_image + taps[r] + oh * wp + ow] * dyt[g * d_image + (oh * wo + ow) * ldt + j], for
// r < rows <= r_max and j < cols <= nv vectors: an r x nr tile of a stride-1 weight gradient,
// transposed (taps by output channels), read from padded images (rows wp apart) and transposed
// dy (ldt >= nr floats a position) where they lie (conv_direct_weight.cc). taps holds r_max
// entries.
struct ConvWeightKernel {
  int r, nv;
  void (*run)(int64_t images, int64_t ho, int64_t wo, int64_t wp, const float* x, int64_t x_image,
              const int64_t* taps, const float* dyt, int64_t ldt, int64_t d_image, float* out,
              int64_t ldo, int rows, int cols, bool accumulate);
};

struct ConvLoops {
  int vec;  // floats per vector: a micro-kernel's panel is nv * vec floats wide
  int n_micro;
  ConvMicroKernel micro[kConvMicroMax];
  int n_dot;
  ConvDotKernel dot[kConvDotMax];
  ConvWeightKernel weight_taps;
  // dst[k * width + j] = im2col(x)[k0 + k][p(j)] for k < kc and the positions p(j) of `runs`
  // (0 where the kernel tap falls in the padding), and 0 for columns cols <= j < pad_to.
  void (*pack_cols)(const ConvGeometry& g, const float* x, int64_t k0, int64_t kc,
                    const ConvRun* runs, int n_runs, int cols, int64_t width, int64_t pad_to,
                    float* dst);
  // x[...] += panel: each value panel[k * width + j] is added to the input element that
  // im2col(x)[k0 + k][p(j)] reads (taps in the padding are dropped). Serial, in k then j order.
  void (*add_cols)(const ConvGeometry& g, const float* panel, int width, int64_t k0, int64_t kc,
                   const ConvRun* runs, int n_runs, float* x);
};

}  // namespace tg
