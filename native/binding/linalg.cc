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

// linear(x, xShape, w, wShape, bias, relu, out, outShape): out = x @ w^T + bias, then ReLU when
// relu is true, in one GEMM with a fused epilogue. x: [..., K], w: [N, K], bias: N values or
// null, out: [..., N].
Napi::Value linear(const Napi::CallbackInfo& info) {
  Args args(info, "linear", 8);
  const Buffer<float> x = args.float32(0, "x");
  const Shape x_shape = args.shape(1, "xShape");
  const Buffer<float> w = args.float32(2, "w");
  const Shape w_shape = args.shape(3, "wShape");
  const Buffer<float> bias = args.float32_or_null(4, "bias");
  const bool relu = args.boolean(5, "relu");
  const Buffer<float> out = args.float32(6, "out");
  const Shape out_shape = args.shape(7, "outShape");
  check_fits(args, x, x_shape, "x");
  check_fits(args, w, w_shape, "w");
  check_fits(args, out, out_shape, "out");
  if (x_shape.ndim < 1 || w_shape.ndim != 2) {
    args.range_error("x must have at least 1 dimension and w exactly 2, got " + shape_str(x_shape) +
                     " and " + shape_str(w_shape));
  }
  const int64_t K = x_shape.dim[x_shape.ndim - 1], N = w_shape.dim[0];
  if (w_shape.dim[1] != K) {
    args.range_error("x " + shape_str(x_shape) + " and w " + shape_str(w_shape) +
                     " do not fit: x's last size must equal w's second");
  }
  if (bias.data && bias.length != N) {
    args.range_error("bias has " + std::to_string(bias.length) + " elements, expected " + std::to_string(N));
  }
  Shape expected = x_shape;
  expected.dim[expected.ndim - 1] = N;
  if (expected != out_shape) {
    args.range_error("out has shape " + shape_str(out_shape) + ", expected " + shape_str(expected));
  }
  check_disjoint(args, out, "out", x, "x");
  check_disjoint(args, out, "out", w, "w");
  if (bias.data) check_disjoint(args, out, "out", bias, "bias");
  GemmEpilogue epilogue;
  epilogue.col_bias = bias.data;
  epilogue.relu = relu;
  const int64_t M = K > 0 ? x.length / K : out.length / (N > 0 ? N : 1);
  sgemm(false, true, M, N, K, 1.0f, x.data, K, w.data, K, 0.0f, out.data, N, epilogue);
  return args.env().Undefined();
}

}  // namespace

void export_linalg(Napi::Env env, Napi::Object exports) {
  exports.Set("matmul", Napi::Function::New(env, matmul, "matmul"));
  exports.Set("linear", Napi::Function::New(env, linear, "linear"));
}

}  // namespace binding
}  // namespace tg
