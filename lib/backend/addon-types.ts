import type { CpuData } from './storage';

/**
 * The typed surface of the native addon: every function it exports, with the argument order the
 * binding (native/binding/*.cc) checks. The binding validates everything again, so a wrong call
 * throws a TypeError or RangeError instead of crashing.
 */


export interface NativeBuildInfo {
  buildSystem: 'node-gyp' | 'cmake-js' | 'unknown';
  napiVersion: number;
  compiler: string;
  cuda: boolean;
  /** The kernel set in use: 'avx512', 'avx2' or 'generic'. */
  isa: string;
  /** TENSORGRAD_ISA as the addon read it ('' when unset). */
  isaRequested: string;
  /** Why the kernel set differs from the request ('' when it does not). */
  isaNote: string;
  isasCompiled: string;
  cpuFeatures: string;
  /** Whether glibc's malloc keeps freed large blocks for reuse (native/runtime/malloc_tuning.h). */
  mallocTuned: boolean;
}

export interface NativeAddon {
  buildInfo(): NativeBuildInfo;
  getNumThreads(): number;
  setNumThreads(n: number): void;
  /** The bytes from buffer's byte byteOffset up to the next 64-byte boundary (0 on one). */
  alignmentGap(buffer: ArrayBuffer, byteOffset: number): number;
  /** out = op(a, b) with broadcasting; all three Float32Array or all Int32Array. */
  binary(
    op: number,
    a: Float32Array | Int32Array,
    aShape: readonly number[],
    b: Float32Array | Int32Array,
    bShape: readonly number[],
    out: Float32Array | Int32Array,
    outShape: readonly number[],
  ): void;
  /**
   * out = op(a, b) value by value, for operands of one shape: no broadcasting, so no shapes. The
   * three have one length and are all Float32Array or all Int32Array; out may be a or b itself.
   */
  binaryFlat(op: number, a: Float32Array | Int32Array, b: Float32Array | Int32Array, out: Float32Array | Int32Array): void;
  /**
   * out = op(x) elementwise (UnaryOpCode), with the op's parameters p0 and p1 (pass 0 where the op
   * has none). out has x's length; it may be x itself, else it must not share memory with x.
   */
  unary(op: number, x: Float32Array, out: Float32Array, p0: number, p1: number): void;
  /**
   * out = grad * f'(saved) elementwise (UnaryBackwardOpCode says whether saved is the forward
   * input or output, and what p0 and p1 are). The three have one length; out may be grad or saved.
   */
  unaryBackward(op: number, grad: Float32Array, saved: Float32Array, out: Float32Array, p0: number, p1: number): void;
  /**
   * out = a op b (CompareOpCode) as 0/1 bytes, with broadcasting; a and b both Float32Array or
   * both Int32Array (NaN compares as IEEE: only ne is true). out must not share memory with a or b.
   */
  compare(
    op: number,
    a: Float32Array | Int32Array,
    aShape: readonly number[],
    b: Float32Array | Int32Array,
    bShape: readonly number[],
    out: Uint8Array,
    outShape: readonly number[],
  ): void;
  /**
   * out = cond ? a : b elementwise, the three shapes broadcasting to outShape; a, b and out all
   * Float32Array or all Int32Array; any non-zero cond byte is true.
   */
  where(
    cond: Uint8Array,
    condShape: readonly number[],
    a: Float32Array | Int32Array,
    aShape: readonly number[],
    b: Float32Array | Int32Array,
    bShape: readonly number[],
    out: Float32Array | Int32Array,
    outShape: readonly number[],
  ): void;
  /** out = op(a) @ op(b), rank >= 2, batch dims broadcast; out must not share memory with a or b. */
  matmul(
    a: Float32Array,
    aShape: readonly number[],
    transA: boolean,
    b: Float32Array,
    bShape: readonly number[],
    transB: boolean,
    out: Float32Array,
    outShape: readonly number[],
  ): void;
  /**
   * out (m x n) = op(a) @ op(b), op(a) m x k and op(b) k x n, row-major; a transposed operand is
   * stored as its transpose. The 2-D product, with its sizes as numbers (each below 2^31) instead
   * of shapes; out must not share memory with a or b.
   */
  gemm(a: Float32Array, transA: boolean, b: Float32Array, transB: boolean, out: Float32Array, m: number, n: number, k: number): void;
  /**
   * out (m x n) = x (m x k) @ w^T (w: n x k) + bias, then ReLU when relu is true: one GEMM with a
   * fused epilogue. bias: n values or null. out must not share memory with the inputs.
   */
  linear(x: Float32Array, w: Float32Array, bias: Float32Array | null, relu: boolean, out: Float32Array, m: number, n: number, k: number): void;
  /**
   * For every index i of shape: dst[dstOffset + i . dstStrides] = src[srcOffset + i . srcStrides].
   * src and dst are typed arrays of one kind; strides (in elements) may be 0 or negative.
   */
  stridedCopy(
    src: CpuData,
    srcOffset: number,
    srcStrides: readonly number[],
    dst: CpuData,
    dstOffset: number,
    dstStrides: readonly number[],
    shape: readonly number[],
  ): void;
  /** torch.gather: out[.., j, ..] = x[.., index[.., j, ..], ..] along dim; out has indexShape. */
  gather(x: Float32Array, xShape: readonly number[], dim: number, index: Int32Array, indexShape: readonly number[], out: Float32Array): void;
  /** torch.scatter_add_: out[.., index[.., j, ..], ..] += src[.., j, ..] along dim; src has indexShape. */
  scatterAdd(out: Float32Array, outShape: readonly number[], dim: number, index: Int32Array, indexShape: readonly number[], src: Float32Array): void;
  /** torch.index_select with a 1-D index; x and out of one kind. */
  indexSelect(x: CpuData, xShape: readonly number[], dim: number, index: Int32Array, out: CpuData): void;
  /** torch.index_add_: out[.., index[j], ..] += src[.., j, ..] along dim. */
  indexAdd(out: Float32Array, outShape: readonly number[], dim: number, index: Int32Array, src: Float32Array): void;
  randomUniform(out: Float32Array, keyLo: number, keyHi: number, counter: number, low: number, high: number): void;
  randomNormal(out: Float32Array, keyLo: number, keyHi: number, counter: number, mean: number, std: number): void;
  randomInt(out: Int32Array, keyLo: number, keyHi: number, counter: number, low: number, high: number): void;
  randomBernoulli(out: Float32Array, keyLo: number, keyHi: number, counter: number, p: number): void;

