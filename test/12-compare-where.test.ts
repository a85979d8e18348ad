// Comparisons, where and binary pow with broadcasting, against float64 references.
import { afterAll, describe, expect, it } from 'vitest';
import { BinaryOpCode, CompareOpCode, type CompareOpName } from '../lib/backend/addon-types';
import { native } from '../lib/backend/load';
import {
  expectUlps,
  numelOf,
  randomArray,
  randomBroadcastPair,
  randomBroadcastTriple,
  randomInts,
  refBinary,
  refTernary,
  specialFloats,
  testRng,
} from './helpers/reference';

const initialThreads = native.getNumThreads();
afterAll(() => native.setNumThreads(initialThreads));

const compareRefs: Record<CompareOpName, (x: number, y: number) => boolean> = {
  eq: (x, y) => x === y,
  ne: (x, y) => x !== y,
  lt: (x, y) => x < y,
  le: (x, y) => x <= y,
  gt: (x, y) => x > y,
  ge: (x, y) => x >= y,
};

/** Float32 values with many ties and every special value, so each comparison meets all cases. */
function tiedFloats(rng: () => number, n: number): Float32Array {
  const pool = [...specialFloats, -3, 3];
  return Float32Array.from({ length: n }, () => pool[Math.floor(rng() * pool.length)]);
}

function compare(op: CompareOpName, a: Float32Array | Int32Array, aShape: number[], b: Float32Array | Int32Array, bShape: number[], outShape: number[]): Uint8Array {
  const out = new Uint8Array(numelOf(outShape));
  native.compare(CompareOpCode[op], a, aShape, b, bShape, out, outShape);
  return out;
}

describe('compare', () => {
  for (const op of Object.keys(CompareOpCode) as CompareOpName[]) {
    it(`${op} on float32 and int32 with broadcasting`, () => {
      const rng = testRng(op.charCodeAt(0) * 7 + op.length);
      for (let trial = 0; trial < 60; trial++) {
        const [as, bs] = randomBroadcastPair(rng);
        const ints = trial % 2 === 1;
        const a = ints ? randomInts(rng, numelOf(as), -3, 3) : tiedFloats(rng, numelOf(as));
        const b = ints ? randomInts(rng, numelOf(bs), -3, 3) : tiedFloats(rng, numelOf(bs));
        const want = refBinary((x, y) => Number(compareRefs[op](x, y)), a, as, b, bs);
        const got = compare(op, a, as, b, bs, want.shape);
        expect(Array.from(got)).toEqual(Array.from(want.values));
      }
    });
  }

  it('compares NaN as IEEE does: only ne is true', () => {
    const a = Float32Array.of(NaN, NaN, 1);
    const b = Float32Array.of(NaN, 1, NaN);
    const row = (op: CompareOpName) => Array.from(compare(op, a, [3], b, [3], [3]));
    expect(row('eq')).toEqual([0, 0, 0]);
    expect(row('ne')).toEqual([1, 1, 1]);
    for (const op of ['lt', 'le', 'gt', 'ge'] as const) expect(row(op)).toEqual([0, 0, 0]);
    expect(Array.from(compare('eq', Float32Array.of(0), [], Float32Array.of(-0), [], []))).toEqual([1]);
  });

  it('compares int32 exactly, at the ends of the range', () => {
    const a = Int32Array.of(2 ** 31 - 1, -(2 ** 31), 16777217);
    const b = Int32Array.of(2 ** 31 - 2, -(2 ** 31), 16777216);
    expect(Array.from(compare('gt', a, [3], b, [3], [3]))).toEqual([1, 0, 1]);
    expect(Array.from(compare('eq', a, [3], b, [3], [3]))).toEqual([0, 1, 0]);
  });

  it('large inputs over many tasks, same bits for 1 and 2 threads', () => {
    const rng = testRng(31);
    const a = randomArray(rng, 1000 * 1003, -1, 1);
    const b = randomArray(rng, 1003, -1, 1);
    const want = refBinary((x, y) => Number(x < y), a, [1000, 1003], b, [1003]);
    native.setNumThreads(1);
    const one = compare('lt', a, [1000, 1003], b, [1003], [1000, 1003]);
    native.setNumThreads(2);
    const two = compare('lt', a, [1000, 1003], b, [1003], [1000, 1003]);
    expect(Array.from(two)).toEqual(Array.from(want.values));
    expect(Buffer.from(one).equals(Buffer.from(two))).toBe(true);
  });
});

