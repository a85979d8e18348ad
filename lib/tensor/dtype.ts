import type { NativeData } from '../backend/addon-types';

/** float32 is the default; int32 holds labels and indices. */
export type DType = 'float32' | 'int32';

export type DataOf<D extends DType> = D extends 'int32' ? Int32Array : Float32Array;

export function allocate(dtype: DType, numel: number): NativeData {
  return dtype === 'int32' ? new Int32Array(numel) : new Float32Array(numel);
}

export function dtypeOf(data: NativeData): DType {
  return data instanceof Int32Array ? 'int32' : 'float32';
}

export function checkDType(dtype: unknown, fn: string): DType {
  if (dtype === 'float32' || dtype === 'int32') return dtype;
  throw new TypeError(`${fn}: dtype must be 'float32' or 'int32', got ${String(dtype)}`);
}

/** The dtype of a result from two operands, as torch.result_type ranks them. */
export function promoteTypes(a: DType, b: DType): DType {
  return a === 'float32' || b === 'float32' ? 'float32' : 'int32';
}
