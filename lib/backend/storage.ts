/**
 * Element types and their CPU storage: a JS-owned typed array per tensor, which the addon reads
 * and writes in place (zero-copy, garbage-collected).
 */

/** float32 is the default; int32 holds labels and indices; bool holds comparison results. */
export type DType = 'float32' | 'int32' | 'bool';

export type CpuData = Float32Array | Int32Array | Uint8Array;

export function allocate(dtype: DType, numel: number): CpuData {
  switch (dtype) {
    case 'float32':
      return new Float32Array(numel);
    case 'int32':
      return new Int32Array(numel);
    case 'bool':
      return new Uint8Array(numel);
  }
}

/** The dtype a typed array holds when nothing else says (a Uint8Array is read as bool). */
export function dtypeOfData(data: CpuData): DType {
  return data instanceof Float32Array ? 'float32' : data instanceof Int32Array ? 'int32' : 'bool';
}