function where(cond: Uint8Array, cs: number[], a: Float32Array | Int32Array, as: number[], b: Float32Array | Int32Array, bs: number[], os: number[]) {
  const out = a instanceof Int32Array ? new Int32Array(numelOf(os)) : new Float32Array(numelOf(os));
  native.where(cond, cs, a, as, b, bs, out, os);
  return out;
}

describe('where', () => {
  it('selects with three-way broadcasting, float32 and int32', () => {
    const rng = testRng(41);
    for (let trial = 0; trial < 120; trial++) {
      const [cs, as, bs] = randomBroadcastTriple(rng);
      // Any non-zero byte is true.
      const cond = Uint8Array.from({ length: numelOf(cs) }, () => [0, 1, 2, 255][Math.floor(rng() * 4)]);
      const ints = trial % 2 === 1;
      const a = ints ? randomInts(rng, numelOf(as)) : randomArray(rng, numelOf(as));
      const b = ints ? randomInts(rng, numelOf(bs)) : randomArray(rng, numelOf(bs));
      const want = refTernary((c, x, y) => (c ? x : y), cond, cs, a, as, b, bs);
      const got = where(cond, cs, a, as, b, bs, want.shape);
      expect(got).toBeInstanceOf(ints ? Int32Array : Float32Array);
      expect(Array.from(got)).toEqual(Array.from(want.values));
    }
  });

  it('keeps NaN payloads and the sign of zero, and runs in place', () => {
    const a = Float32Array.of(NaN, -0, 1, 2);
    const b = Float32Array.of(5, 6, -0, 8);
    const got = where(Uint8Array.of(1, 1, 0, 0), [4], a, [4], b, [4], [4]);
    expect(got[0]).toBeNaN();
    expect(Object.is(got[1], -0) && Object.is(got[2], -0)).toBe(true);
    native.where(Uint8Array.of(0, 1, 0, 1), [4], a, [4], b, [4], a, [4]);
    expect(Array.from(a)).toEqual([5, -0, -0, 2]);
  });

  it('large inputs over many tasks, same bits for 1 and 2 threads', () => {
    const rng = testRng(43);
    const cond = Uint8Array.from({ length: 300 * 1 * 1009 }, () => (rng() < 0.5 ? 1 : 0));
    const a = randomArray(rng, 3 * 1009);
    const b = randomArray(rng, 300 * 3);
    const [cs, as, bs, os] = [[300, 1, 1009], [3, 1009], [300, 3, 1], [300, 3, 1009]];
    const want = refTernary((c, x, y) => (c ? x : y), cond, cs, a, as, b, bs);
    native.setNumThreads(1);
    const one = where(cond, cs, a, as, b, bs, os);
    native.setNumThreads(2);
    const two = where(cond, cs, a, as, b, bs, os);
    expect(Array.from(two)).toEqual(Array.from(want.values));
    expect(Buffer.from(one.buffer).equals(Buffer.from(two.buffer))).toBe(true);
  });
});

/** C's pow (Math.pow differs: it gives NaN for pow(1, NaN) and pow(-1, +-inf)). */
function cPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (Math.abs(x) === 1 && Math.abs(y) === Infinity) return 1;
  return Math.pow(x, y);
}

describe('binary pow', () => {
  it('matches C pow within 1 ulp, with broadcasting, special values included', () => {
    const rng = testRng(51);
    const pick = (n: number, lo: number, hi: number) =>
      Float32Array.from({ length: n }, (_, i) => (i % 4 === 0 ? specialFloats[Math.floor(rng() * specialFloats.length)] : lo + (hi - lo) * rng()));
    for (let trial = 0; trial < 80; trial++) {
      const [as, bs] = randomBroadcastPair(rng);
      const a = pick(numelOf(as), -4, 4);
      // Integer exponents half the time, so negative bases meet odd and even powers.
      const b = pick(numelOf(bs), -6, 6).map((v) => (trial % 2 ? Math.round(v) : v));
      const want = refBinary(cPow, a, as, b, bs);
      const out = new Float32Array(numelOf(want.shape));
      native.binary(BinaryOpCode.pow, a, as, b, bs, out, want.shape);
      expectUlps(out, want.values, 1);
    }
  });

  it('is float32 only', () => {
    expect(() => native.binary(BinaryOpCode.pow, Int32Array.of(2), [1], Int32Array.of(3), [1], new Int32Array(1), [1])).toThrow(
      /Float32Array operands only/,
    );
  });
});
