#include "window_args.h"

namespace tg {
namespace binding {
namespace {

std::string list_str(const int64_t* v, int n) {
  std::string out = "[";
  for (int d = 0; d < n; ++d) out += (d ? ", " : "") + std::to_string(v[d]);
  return out + "]";
}

void check_range(const Args& args, const int64_t* v, int n, const char* name, int64_t lo) {
  for (int d = 0; d < n; ++d) {
    if (v[d] < lo || v[d] > kMaxExtent) {
      args.range_error(std::string(name) + " must hold integers in [" + std::to_string(lo) + ", " +
                       std::to_string(kMaxExtent) + "], got " + list_str(v, n));
    }
  }
}

}  // namespace

Pair read_pair(const Args& args, size_t i, const char* name, int64_t lo) {
  int64_t v[2];
  args.integers(i, name, 2, v);
  check_range(args, v, 2, name, lo);
  return Pair{v[0], v[1]};
}

Padding read_padding(const Args& args, size_t i, const char* name, bool four) {
  int64_t v[4];
  const int n = args.integers_either(i, name, 2, four ? 4 : 2, v);
  check_range(args, v, n, name, 0);
  if (n == 2) return Padding{v[0], v[0], v[1], v[1]};
  return Padding{v[0], v[1], v[2], v[3]};
}

void check_nchw(const Args& args, const Shape& s, const char* name) {
  if (s.ndim != 4) {
    args.range_error(std::string(name) + " must be 4-d [n, c, h, w], got " + shape_str(s));
  }
  for (int d = 0; d < 4; ++d) {
    if (s.dim[d] > kMaxExtent) {
      args.range_error(std::string(name) + " " + shape_str(s) + " has a size above " +
                       std::to_string(kMaxExtent));
    }
  }
}

void check_shape(const Args& args, const Shape& got, const Shape& want, const char* name) {
  if (got != want) {
    args.range_error(std::string(name) + " has shape " + shape_str(got) + ", expected " + shape_str(want));
  }
}

Shape nchw(int64_t n, int64_t c, int64_t h, int64_t w) {
  Shape s;
  s.ndim = 4;
  s.dim[0] = n;
  s.dim[1] = c;
  s.dim[2] = h;
  s.dim[3] = w;
  return s;
}

int64_t pool_output_size(int64_t in, int64_t k, int64_t pad, int64_t stride, int64_t dilation,
                         bool ceil_mode) {
  const int64_t num = in + 2 * pad - dilation * (k - 1) - 1 + (ceil_mode ? stride - 1 : 0);
  const int64_t q = num >= 0 ? num / stride : -((-num + stride - 1) / stride);  // floor
  int64_t out = q + 1;
  if (ceil_mode && (out - 1) * stride >= in + pad) --out;
  return out;
}

}  // namespace binding
}  // namespace tg
