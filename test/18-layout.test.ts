// Strided copies, gather / scatter-add and index select / index add, against plain loops.
import { describe, expect, it } from 'vitest';
import { native } from '../lib/backend/load';
import { numelOf, randomArray, stridesOf, testRng } from './helpers/reference';

const rng = testRng(18);


function* indices(shape: number[]): Generator<number[]> {
  const n = numelOf(shape);
  for (let flat = 0; flat < n; flat++) {
    const idx: number[] = [];
    let rem = flat;
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = rem % shape[d];
      rem = Math.floor(rem / shape[d]);
    }
    yield idx;
  }
}

const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

function randomInt(n: number): number {
  return Math.floor(rng() * n);
}

describe('stridedCopy', () => {
  it('permutes, broadcasts, slices and flips like index arithmetic says', () => {
    for (let t = 0; t < 40; t++) {
      const rank = 1 + randomInt(4);
      const shape = Array.from({ length: rank }, () => 1 + randomInt(6));
      const perm = [...shape.keys()].sort(() => rng() - 0.5);
      const srcShape = perm.map((p) => shape[p]);
      const base = stridesOf(srcShape);
      const srcStrides = shape.map((_, d) => (rng() < 0.2 ? 0 : base[perm.indexOf(d)]));
      let srcOffset = 0;
      if (rng() < 0.3) {
        const d = randomInt(rank);
        srcStrides[d] = -Math.abs(srcStrides[d]);
        srcOffset = (shape[d] - 1) * Math.abs(srcStrides[d]);
      }
      const src = randomArray(rng, numelOf(srcShape));
      const dst = new Float32Array(numelOf(shape) + 3).fill(7);
      native.stridedCopy(src, srcOffset, srcStrides, dst, 3, stridesOf(shape), shape);
      expect(Array.from(dst.subarray(0, 3))).toEqual([7, 7, 7]);
      for (const idx of indices(shape)) expect(dst[3 + dot(idx, stridesOf(shape))]).toBe(src[srcOffset + dot(idx, srcStrides)]);
    }
  });

  it('copies int32 and bool buffers, and large ones across threads', () => {
    const a = Int32Array.from({ length: 12 }, (_, i) => i);
    const out = new Int32Array(12);
    native.stridedCopy(a, 0, [1, 3], out, 0, [4, 1], [3, 4]);
    expect(Array.from(out)).toEqual([0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11]);
    const b = Uint8Array.from([1, 0, 1]);
    const bo = new Uint8Array(6);
    native.stridedCopy(b, 0, [0, 1], bo, 0, [3, 1], [2, 3]);
    expect(Array.from(bo)).toEqual([1, 0, 1, 1, 0, 1]);
    const big = randomArray(rng, 700 * 900);
    const t = new Float32Array(big.length);
    native.stridedCopy(big, 0, [1, 900], t, 0, [700, 1], [900, 700]);
    for (let k = 0; k < 1000; k++) {
      const i = randomInt(700);
      const j = randomInt(900);
      expect(t[j * 700 + i]).toBe(big[i * 900 + j]);
    }
  });

  it('refuses views that leave their buffers', () => {
    const f = new Float32Array(6);
    expect(() => native.stridedCopy(f, 0, [3, 1], new Float32Array(6), 0, [3, 1], [3, 3])).toThrow(/src view reaches elements \[0, 8\]/);
    expect(() => native.stridedCopy(f, 0, [-1], new Float32Array(6), 0, [1], [2])).toThrow(RangeError);
    expect(() => native.stridedCopy(f, 0, [1], new Float32Array(2), 1, [1], [2])).toThrow(/dst view/);
    expect(() => native.stridedCopy(f, 0, [1, 1], f, 0, [1], [2])).toThrow(/must have 1 entries/);
    expect(() => native.stridedCopy(f, 0, [2 ** 60], f, 0, [1], [2])).toThrow(/integer/);
    expect(() => native.stridedCopy(f, 0, [1], new Int32Array(2), 0, [1], [2])).toThrow(/same kind/);
    expect(() => native.stridedCopy(f, 7, [1], f, 0, [1], [2])).toThrow(/srcOffset/);
    expect(() => (native.stridedCopy as (...a: unknown[]) => void)(f, 0, [1], new Float64Array(2), 0, [1], [2])).toThrow(TypeError);
  });
});

