/**
 * Reading IDX files (the format of MNIST and Fashion-MNIST), raw or gzipped, with every check a
 * damaged or wrong file fails: the magic number, the dimension count, and the size the header
 * promises. Errors name the file and what was wrong.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';

/** An IDX array of unsigned bytes: its sizes and its elements, row-major. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const UBYTE = 0x08;

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

/** Parses IDX bytes holding unsigned bytes in `ndim` dimensions; `name` is for the errors. */
export function parseIdx(bytes: Uint8Array, ndim: number, name: string): IdxArray {
  const expected = hex((UBYTE << 8) | ndim);
  if (bytes.length < 4) throw new Error(`${name}: truncated IDX file: ${bytes.length} bytes, too short for the magic number`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== UBYTE) {
    throw new Error(`${name}: wrong magic number ${hex(magic)} (expected ${expected}: an IDX file of unsigned bytes in ${ndim} dimensions)`);
  }
  if (bytes[3] !== ndim) {
    throw new Error(`${name}: wrong dimension count: the magic number ${hex(magic)} says ${bytes[3]} dimensions, expected ${ndim} (${expected})`);
  }
  const header = 4 + 4 * ndim;
  if (bytes.length < header) throw new Error(`${name}: truncated IDX file: ${bytes.length} bytes, shorter than its ${header}-byte header`);
  const dims: number[] = [];
  for (let d = 0; d < ndim; d++) dims.push(view.getUint32(4 + 4 * d));
  const count = dims.reduce((a, b) => a * b, 1);
  if (header + count !== bytes.length) {
    const what = header + count > bytes.length ? 'truncated' : 'too long';
    throw new Error(
      `${name}: ${what}: the header promises ${dims.join(' x ')} bytes of data (${header + count} bytes with the header), but the file holds ${bytes.length}`,
    );
  }
  return { dims, data: bytes.subarray(header) };
}

/** The bytes of a file, gunzipped when they start with gzip's magic bytes. */
export function readMaybeGzipped(file: string, name = file): Uint8Array {
  const bytes = fs.readFileSync(file);
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return zlib.gunzipSync(bytes);
  } catch (cause) {
    throw new Error(`${name}: cannot decompress this gzip file: ${(cause as Error).message}`, { cause });
  }
}

/** Reads an IDX file of unsigned bytes in `ndim` dimensions, raw or gzipped. */
export function readIdx(file: string, ndim: number, name = file): IdxArray {
  return parseIdx(readMaybeGzipped(file, name), ndim, name);
}
