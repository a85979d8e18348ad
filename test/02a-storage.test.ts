// Tensor storage (lib/backend/storage.ts): every tensor the library allocates starts on a 64-byte
// boundary, small ones cut from a shared block without overlapping, and allocate() zeroes.
import { describe, expect, it } from 'vitest';
import { native } from '../lib/backend/load';
import { allocate, allocOutput, type CpuData, type DType } from '../lib/backend/storage';
import * as tg from '../lib/index';

const gap = (data: CpuData) => native.alignmentGap(data.buffer as ArrayBuffer, data.byteOffset);
const dtypes: DType[] = ['float32', 'int32', 'bool'];
const sizes = [0, 1, 3, 16, 511, 512, 513, 2047, 2048, 2049, 5000, 100_000];

describe('storage', () => {
  it('starts every allocation on a 64-byte boundary, with the length asked for', () => {
    for (const dtype of dtypes) {
      for (const n of sizes) {
        for (const data of [allocate(dtype, n), allocOutput(dtype, n)]) {
          expect(data.length).toBe(n);
          expect(gap(data)).toBe(0);
        }
      }
    }
  });

  it('zeroes what allocate gives, even where allocOutput left values before', () => {
    for (const n of sizes) {
      allocOutput('float32', n).fill(7);
      expect(allocate('float32', n).every((v) => v === 0)).toBe(true);
    }
  });

  it('hands out small slices that do not overlap', () => {
    const slices = Array.from({ length: 3000 }, (_, i) => allocate('float32', 1 + (i % 37)));
    slices.forEach((s, i) => s.fill(i));
    slices.forEach((s, i) => expect(s.every((v) => v === i)).toBe(true));
  });

  it('gives aligned data to tensors made by creation functions and ops', () => {
    const a = tg.rand(37, 129);
    const b = tg.ones(129, 5);
    for (const t of [a, b, tg.zeros(3), tg.arange(1000), a.matmul(b), a.add(1), a.sum(0), a.gt(0.5), a.argmax(1)]) {
      expect(gap(t._data)).toBe(0);
    }
  });
});
