// Matrix products.
#include "../kernels/cpu/binary.h"
#include "../kernels/cpu/gemm.h"
#include "../kernels/cpu/matmul.h"
#include "args.h"
#include "exports.h"

namespace tg {
namespace binding {
namespace {

Shape batch_dims(const Shape& s) {
  Shape b;
  b.ndim = s.ndim - 2;
  for (int d = 0; d < b.ndim; ++d) b.dim[d] = s.dim[d];
  return b;
}

// matmul(a, aShape, transA, b, bShape, transB, out, outShape): out = op(a) @ op(b), with batch
// dims broadcast. Operands have rank 2 or more; a transposed operand is stored as [..., K, M].
Napi::Value matmul(const Napi::CallbackInfo& info) {
  Args args(info, "matmul", 8);
  const Buffer<float> a = args.float32(0, "a");
  const Shape a_shape = args.shape(1, "aShape");
  const bool trans_a = args.boolean(2, "transA");
  const Buffer<float> b = args.float32(3, "b");
  const Shape b_shape = args.shape(4, "bShape");
  const bool trans_b = args.boolean(5, "transB");
  const Buffer<float> out = args.float32(6, "out");
  const Shape out_shape = args.shape(7, "outShape");
  check_fits(args, a, a_shape, "a");
  check_fits(args, b, b_shape, "b");
  check_fits(args, out, out_shape, "out");
  if (a_shape.ndim < 2 || b_shape.ndim < 2) {
    args.range_error("a and b must have at least 2 dimensions, got " + shape_str(a_shape) +
                     " and " + shape_str(b_shape));
  }
  const int ra = a_shape.ndim, rb = b_shape.ndim;
  const int64_t M = trans_a ? a_shape.dim[ra - 1] : a_shape.dim[ra - 2];
  const int64_t K = trans_a ? a_shape.dim[ra - 2] : a_shape.dim[ra - 1];
  const int64_t Kb = trans_b ? b_shape.dim[rb - 1] : b_shape.dim[rb - 2];
  const int64_t N = trans_b ? b_shape.dim[rb - 2] : b_shape.dim[rb - 1];
  if (K != Kb) {
    args.range_error("a " + shape_str(a_shape) + (trans_a ? " (transposed)" : "") + " and b " +
                     shape_str(b_shape) + (trans_b ? " (transposed)" : "") +
                     " cannot be multiplied: inner sizes " + std::to_string(K) + " and " +
                     std::to_string(Kb) + " differ");
  }
  Shape expected;
  if (!broadcast_shapes(batch_dims(a_shape), batch_dims(b_shape), &expected)) {
    args.range_error("batch dims of " + shape_str(a_shape) + " and " + shape_str(b_shape) +
                     " do not broadcast");
  }
  expected.dim[expected.ndim++] = M;
  expected.dim[expected.ndim++] = N;
  if (expected.ndim > kMaxDims || expected != out_shape) {
    args.range_error("out has shape " + shape_str(out_shape) + ", expected " + shape_str(expected));
  }
  check_disjoint(args, out, "out", a, "a");
  check_disjoint(args, out, "out", b, "b");
  matmul_f32(a.data, a_shape, trans_a, b.data, b_shape, trans_b, out.data, out_shape);
  return args.env().Undefined();
}

// Sizes of a 2-D product, each an integer in [0, 2^31), as numbers rather than shape arrays:
// reading three shape arrays through N-API cost about 0.3 us a call, more than a small product.
struct Sizes {
  int64_t m, n, k;
};

Sizes read_sizes(const Args& args, size_t i) {
  constexpr int64_t kMax = (int64_t{1} << 31) - 1;
  return {args.integer(i, "m", 0, kMax), args.integer(i + 1, "n", 0, kMax),
          args.integer(i + 2, "k", 0, kMax)};
}

// Throws a RangeError unless buf holds rows * cols values (products of sizes below 2^31 fit).
void check_matrix(const Args& args, const Buffer<float>& buf, int64_t rows, int64_t cols,
                  const char* name, const char* dims) {
  if (buf.length != rows * cols) {
    args.range_error(std::string(name) + " has " + std::to_string(buf.length) + " elements, expected " +
                     dims + " = " + std::to_string(rows) + " x " + std::to_string(cols));
  }
}

// gemm(a, transA, b, transB, out, m, n, k): out (m x n) = op(a) op(b), op(a) m x k and op(b)
// k x n, row-major; a transposed operand is stored as its transpose (a: k x m, b: n x k). The 2-D
// product that matmul makes, without shapes. out shares no memory with a or b.
Napi::Value gemm(const Napi::CallbackInfo& info) {
  Args args(info, "gemm", 8);
  const Buffer<float> a = args.float32(0, "a");
  const bool trans_a = args.boolean(1, "transA");
  const Buffer<float> b = args.float32(2, "b");
  const bool trans_b = args.boolean(3, "transB");
  const Buffer<float> out = args.float32(4, "out");
  const Sizes z = read_sizes(args, 5);
  check_matrix(args, a, z.m, z.k, "a", "m x k");
  check_matrix(args, b, z.k, z.n, "b", "k x n");
  check_matrix(args, out, z.m, z.n, "out", "m x n");
  check_disjoint(args, out, "out", a, "a");
  check_disjoint(args, out, "out", b, "b");
  sgemm(trans_a, trans_b, z.m, z.n, z.k, 1.0f, a.data, trans_a ? z.m : z.k, b.data,
        trans_b ? z.k : z.n, 0.0f, out.data, z.n);
  return args.env().Undefined();
}

// linear(x, w, bias, relu, out, m, n, k): out (m x n) = x (m x k) @ w^T (w: n x k) + bias, then
// ReLU when relu is true, in one GEMM with a fused epilogue. bias: n values or null. The rows of x
// are all its leading dims together.
Napi::Value linear(const Napi::CallbackInfo& info) {
  Args args(info, "linear", 8);
  const Buffer<float> x = args.float32(0, "x");
  const Buffer<float> w = args.float32(1, "w");
  const Buffer<float> bias = args.float32_or_null(2, "bias");
  const bool relu = args.boolean(3, "relu");
  const Buffer<float> out = args.float32(4, "out");
  const Sizes z = read_sizes(args, 5);
  check_matrix(args, x, z.m, z.k, "x", "m x k");
  check_matrix(args, w, z.n, z.k, "w", "n x k");
  check_matrix(args, out, z.m, z.n, "out", "m x n");
  if (bias.data && bias.length != z.n) {
    args.range_error("bias has " + std::to_string(bias.length) + " elements, expected n = " + std::to_string(z.n));
  }
  check_disjoint(args, out, "out", x, "x");
  check_disjoint(args, out, "out", w, "w");
  if (bias.data) check_disjoint(args, out, "out", bias, "bias");
  GemmEpilogue epilogue;
  epilogue.col_bias = bias.data;
  epilogue.relu = relu;
  sgemm(false, true, z.m, z.n, z.k, 1.0f, x.data, z.k, w.data, z.k, 0.0f, out.data, z.n, epilogue);
  return args.env().Undefined();
}

}  // namespace

void export_linalg(Napi::Env env, Napi::Object exports) {
  exports.Set("matmul", Napi::Function::New(env, matmul, "matmul"));
  exports.Set("gemm", Napi::Function::New(env, gemm, "gemm"));
  exports.Set("linear", Napi::Function::New(env, linear, "linear"));
}

}  // namespace binding
}  // namespace tg