  // ---- reductions (native/binding/reduce.cc) -------------------------------------------------
  // dims are distinct dims in [0, rank); out is contiguous over the dims not reduced, in order
  // (keepdim is a reshape). dims [] reduces nothing. A broadcast gradient goes back to an
  // operand's shape (sumToShape) with a sum over its missing leading dims and its size-1 dims.
  // Results are bitwise the same for any thread count; sums accumulate in double.

  /**
   * out = op (ReduceOpCode) over dims of x. Float32Array x -> Float32Array out; Int32Array x ->
   * Int32Array out (sum and prod wrap, no mean); Uint8Array x (bool) -> Int32Array out (sum only).
   * Empty reductions: sum 0, prod 1, mean NaN; max and min throw a RangeError as PyTorch does.
   * max and min propagate NaN.
   */
  reduce(
    op: number,
    x: Float32Array | Int32Array | Uint8Array,
    xShape: readonly number[],
    dims: readonly number[],
    out: Float32Array | Int32Array,
  ): void;
  /** out = sum((x - mean)^2) / max(0, n - correction) over dims (correction 1 is Bessel's). */
  reduceVar(x: Float32Array, xShape: readonly number[], dims: readonly number[], correction: number, out: Float32Array): void;
  /**
   * Along one dim (rank >= 1): indices of the first max (ArgReduceOpCode.max) or min; a NaN beats
   * every number (the first NaN wins). values (same type as x, or null) receives the values:
   * max / min with indices. argmax over all elements: xShape [numel], dim 0.
   */
  argReduce(
    op: number,
    x: Float32Array | Int32Array,
    xShape: readonly number[],
    dim: number,
    values: Float32Array | Int32Array | null,
    indices: Int32Array,
  ): void;

  // ---- softmax and losses (native/binding/nn.cc) ---------------------------------------------

