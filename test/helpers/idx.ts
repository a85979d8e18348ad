/** Small synthetic IDX files (the MNIST format) for the dataset and download tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

/** The bytes of an IDX file of unsigned bytes; `magic` overrides the computed magic number. */
export function idxBytes(dims: number[], data: ArrayLike<number>, magic = 0x0800 | dims.length): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(Array.from(data))]);
}

/** n images of h x w with pixel (i, j) of image k = (k * 31 + i * w + j) % 256, and labels k % 10. */
export function syntheticSplit(n: number, h = 28, w = 28): { images: Buffer; labels: Buffer; pixels: Uint8Array; targets: number[] } {
  const pixels = new Uint8Array(n * h * w);
  for (let k = 0; k < n; k++) for (let p = 0; p < h * w; p++) pixels[k * h * w + p] = (k * 31 + p) % 256;
  const targets = Array.from({ length: n }, (_, k) => k % 10);
  return { images: idxBytes([n, h, w], pixels), labels: idxBytes([n], targets), pixels, targets };
}

/** A fresh temporary folder. */
export function tempDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `tg-${tag}-`));
}

/** Writes a split's two files into dir ('train' or 't10k'), gzipped when asked. */
export function writeSplit(dir: string, prefix: 'train' | 't10k', images: Buffer, labels: Buffer, gzip = false): void {
  const write = (name: string, bytes: Buffer) =>
    fs.writeFileSync(path.join(dir, gzip ? `${name}.gz` : name), gzip ? zlib.gzipSync(bytes) : bytes);
  write(`${prefix}-images-idx3-ubyte`, images);
  write(`${prefix}-labels-idx1-ubyte`, labels);
}
