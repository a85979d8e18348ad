import { describe, expect, it } from 'vitest';
import * as tg from '../lib/index';
import { BinaryOpCode } from '../lib/backend/addon-types';
import { native } from '../lib/backend/load';
import { expectClose, randomArray, randomBroadcastPair, randomInts, refBinary, testRng } from './helpers/reference';

const floatOps: [string, (a: tg.TensorLike, b: tg.TensorLike) => tg.Tensor, (x: number, y: number) => number][] = [
  ['add', tg.add, (x, y) => x + y],
  ['sub', tg.sub, (x, y) => x - y],
  ['mul', tg.mul, (x, y) => x * y],
  ['div', tg.div, (x, y) => x / y],
  ['maximum', tg.maximum, (x, y) => Math.max(x, y)],
  ['minimum', tg.minimum, (x, y) => Math.min(x, y)],
];

describe('binary ops against a float64 reference', () => {
  for (const [name, op, ref] of floatOps) {
    it(`${name} on random broadcast shapes`, () => {
      const rng = testRng(name.length * 101);
      for (let trial = 0; trial < 60; trial++) {
        const [as, bs] = randomBroadcastPair(rng);
        const ta = new tg.Tensor(randomArray(rng, as.reduce((x, y) => x * y, 1)), as);
        const tb = new tg.Tensor(randomArray(rng, bs.reduce((x, y) => x * y, 1), 0.5, 2), bs);
        const want = refBinary(ref, ta.dataSync(), as, tb.dataSync(), bs);
        const got = op(ta, tb);
        expect(got.shape).toEqual(want.shape);
        expectClose(got.dataSync(), want.values, 1e-6, 1e-7);
      }
    });
  }

  it('large inputs that span many threads', () => {
    const rng = testRng(9);
    const a = new tg.Tensor(randomArray(rng, 300 * 1000), [300, 1000]);
    const b = new tg.Tensor(randomArray(rng, 1000), [1000]);
    const want = refBinary((x, y) => x * y, a.dataSync(), a.shape, b.dataSync(), b.shape);
    expectClose(tg.mul(a, b).dataSync(), want.values, 1e-6, 0);
    const c = new tg.Tensor(randomArray(rng, 300), [300, 1]);
    const want2 = refBinary((x, y) => x - y, a.dataSync(), a.shape, c.dataSync(), c.shape);
    expectClose(tg.sub(a, c).dataSync(), want2.values, 1e-6, 1e-7);
  });

  it('int32 add, sub, mul, maximum, minimum', () => {
    const rng = testRng(77);
    const ops: [(a: tg.TensorLike, b: tg.TensorLike) => tg.Tensor, (x: number, y: number) => number][] = [
      [tg.add, (x, y) => x + y],
      [tg.sub, (x, y) => x - y],
      [tg.mul, (x, y) => x * y],
      [tg.maximum, Math.max],
      [tg.minimum, Math.min],
    ];
    for (const [op, ref] of ops) {
      for (let trial = 0; trial < 20; trial++) {
        const [as, bs] = randomBroadcastPair(rng);
        const ta = new tg.Tensor(randomInts(rng, as.reduce((x, y) => x * y, 1)), as);
        const tb = new tg.Tensor(randomInts(rng, bs.reduce((x, y) => x * y, 1)), bs);
        const got = op(ta, tb);
        expect(got.dtype).toBe('int32');
        expect(Array.from(got.dataSync())).toEqual(Array.from(refBinary(ref, ta.dataSync(), as, tb.dataSync(), bs).values));
      }
    }
  });

  it('int32 arithmetic wraps around as PyTorch does', () => {
    const big = tg.tensor([2 ** 31 - 1], { dtype: 'int32' });
    expect(tg.add(big, 1).toArray()).toEqual([-(2 ** 31)]);
    expect(tg.mul(big, 2).toArray()).toEqual([-2]);
  });

  it('maximum and minimum propagate NaN', () => {
    const a = tg.tensor([NaN, 1, 2]);
    const b = tg.tensor([0, NaN, 1]);
    expect(tg.maximum(a, b).toArray()).toEqual([NaN, NaN, 2]);
    expect(tg.minimum(a, b).toArray()).toEqual([NaN, NaN, 1]);
  });
});

