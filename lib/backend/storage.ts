import { Buffer } from 'node:buffer';
import { native } from './load';

/**
 * Element types and their CPU storage: a JS-owned typed array per tensor, which the addon reads
 * and writes in place (zero-copy, garbage-collected).
 */

/** float32 is the default; int32 holds labels and indices; bool holds comparison results. */
export type DType = 'float32' | 'int32' | 'bool';

export type CpuData = Float32Array | Int32Array | Uint8Array;

// Tensor data starts on a 64-byte boundary: a vector load that straddles two cache lines costs
// two, and V8 and malloc align to 16 bytes only (10x784x512 x @ W^T: 133 GFLOP/s at 16 bytes
// past a boundary, 182 on one). The addon says where a buffer's bytes lie (alignmentGap).
const ALIGN = 64;

// Small tensors are cut from shared 64 KiB blocks, as Node's Buffer pool does: V8 keeps a small
// typed array inside the JS heap, and the first time native code asks for its address it has to
// move it out, which costs more than a small op. A fresh ArrayBuffer is zeroed, and each slice is
// handed out once, so a small tensor starts zeroed too.
const POOL_BYTES = 64 * 1024;
const POOLED_MAX_BYTES = 2048;
let pool = new ArrayBuffer(POOL_BYTES);
let poolUsed = native.alignmentGap(pool, 0);

function pooledBytes(bytes: number): [ArrayBuffer, number] {
  const size = (bytes + ALIGN - 1) & ~(ALIGN - 1);
  if (poolUsed + size > POOL_BYTES) {
    pool = new ArrayBuffer(POOL_BYTES);
    poolUsed = native.alignmentGap(pool, 0);
  }
  const at = poolUsed;
  poolUsed += size;
  return [pool, at];
}

// A buffer of its own with room to start the data on a boundary; zeroed, or (Node's
// Buffer.allocUnsafe) not: zeroing a fresh megabyte costs as much as a small op.
function alignedBytes(bytes: number, zeroed: boolean): [ArrayBuffer, number] {
  if (zeroed) {
    const buffer = new ArrayBuffer(bytes + ALIGN);
    return [buffer, native.alignmentGap(buffer, 0)];
  }
  const { buffer, byteOffset } = Buffer.allocUnsafe(bytes + ALIGN);
  return [buffer as ArrayBuffer, byteOffset + native.alignmentGap(buffer as ArrayBuffer, byteOffset)];
}

function view(dtype: DType, [buffer, offset]: [ArrayBuffer, number], numel: number): CpuData {
  return dtype === 'float32'
    ? new Float32Array(buffer, offset, numel)
    : dtype === 'int32'
      ? new Int32Array(buffer, offset, numel)
      : new Uint8Array(buffer, offset, numel);
}

// Storage for numel elements on a 64-byte boundary: small ones from the zeroed pool, large ones
// in a buffer of their own, zeroed or not.
function storage(dtype: DType, numel: number, zeroed: boolean): CpuData {
  const bytes = numel * (dtype === 'bool' ? 1 : 4);
  return view(dtype, bytes <= POOLED_MAX_BYTES ? pooledBytes(bytes) : alignedBytes(bytes, zeroed), numel);
}

/** Zeroed storage for numel elements, starting on a 64-byte boundary. */
export function allocate(dtype: DType, numel: number): CpuData {
  return storage(dtype, numel, true);
}

/**
 * Storage that a kernel is about to overwrite entirely, starting on a 64-byte boundary. A large
 * one is not zeroed; small ones come from the zeroed pool, like allocate's.
 */
export function allocOutput(dtype: DType, numel: number): CpuData {
  return storage(dtype, numel, false);
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
