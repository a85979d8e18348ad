/**
 * Tensor storage as the little-endian bytes safetensors holds. On a little-endian machine (every
 * platform Node ships prebuilt binaries for) these are views, with no copy; on a big-endian one the
 * 4-byte elements are swapped in a copy.
 */
import os from 'node:os';
import type { CpuData } from '../backend/storage';

const littleEndianHost = os.endianness() === 'LE';

/** The bytes of data, little-endian: a view where the host is little-endian, else a swapped copy. */
export function littleEndianBytes(data: CpuData): Uint8Array {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (littleEndianHost || data.BYTES_PER_ELEMENT === 1) return bytes;
  return Buffer.from(bytes).swap32();
}

/** The bytes of out to read little-endian data into (a view of its storage). */
export function storageBytes(out: CpuData): Buffer {
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

/** Puts little-endian 4-byte elements just read into out's storage in host order. */
export function toHostOrder(out: CpuData): void {
  if (!littleEndianHost && out.BYTES_PER_ELEMENT === 4) storageBytes(out).swap32();
}
