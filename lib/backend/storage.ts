import { Buffer } from 'node:buffer';

/**
 * Element types and their CPU storage: a JS-owned typed array per tensor, which the addon reads
 * and writes in place (zero-copy, garbage-collected).
 */

/** float32 is the default; int32 holds labels and indices; bool holds comparison results. */
export type DType = 'float32' | 'int32' | 'bool';

export type CpuData = Float32Array | Int32Array | Uint8Array;

// Small tensors are cut from shared 64 KiB blocks, as Node's Buffer pool does: V8 keeps a small
// typed array inside the JS heap, and the first time native code asks for its address it has to
// move it out, which costs more than a small op. A fresh ArrayBuffer is zeroed, and each slice is
// handed out once, so a small tensor starts zeroed too.
const POOL_BYTES = 64 * 1024;
const POOLED_MAX_BYTES = 2048;
let pool = new ArrayBuffer(POOL_BYTES);
let poolUsed = 0;

function pooledBytes(bytes: number): [ArrayBuffer, number] {
  const size = (bytes + 15) & ~15; // 16-byte aligned slices
  if (poolUsed + size > POOL_BYTES) {
    pool = new ArrayBuffer(POOL_BYTES);
    poolUsed = 0;
  }
  const at = poolUsed;
  poolUsed += size;
  return [pool, at];
}

export function allocate(dtype: DType, numel: number): CpuData {
  const itemBytes = dtype === 'bool' ? 1 : 4;
  if (numel * itemBytes > POOLED_MAX_BYTES || numel === 0) {
    return dtype === 'float32' ? new Float32Array(numel) : dtype === 'int32' ? new Int32Array(numel) : new Uint8Array(numel);
  }
  const [buffer, offset] = pooledBytes(numel * itemBytes);
  return dtype === 'float32' ? new Float32Array(buffer, offset, numel) : dtype === 'int32' ? new Int32Array(buffer, offset, numel) : new Uint8Array(buffer, offset, numel);
}

/**
 * Storage that a kernel is about to overwrite entirely. A large one is not zeroed (Node's
 * Buffer.allocUnsafe): zeroing a fresh megabyte costs as much as a small op, and the kernel writes
 * every element anyway. Small ones come from the zeroed pool, like allocate's.
 */
export function allocOutput(dtype: DType, numel: number): CpuData {
  const itemBytes = dtype === 'bool' ? 1 : 4;
  if (numel * itemBytes <= POOLED_MAX_BYTES) return allocate(dtype, numel);
  const { buffer, byteOffset } = Buffer.allocUnsafe(numel * itemBytes);
  return dtype === 'float32' ? new Float32Array(buffer, byteOffset, numel) : dtype === 'int32' ? new Int32Array(buffer, byteOffset, numel) : new Uint8Array(buffer, byteOffset, numel);
}

/** An output float32 buffer (see allocOutput): every element must be written. */
export function allocFloat32(numel: number): Float32Array {
  return allocOutput('float32', numel) as Float32Array;
}

/** An output int32 buffer (see allocOutput): every element must be written. */
export function allocInt32(numel: number): Int32Array {
  return allocOutput('int32', numel) as Int32Array;
}

/** The dtype a typed array holds when nothing else says (a Uint8Array is read as bool). */
export function dtypeOfData(data: CpuData): DType {
  return data instanceof Float32Array ? 'float32' : data instanceof Int32Array ? 'int32' : 'bool';
}
