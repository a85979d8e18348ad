/**
 * The safetensors element types: byte sizes, what tensorgrad makes of each when reading, and the
 * conversions. tensorgrad writes F32, I32 and BOOL; it reads those as they are, the other integer
 * types into int32 when every value fits (an error names the first that does not), and F16, BF16
 * (exactly) and F64 (rounded to nearest) into float32.
 */
import type { CpuData, DType } from '../backend/storage';

/** The dtypes tensorgrad reads. */
export type SafetensorsDType = 'BOOL' | 'U8' | 'I8' | 'I16' | 'U16' | 'F16' | 'BF16' | 'I32' | 'U32' | 'F32' | 'F64' | 'I64' | 'U64';

/** Writes the elements of a little-endian block into out; returns the index of a value that does not fit, or -1. */
type Decode = (bytes: DataView, out: CpuData) => number;

interface DTypeInfo {
  /** Bytes per element. */
  size: number;
  /** The tensorgrad dtype it becomes. */
  target: DType;
  /** The conversion; absent where the bytes are copied as they are (F32, I32, BOOL). */
  decode?: Decode;
}

const INT32_MAX = 0x7fffffff;

/** Each element from a per-element reader (lossless integer widenings). */
const each =
  (read: (v: DataView, i: number) => number): Decode =>
  (v, out) => {
    for (let i = 0; i < out.length; i++) out[i] = read(v, i);
    return -1;
  };

/** 64-bit integers: the low word, once the high word shows the value fits in int32. */
const int64: Decode = (v, out) => {
  for (let i = 0; i < out.length; i++) {
    const lo = v.getInt32(8 * i, true);
    if (v.getInt32(8 * i + 4, true) !== lo >> 31) return i;
    out[i] = lo;
  }
  return -1;
};

const uint64: Decode = (v, out) => {
  for (let i = 0; i < out.length; i++) {
    const lo = v.getInt32(8 * i, true);
    if (v.getInt32(8 * i + 4, true) !== 0 || lo < 0) return i;
    out[i] = lo;
  }
  return -1;
};

const uint32: Decode = (v, out) => {
  for (let i = 0; i < out.length; i++) {
    const x = v.getUint32(4 * i, true);
    if (x > INT32_MAX) return i;
    out[i] = x;
  }
  return -1;
};

/** IEEE half precision to a number (exact: every half is a float32). */
export function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** bfloat16 is the top half of a float32: shift its bits into place. */
const bfloat16: Decode = (v, out) => {
  const bits = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < out.length; i++) bits[i] = v.getUint16(2 * i, true) << 16;
  return -1;
};

export const DTYPES: Readonly<Record<SafetensorsDType, DTypeInfo>> = {
  BOOL: { size: 1, target: 'bool' },
  U8: { size: 1, target: 'int32', decode: each((v, i) => v.getUint8(i)) },
  I8: { size: 1, target: 'int32', decode: each((v, i) => v.getInt8(i)) },
  I16: { size: 2, target: 'int32', decode: each((v, i) => v.getInt16(2 * i, true)) },
  U16: { size: 2, target: 'int32', decode: each((v, i) => v.getUint16(2 * i, true)) },
  F16: { size: 2, target: 'float32', decode: each((v, i) => halfToNumber(v.getUint16(2 * i, true))) },
  BF16: { size: 2, target: 'float32', decode: bfloat16 },
  I32: { size: 4, target: 'int32' },
  U32: { size: 4, target: 'int32', decode: uint32 },
  F32: { size: 4, target: 'float32' },
  // A Float32Array rounds what it is given to the nearest float32 (overflow gives +-Infinity).
  F64: { size: 8, target: 'float32', decode: each((v, i) => v.getFloat64(8 * i, true)) },
  I64: { size: 8, target: 'int32', decode: int64 },
  U64: { size: 8, target: 'int32', decode: uint64 },
};

/** Element types of the format that tensorgrad has no conversion for (named in errors). */
const UNSUPPORTED = ['F8_E5M2', 'F8_E4M3', 'F8_E8M0', 'F4', 'F6_E2M3', 'F6_E3M2', 'C64'];

export function isReadable(dtype: unknown): dtype is SafetensorsDType {
  return typeof dtype === 'string' && Object.prototype.hasOwnProperty.call(DTYPES, dtype);
}

/** Why dtype cannot be read, in words for an error message. */
export function unreadableReason(dtype: unknown): string {
  const known = Object.keys(DTYPES).join(', ');
  if (typeof dtype === 'string' && UNSUPPORTED.includes(dtype)) return `dtype ${dtype} is not supported by tensorgrad (it reads ${known})`;
  return `unknown dtype ${JSON.stringify(dtype)} (expected one of ${known})`;
}

/**
 * The safetensors name of each tensorgrad dtype and its place in the reference writer's order:
 * the Rust crate sorts tensors by its Dtype enum (meant as increasing alignment) descending, then
 * by name, so F32 data comes first, then I32, then BOOL.
 */
export const WRITTEN: Readonly<Record<DType, { name: SafetensorsDType; order: number }>> = {
  float32: { name: 'F32', order: 11 },
  int32: { name: 'I32', order: 9 },
  bool: { name: 'BOOL', order: 0 },
};

/** The element at index i of a block of dtype, exactly, for an error message. */
export function elementText(dtype: SafetensorsDType, bytes: DataView, i: number): string {
  if (dtype === 'I64') return bytes.getBigInt64(8 * i, true).toString();
  if (dtype === 'U64') return bytes.getBigUint64(8 * i, true).toString();
  if (dtype === 'U32') return String(bytes.getUint32(4 * i, true));
  return '?';
}