  /** out = softmax(x) along dim (rank >= 1); out may be x itself. */
  softmax(x: Float32Array, xShape: readonly number[], dim: number, out: Float32Array): void;
  /** out = log_softmax(x) along dim; out may be x itself. */
  logSoftmax(x: Float32Array, xShape: readonly number[], dim: number, out: Float32Array): void;
  /** out = y * (grad - sum_dim(grad * y)), y = softmax output; out may be grad or y. */
  softmaxBackward(grad: Float32Array, y: Float32Array, shape: readonly number[], dim: number, out: Float32Array): void;
  /** out = grad - exp(y) * sum_dim(grad), y = log_softmax output; out may be grad or y. */
  logSoftmaxBackward(grad: Float32Array, y: Float32Array, shape: readonly number[], dim: number, out: Float32Array): void;
  /**
   * torch.nn.functional.cross_entropy with class indices. input: logits [N, C] or [N, C, d1...];
   * target: N * d1 * ... class indices, each in [0, C) or ignoreIndex (else RangeError); weight:
   * [C] or null; labelSmoothing in [0, 1]; reduction: LossReductionCode. loss: one value per
   * sample for none, else one value (mean divides by the total weight of the targets not
   * ignored). grad (null to skip): d loss / d input, input's shape; for none each sample's own
   * gradient. Backward multiplies it by the upstream gradient (broadcast over C).
   */
  crossEntropy(
    input: Float32Array,
    inputShape: readonly number[],
    target: Int32Array,
    weight: Float32Array | null,
    ignoreIndex: number,
    labelSmoothing: number,
    reduction: number,
    loss: Float32Array,
    grad: Float32Array | null,
  ): void;
  /** torch.nn.functional.nll_loss: as crossEntropy, but input holds log-probabilities and there is no smoothing. */
  nllLoss(
    input: Float32Array,
    inputShape: readonly number[],
    target: Int32Array,
    weight: Float32Array | null,
    ignoreIndex: number,
    reduction: number,
    loss: Float32Array,
    grad: Float32Array | null,
  ): void;

  // ---- batch normalisation (native/binding/batch_norm.cc) -------------------------------------

  /**
   * Training-mode batch norm of x [N, C, ...] over every dim but 1: out = (x - mean) / sqrt(var +
   * eps) * weight + bias with the batch's per-channel mean and biased variance, which are written
   * to mean and var ([C] each). weight and bias: [C] or null (1 and 0). out may be x itself.
   */
  batchNormTrain(
    x: Float32Array,
    xShape: readonly number[],
    weight: Float32Array | null,
    bias: Float32Array | null,
    eps: number,
    out: Float32Array,
    mean: Float32Array,
    variance: Float32Array,
  ): void;
  /** Eval-mode batch norm: as batchNormTrain, with the given statistics mean and var ([C]). */
  batchNormEval(
    x: Float32Array,
    xShape: readonly number[],
    weight: Float32Array | null,
    bias: Float32Array | null,
    mean: Float32Array,
    variance: Float32Array,
    eps: number,
    out: Float32Array,
  ): void;
  /**
   * Gradients of sum(grad * batchNorm(x)) w.r.t. x, weight and bias (each output null to skip).
   * training: mean and var are the batch's own (as batchNormTrain wrote them), so the gradient
   * flows through them too; otherwise they are constants.
   */
  batchNormBackward(
    grad: Float32Array,
    x: Float32Array,
    xShape: readonly number[],
    weight: Float32Array | null,
    mean: Float32Array,
    variance: Float32Array,
    eps: number,
    training: boolean,
    gradInput: Float32Array | null,
    gradWeight: Float32Array | null,
    gradBias: Float32Array | null,
  ): void;

  // ---- optimizer steps (native/binding/optim.cc) ---------------------------------------------
  // One call updates one parameter and its state buffers in place (all of param's length, no two
  // sharing memory); grad is only read. The algorithms are torch.optim's.