describe('types and scalars', () => {
  it('promotes int32 with float32 to float32', () => {
    const i = tg.tensor([1, 2], { dtype: 'int32' });
    const f = tg.tensor([0.5, 0.5]);
    expect(tg.add(i, f).dtype).toBe('float32');
    expect(tg.add(i, f).toArray()).toEqual([1.5, 2.5]);
    expect(tg.add(i, 1).dtype).toBe('int32');
    expect(tg.add(i, 0.5).dtype).toBe('float32');
    expect(tg.div(i, 2).toArray()).toEqual([0.5, 1]);
    expect(tg.div(i, 2).dtype).toBe('float32');
  });

  it('accepts numbers on either side, and methods chain', () => {
    const t = tg.tensor([1, 2, 3]);
    expect(tg.sub(10, t).toArray()).toEqual([9, 8, 7]);
    expect((t.mul(2).add(1).div(3).sub(1).toArray() as number[]).map((v) => Number(v.toFixed(5)))).toEqual([0, 0.66667, 1.33333]);
    expect(t.maximum(2).toArray()).toEqual([2, 2, 3]);
    expect(tg.add(2, 3).toArray()).toBe(5);
  });

  it('handles empty and 0-d tensors', () => {
    expect(tg.add(tg.zeros(0, 3), tg.ones(3)).shape).toEqual([0, 3]);
    expect(tg.add(tg.zeros(2, 0), tg.ones(1)).shape).toEqual([2, 0]);
    expect(tg.mul(tg.tensor(3), tg.tensor(4)).toArray()).toBe(12);
  });

  it('names both shapes when they do not broadcast', () => {
    expect(() => tg.add(tg.zeros(2, 3), tg.zeros(4))).toThrow(
      'add: shapes [2, 3] and [4] cannot be broadcast: the size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1',
    );
    expect(() => tg.mul(tg.zeros(2, 3), 'x' as never)).toThrow(TypeError);
  });
});

describe('binaryFlat: operands of one shape, without shapes', () => {
  const bits = (x: Float32Array | Int32Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));

  it('gives the bits of binary, for every op, float32 and int32, short and long runs', () => {
    const rng = testRng(31);
    for (const n of [0, 1, 7, 255, 256, 1281, 16385, 100003]) {
      const a = randomArray(rng, n, -3, 3);
      const b = randomArray(rng, n, 0.5, 2);
      const ai = randomInts(rng, n);
      const bi = randomInts(rng, n);
      for (const code of Object.values(BinaryOpCode)) {
        const flat = new Float32Array(n);
        const full = new Float32Array(n);
        native.binaryFlat(code, a, b, flat);
        native.binary(code, a, [n], b, [n], full, [n]);
        expect(bits(flat), `op ${code}, n ${n}`).toEqual(bits(full));
        if (code === BinaryOpCode.pow || code === BinaryOpCode.div) continue;
        const flatI = new Int32Array(n);
        const fullI = new Int32Array(n);
        native.binaryFlat(code, ai, bi, flatI);
        native.binary(code, ai, [n], bi, [n], fullI, [n]);
        expect(Array.from(flatI)).toEqual(Array.from(fullI));
      }
    }
  });

  it('runs in place, and tensors of one shape take it through the ops', () => {
    const rng = testRng(32);
    const a = randomArray(rng, 1000);
    const b = randomArray(rng, 1000);
    const want = refBinary((x, y) => x * y, a, [1000], b, [1000]).values;
    const inPlace = a.slice();
    native.binaryFlat(BinaryOpCode.mul, inPlace, b, inPlace);
    expectClose(inPlace, want, 1e-6, 0);
    const t = tg.mul(new tg.Tensor(a, [10, 100]), new tg.Tensor(b, [10, 100]));
    expect(t.shape).toEqual([10, 100]);
    expectClose(t.dataSync(), want, 1e-6, 0);
  });
});
