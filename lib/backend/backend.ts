import type { BinaryOpName, NativeData } from './addon-types';

export type Device = 'cpu';

/**
 * What the tensor library needs from a device: storage and kernels. Storage on the CPU is a
 * JS-owned typed array that the addon reads and writes in place.
 */
export interface Backend {
  readonly device: Device;
  binary(
    op: BinaryOpName,
    a: NativeData,
    aShape: readonly number[],
    b: NativeData,
    bShape: readonly number[],
    out: NativeData,
    outShape: readonly number[],
  ): void;
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
  randomUniform(out: Float32Array, key: RandomKey, low: number, high: number): void;
  randomNormal(out: Float32Array, key: RandomKey, mean: number, std: number): void;
  randomInt(out: Int32Array, key: RandomKey, low: number, high: number): void;
  randomBernoulli(out: Float32Array, key: RandomKey, p: number): void;
}

/** A position in the counter-based random stream: 64-bit key and the first block's counter. */
export interface RandomKey {
  keyLo: number;
  keyHi: number;
  counter: number;
}