  /** torch.optim.SGD. momentumBuffer may be null when momentum is 0; firstStep sets it to the gradient. */
  sgdStep(
    param: Float32Array,
    grad: Float32Array,
    momentumBuffer: Float32Array | null,
    lr: number,
    momentum: number,
    dampening: number,
    weightDecay: number,
    nesterov: boolean,
    maximize: boolean,
    firstStep: boolean,
  ): void;
  /** torch.optim.Adam, or AdamW when decoupledWeightDecay. step: this step's number, from 1. */
  adamStep(
    param: Float32Array,
    grad: Float32Array,
    expAvg: Float32Array,
    expAvgSq: Float32Array,
    maxExpAvgSq: Float32Array | null,
    step: number,
    lr: number,
    beta1: number,
    beta2: number,
    eps: number,
    weightDecay: number,
    amsgrad: boolean,
    maximize: boolean,
    decoupledWeightDecay: boolean,
  ): void;
  /** torch.optim.RMSprop. gradAvg may be null unless centered; momentumBuffer unless momentum > 0. */
  rmspropStep(
    param: Float32Array,
    grad: Float32Array,
    squareAvg: Float32Array,
    gradAvg: Float32Array | null,
    momentumBuffer: Float32Array | null,
    lr: number,
    alpha: number,
    eps: number,
    weightDecay: number,
    momentum: number,
    centered: boolean,
    maximize: boolean,
  ): void;
  /** torch.optim.Adagrad. stateSum starts at initialAccumulatorValue; step: this step's number, from 1. */
  adagradStep(
    param: Float32Array,
    grad: Float32Array,
    stateSum: Float32Array,
    step: number,
    lr: number,
    lrDecay: number,
    weightDecay: number,
    eps: number,
    maximize: boolean,
  ): void;

  // ---- convolution (native/binding/conv.cc) ---------------------------------------------------
  // NCHW float32. x: [n, c, h, w]; weight: [o, c / groups, kh, kw]; out: [n, o, ho, wo] with
  // PyTorch's sizes, ho = floor((h + padTop + padBottom - dilation[0] * (kh - 1) - 1) / stride[0]) + 1
  // (wo alike), which outShape (gradOutShape) must equal exactly. stride and dilation: [h, w] >= 1;
  // padding: [h, w] (both sides) or [top, bottom, left, right] (asymmetric 'same'), >= 0; groups
  // >= 1 dividing c and o. Outputs are overwritten, never accumulated into, and must not share
  // memory with any input. Results are bitwise the same for any thread count. An input with no
  // channels gives out = bias (PyTorch returns an empty tensor there).

  /** out = conv2d(x, weight) + bias (o values, or null), then ReLU when relu (fused for Conv2d + ReLU). */
  conv2d(
    x: Float32Array,
    xShape: readonly number[],
    weight: Float32Array,
    weightShape: readonly number[],
    bias: Float32Array | null,
    stride: readonly number[],
    padding: readonly number[],
    dilation: readonly number[],
    groups: number,
    relu: boolean,
    out: Float32Array,
    outShape: readonly number[],
  ): void;
  /**
   * gradInput = d sum(out * gradOut) / d x: the transposed convolution of gradOut. gradInputShape is
   * the forward input's shape (it cannot be recovered from gradOut's when the stride does not divide).
   */
  conv2dBackwardInput(
    gradOut: Float32Array,
    gradOutShape: readonly number[],
    weight: Float32Array,
    weightShape: readonly number[],
    stride: readonly number[],
    padding: readonly number[],
    dilation: readonly number[],
    groups: number,
    gradInput: Float32Array,
    gradInputShape: readonly number[],
  ): void;
  /**
   * gradWeight = d sum(out * gradOut) / d weight, summed over the batch (gradWeightShape is the
   * weight's shape, given even when gradWeight is null); gradBias = gradOut summed over n, ho, wo
   * (o values). Either output may be null.
   */
  conv2dBackwardWeight(
    gradOut: Float32Array,
    gradOutShape: readonly number[],
    x: Float32Array,
    xShape: readonly number[],
    stride: readonly number[],
    padding: readonly number[],
    dilation: readonly number[],
    groups: number,
    gradWeight: Float32Array | null,
    gradWeightShape: readonly number[],
    gradBias: Float32Array | null,
  ): void;

  // ---- pooling (native/binding/pool.cc) -------------------------------------------------------
  // NCHW float32 with non-zero c, h and w (n may be 0). kernelSize, stride, dilation: [h, w] >= 1
  // (the TypeScript layer resolves stride = kernelSize); padding: [h, w], at most half the kernel.
  // ho = floor((h + 2 * pad - dilation * (k - 1) - 1 + (ceilMode ? stride - 1 : 0)) / stride) + 1,
  // less 1 in ceil mode when the last window would start past the image and its left padding
  // (PyTorch's pooling_output_shape); it must be at least 1. Outputs are overwritten and must
  // not share memory with inputs.

