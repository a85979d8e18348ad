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
   * out = x @ w^T + bias, then ReLU when relu is true: one GEMM with a fused epilogue.
   * x: [..., K], w: [N, K], bias: N values or null, out: [..., N], not sharing memory with inputs.
   */
  linear(
    x: Float32Array,
    xShape: readonly number[],
    w: Float32Array,
    wShape: readonly number[],
    bias: Float32Array | null,
    relu: boolean,
    out: Float32Array,
    outShape: readonly number[],
  ): void;
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
}

/** The names above, for the test that the addon exports exactly these. */
export const nativeFunctionNames: readonly (keyof NativeAddon)[] = [
  'buildInfo',
  'getNumThreads',
  'setNumThreads',
  'binary',
  'matmul',
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
];

/** Codes of native BinaryOp (native/kernels/cpu/kernel_table.h), in the same order. */
export const BinaryOpCode = {
  add: 0,
  sub: 1,
  mul: 2,
  div: 3,
  maximum: 4,
  minimum: 5,
} as const;
export type BinaryOpName = keyof typeof BinaryOpCode;