describe('gather and scatterAdd', () => {
  it('gather follows torch.gather and scatterAdd is its adjoint', () => {
    for (let t = 0; t < 20; t++) {
      const rank = 1 + randomInt(3);
      const shape = Array.from({ length: rank }, () => 1 + randomInt(5));
      const dim = randomInt(rank);
      const idxShape = shape.slice();
      idxShape[dim] = 1 + randomInt(6);
      const x = randomArray(rng, numelOf(shape));
      const index = Int32Array.from({ length: numelOf(idxShape) }, () => randomInt(shape[dim]));
      const out = new Float32Array(numelOf(idxShape));
      native.gather(x, shape, dim, index, idxShape, out);
      const xs = stridesOf(shape);
      const is = stridesOf(idxShape);
      const acc = new Float64Array(x.length);
      const src = randomArray(rng, out.length);
      for (const idx of indices(idxShape)) {
        const at = idx.slice();
        at[dim] = index[dot(idx, is)];
        expect(out[dot(idx, is)]).toBe(x[dot(at, xs)]);
        acc[dot(at, xs)] += src[dot(idx, is)];
      }
      const scattered = new Float32Array(x.length);
      native.scatterAdd(scattered, shape, dim, index, idxShape, src);
      for (let i = 0; i < acc.length; i++) expect(scattered[i]).toBeCloseTo(acc[i], 5);
    }
  });

  it('checks indices and shapes', () => {
    const x = new Float32Array(6);
    expect(() => native.gather(x, [2, 3], 1, Int32Array.from([0, 3]), [2, 1], new Float32Array(2))).toThrow(
      'index 3 is out of bounds for dimension 1 with size 3',
    );
    expect(() => native.gather(x, [2, 3], 1, Int32Array.from([-1, 0]), [2, 1], new Float32Array(2))).toThrow(/out of bounds/);
    expect(() => native.gather(x, [2, 3], 2, Int32Array.from([0, 0]), [2, 1], new Float32Array(2))).toThrow(/dim/);
    expect(() => native.gather(x, [2, 3], 1, Int32Array.from([0, 0, 0]), [3, 1], new Float32Array(3))).toThrow(/must match x/);
    expect(() => native.scatterAdd(x, [2, 3], 0, Int32Array.from([2]), [1, 3], new Float32Array(3))).toThrow(RangeError);
    expect(() => native.scatterAdd(x, [2, 3], 0, Int32Array.from([0, 1, 0]), [1, 3], new Float32Array(2))).toThrow(/src has 2 elements/);
    expect(() => native.gather(x, [], 0, new Int32Array(0), [], new Float32Array(0))).toThrow(/at least one dimension/);
  });
});

describe('indexSelect and indexAdd', () => {
  it('select rows (an embedding lookup) and add them back', () => {
    const table = randomArray(rng, 10 * 4);
    const ids = Int32Array.from([3, 3, 0, 9]);
    const out = new Float32Array(16);
    native.indexSelect(table, [10, 4], 0, ids, out);
    for (let j = 0; j < 4; j++) for (let c = 0; c < 4; c++) expect(out[j * 4 + c]).toBe(table[ids[j] * 4 + c]);
    const grad = new Float32Array(40);
    native.indexAdd(grad, [10, 4], 0, ids, Float32Array.from({ length: 16 }, () => 1));
    expect(grad[3 * 4]).toBe(2);
    expect(grad[9 * 4 + 3]).toBe(1);
    expect(grad[4]).toBe(0);
    const cols = new Int32Array(10 * 2);
    native.indexSelect(Int32Array.from({ length: 40 }, (_, i) => i), [10, 4], 1, Int32Array.from([3, 0]), cols);
    expect(Array.from(cols.subarray(0, 4))).toEqual([3, 0, 7, 4]);
  });

  it('checks indices and sizes', () => {
    expect(() => native.indexSelect(new Float32Array(4), [2, 2], 0, Int32Array.from([2]), new Float32Array(2))).toThrow(/out of bounds/);
    expect(() => native.indexSelect(new Float32Array(4), [2, 2], 0, Int32Array.from([1]), new Float32Array(3))).toThrow(/expected 2/);
    expect(() => native.indexSelect(new Float32Array(4), [2, 2], 0, Int32Array.from([1]), new Int32Array(2))).toThrow(/same kind/);
    expect(() => native.indexAdd(new Float32Array(4), [2, 2], 1, Int32Array.from([0, 5]), new Float32Array(4))).toThrow(/out of bounds/);
  });
});