  /**
   * out = the max of each window; indices (or null) = the offset ih * w + iw of the max within
   * its plane (PyTorch's return_indices): the first max on ties, the last NaN if the window has
   * any. A window entirely in the padding (only with a dilation wider than the image) gives
   * -Infinity and PyTorch's index past the plane, which maxPool2dBackward refuses.
   */
  maxPool2d(
    x: Float32Array,
    xShape: readonly number[],
    kernelSize: readonly number[],
    stride: readonly number[],
    padding: readonly number[],
    dilation: readonly number[],
    ceilMode: boolean,
    out: Float32Array,
    outShape: readonly number[],
    indices: Int32Array | null,
  ): void;
  /** gradInput = 0, then each gradOut value added at its index (in [0, h * w), else RangeError) within its plane. */
  maxPool2dBackward(
    gradOut: Float32Array,
    gradOutShape: readonly number[],
    indices: Int32Array,
    gradInput: Float32Array,
    gradInputShape: readonly number[],
  ): void;
  /**
   * out = the mean of each window (torch avg_pool2d): the divisor is divisorOverride (a non-zero
   * integer, or null), else the window clipped to the padded image when countIncludePad, else
   * the count of input elements in it.
   */
  avgPool2d(
    x: Float32Array,
    xShape: readonly number[],
    kernelSize: readonly number[],
    stride: readonly number[],
    padding: readonly number[],
    ceilMode: boolean,
    countIncludePad: boolean,
    divisorOverride: number | null,
    out: Float32Array,
    outShape: readonly number[],
  ): void;
  /** gradInput = d sum(out * gradOut) / d x for avgPool2d with the same arguments. */
  avgPool2dBackward(
    gradOut: Float32Array,
    gradOutShape: readonly number[],
    kernelSize: readonly number[],
    stride: readonly number[],
    padding: readonly number[],
    ceilMode: boolean,
    countIncludePad: boolean,
    divisorOverride: number | null,
    gradInput: Float32Array,
    gradInputShape: readonly number[],
  ): void;
  /**
   * torch adaptive_avg_pool2d: outShape [n, c, ho, wo] gives the output size; cell (i, j)
   * averages rows floor(i * h / ho) to ceil((i + 1) * h / ho) - 1 and the columns alike.
   */
  adaptiveAvgPool2d(x: Float32Array, xShape: readonly number[], out: Float32Array, outShape: readonly number[]): void;
  /** gradInput = d sum(out * gradOut) / d x for adaptiveAvgPool2d. */
  adaptiveAvgPool2dBackward(
    gradOut: Float32Array,
    gradOutShape: readonly number[],
    gradInput: Float32Array,
    gradInputShape: readonly number[],
  ): void;
}

/** The names above, for the test that the addon exports exactly these. */
export const nativeFunctionNames: readonly (keyof NativeAddon)[] = [
  'buildInfo',
  'getNumThreads',
  'setNumThreads',
  'alignmentGap',
  'binary',
  'binaryFlat',
  'unary',
  'unaryBackward',
  'compare',
  'where',
  'matmul',
  'gemm',
  'linear',
  'stridedCopy',
  'gather',
  'scatterAdd',
  'indexSelect',
  'indexAdd',
  'randomUniform',
  'randomNormal',
  'randomInt',
  'randomBernoulli',
  'reduce',
  'reduceVar',
  'argReduce',
  'softmax',
  'logSoftmax',
  'softmaxBackward',
  'logSoftmaxBackward',
  'crossEntropy',
  'nllLoss',
  'batchNormTrain',
  'batchNormEval',
  'batchNormBackward',
  'sgdStep',
  'adamStep',
  'rmspropStep',
  'adagradStep',
  'conv2d',
  'conv2dBackwardInput',
  'conv2dBackwardWeight',
  'maxPool2d',
  'maxPool2dBackward',
  'avgPool2d',
  'avgPool2dBackward',
  'adaptiveAvgPool2d',
  'adaptiveAvgPool2dBackward',
];

