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
}

export interface NativeAddon {
  buildInfo(): NativeBuildInfo;
  getNumThreads(): number;
  setNumThreads(n: number): void;
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
  randomUniform(out: Float32Array, keyLo: number, keyHi: number, counter: number, low: number, high: number): void;
  randomNormal(out: Float32Array, keyLo: number, keyHi: number, counter: number, mean: number, std: number): void;
  randomInt(out: Int32Array, keyLo: number, keyHi: number, counter: number, low: number, high: number): void;
  randomBernoulli(out: Float32Array, keyLo: number, keyHi: number, counter: number, p: number): void;
}

/** The names above, for the test that the addon exports exactly these. */
export const nativeFunctionNames: readonly (keyof NativeAddon)[] = [
  'buildInfo',
  'getNumThreads',
  'setNumThreads',
  'binary',
  'unary',
  'unaryBackward',
  'compare',
  'where',
  'matmul',
  'randomUniform',
  'randomNormal',
  'randomInt',
  'randomBernoulli',
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