/** Codes of native BinaryOp (native/kernels/cpu/kernel_table.h), in the same order. */
export const BinaryOpCode = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  maximum: 4,
  minimum: 5,
  /** C's pow (float32 only): pow(x, 0) = 1 even for NaN x, negative ** non-integer = NaN. */
  pow: 6,
} as const;
export type BinaryOpName = keyof typeof BinaryOpCode;

/** Codes of native ReduceOp (native/kernels/cpu/kernel_table.h), in the same order. */
export const ReduceOpCode = {
  sum: 0,
  mean: 1,
  prod: 2,
  max: 3,
  min: 4,
} as const;
export type ReduceOpName = keyof typeof ReduceOpCode;

/** Codes of native ArgReduceOp: argmax / max with indices, argmin / min with indices. */
export const ArgReduceOpCode = {
  max: 0,
  min: 1,
} as const;
export type ArgReduceOpName = keyof typeof ArgReduceOpCode;

/** Codes of native LossReduction: PyTorch's Reduction enum, in its order. */
export const LossReductionCode = {
  none: 0,
  mean: 1,
  sum: 2,
} as const;
export type LossReductionName = keyof typeof LossReductionCode;

/**
 * Codes of native UnaryOp, in the same order, with what p0 and p1 mean. Scalars become float32
 * where PyTorch casts them to the tensor's type; pow keeps its exponent a double, as torch.pow.
 */
export const UnaryOpCode = {
  neg: 0,
  exp: 1,
  log: 2,
  log1p: 3,
  expm1: 4,
  sqrt: 5,
  /** 1 / sqrt(x). */
  rsqrt: 6,
  abs: 7,
  /** -1, 0 or 1; 0 for NaN, as torch.sign gives. */
  sign: 8,
  relu: 9,
  sigmoid: 10,
  tanh: 11,
  /** x * Phi(x), the exact form (approximate='none'). */
  gelu: 12,
  /** 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), approximate='tanh'. */
  geluTanh: 13,
  silu: 14,
  /** p0 = beta, p1 = threshold (PyTorch's defaults: 1 and 20). */
  softplus: 15,
  /** p0 = alpha (default 1). */
  elu: 16,
  /** p0 = negative slope (default 0.01). */
  leakyRelu: 17,
  /** p0 = min, p1 = max; -Infinity / Infinity for an absent bound; min > max gives max. */
  clamp: 18,
  /** p0 = exponent. */
  pow: 19,
  square: 20,
  reciprocal: 21,
  erf: 22,
} as const;
export type UnaryOpName = keyof typeof UnaryOpCode;

/**
 * Codes of native UnaryBackwardOp: out = grad * f'(saved), PyTorch's formulas (derivatives.yaml)
 * including the kinks (relu'(0) = 0, leakyRelu'(0) = slope, elu'(0) = alpha).
 */
export const UnaryBackwardOpCode = {
  /** saved = x (or the output: same mask); grad where x > 0. */
  relu: 0,
  /** saved = x; p0 = negative slope. */
  leakyRelu: 1,
  /** saved = x; p0 = alpha. */
  elu: 2,
  /** saved = the output y: grad * (1 - y) * y. */
  sigmoid: 3,
  /** saved = the output y: grad * (1 - y^2). */
  tanh: 4,
  /** saved = x. */
  gelu: 5,
  /** saved = x. */
  geluTanh: 6,
  /** saved = x. */
  silu: 7,
  /** saved = x; p0 = beta, p1 = threshold. */
  softplus: 8,
  /** saved = x; p0 = min, p1 = max: grad where min <= x <= max, else 0. */
  clamp: 9,
  /** saved = x; p0 = exponent: grad * e * x^(e-1), and 0 for e = 0. */
  pow: 10,
  /** saved = x: grad * sign(x). */
  abs: 11,
} as const;
export type UnaryBackwardOpName = keyof typeof UnaryBackwardOpCode;

/** Codes of native CompareOp, in the same order. */
export const CompareOpCode = {
  eq: 0,
  ne: 1,
  lt: 2,
  le: 3,
  gt: 4,
  ge: 5,
} as const;
export type CompareOpName = keyof typeof CompareOpCode;
