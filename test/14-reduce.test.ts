// Reductions (native reduce, reduceVar, argReduce) against float64 references: every subset of
// dims up to rank 4, odd / prime / size-1 / empty dims, int32 and bool inputs, NaN and inf,
// large multi-threaded inputs, and bitwise equality across thread counts.
import { afterAll, describe, expect, it } from 'vitest';
import { ArgReduceOpCode, ReduceOpCode, type ReduceOpName } from '../lib/backend/addon-types';
import { native } from '../lib/backend/load';
import { expectClose, numelOf, randomArray, randomInts, testRng } from './helpers/reference';
import { refArg, refReduce, refVar, reductionGroups } from './helpers/reference-reduce';

const initialThreads = native.getNumThreads();
afterAll(() => native.setNumThreads(initialThreads));

const keptCount = (shape: readonly number[], dims: readonly number[]) => numelOf(shape.filter((_, d) => !dims.includes(d)));

function reduceF32(op: ReduceOpName, x: Float32Array, shape: readonly number[], dims: readonly number[]): Float32Array {
  const out = new Float32Array(keptCount(shape, dims));
  native.reduce(ReduceOpCode[op], x, shape, dims, out);
  return out;
}

function reduceI32(op: ReduceOpName, x: Int32Array | Uint8Array, shape: readonly number[], dims: readonly number[]): Int32Array {
  const out = new Int32Array(keptCount(shape, dims));
  native.reduce(ReduceOpCode[op], x, shape, dims, out);
  return out;
}

function varF32(x: Float32Array, shape: readonly number[], dims: readonly number[], correction: number): Float32Array {
  const out = new Float32Array(keptCount(shape, dims));
  native.reduceVar(x, shape, dims, correction, out);
  return out;
}

function argF32(op: 'max' | 'min', x: Float32Array, shape: readonly number[], dim: number) {
  const n = keptCount(shape, [dim]);
  const values = new Float32Array(n);
  const indices = new Int32Array(n);
  native.argReduce(ArgReduceOpCode[op], x, shape, dim, values, indices);
  return { values, indices };
}

/** Every subset of [0, rank). */
function subsets(rank: number): number[][] {
  return Array.from({ length: 1 << rank }, (_, m) => [...Array(rank).keys()].filter((d) => (m >> d) & 1));
}

function randomShape(rng: () => number, rank: number, sizes = [1, 2, 3, 5, 7, 13]): number[] {
  for (;;) {
    const s = Array.from({ length: rank }, () => sizes[Math.floor(rng() * sizes.length)]);
    if (numelOf(s) <= 3000) return s;
  }
}

const bitsEqual = (a: ArrayBufferView, b: ArrayBufferView) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('reduce over every subset of dims', () => {
  const ops: ReduceOpName[] = ['sum', 'mean', 'prod', 'max', 'min'];
  for (const op of ops) {
    it(`${op}, float32, ranks 0 to 4`, () => {
      const rng = testRng(op.length * 31 + 7);
      for (let rank = 0; rank <= 4; rank++) {
        for (let trial = 0; trial < 4; trial++) {
          // The last trial of each rank has an empty dim somewhere.
          const shape = randomShape(rng, rank);
          if (trial === 3 && rank > 0) shape[Math.floor(rng() * rank)] = 0;
          // Products stay finite with factors near 1.
          const x = op === 'prod' ? randomArray(rng, numelOf(shape), 0.8, 1.2) : randomArray(rng, numelOf(shape));
          for (const dims of subsets(rank)) {
            const want = refReduce(op, x, shape, dims);
            const emptyDim = dims.some((d) => shape[d] === 0);
            if ((op === 'max' || op === 'min') && emptyDim) {
              expect(() => reduceF32(op, x, shape, dims)).toThrow(RangeError);
              continue;
            }
            const got = reduceF32(op, x, shape, dims);
            if (op === 'max' || op === 'min') expect(Array.from(got)).toEqual(Array.from(want.values, Math.fround));
            else expectClose(got, want.values, 1e-6, 1e-6);
          }
        }
      }
    });
  }

  it('dims may come in any order', () => {
    const rng = testRng(3);
    const x = randomArray(rng, 3 * 5 * 7);
    expect(reduceF32('sum', x, [3, 5, 7], [2, 0])).toEqual(reduceF32('sum', x, [3, 5, 7], [0, 2]));
  });

  it('dims [] reduces nothing', () => {
    const x = Float32Array.of(1, -2, 3.5, NaN);
    expect(Array.from(reduceF32('sum', x, [2, 2], []))).toEqual([1, -2, 3.5, NaN]);
    expect(Array.from(reduceF32('max', x, [2, 2], []))).toEqual([1, -2, 3.5, NaN]);
    expect(Array.from(varF32(x, [2, 2], [], 0))).toEqual([0, 0, 0, NaN]);
  });

  it('a shape with size-1 dims between reduced ones, and reductions that run along columns', () => {
    const rng = testRng(11);
    for (const shape of [[7, 1, 5, 1, 3], [1, 13, 1, 2, 1], [4, 300, 3], [300, 4], [2, 3, 257, 2]]) {
      const x = randomArray(rng, numelOf(shape));
      for (const dims of subsets(shape.length)) {
        expectClose(reduceF32('sum', x, shape, dims), refReduce('sum', x, shape, dims).values, 1e-6, 1e-6);
        expect(Array.from(reduceF32('min', x, shape, dims))).toEqual(Array.from(refReduce('min', x, shape, dims).values, Math.fround));
      }
    }
  });
});

describe('integer and bool reductions', () => {
  it('int32 sum, prod, max and min give int32, and sums wrap as int32 does', () => {
    const rng = testRng(21);
    for (let rank = 1; rank <= 3; rank++) {
      const shape = randomShape(rng, rank);
      const x = randomInts(rng, numelOf(shape), -1000, 1000);
      for (const dims of subsets(rank)) {
        for (const op of ['sum', 'max', 'min'] as const) {
          expect(Array.from(reduceI32(op, x, shape, dims))).toEqual(Array.from(refReduce(op, x, shape, dims).values));
        }
        // Products of factors in [-1, 3] overflow; the exact product wrapped to int32 (BigInt).
        const f = x.map((v) => (v % 3) + 1);
        const { groups } = reductionGroups(shape, dims);
        const wrapped = groups.map((g) => Number(BigInt.asIntN(32, g.reduce((a, i) => a * BigInt(f[i]), 1n))));
        expect(Array.from(reduceI32('prod', f, shape, dims))).toEqual(wrapped);
      }
    }
    const big = Int32Array.of(2 ** 31 - 1, 1, 5);
    expect(Array.from(reduceI32('sum', big, [3], [0]))).toEqual([-(2 ** 31) + 5]);
  });

  it('bool (Uint8Array) sums count the true values, as int32', () => {
    const rng = testRng(22);
    const shape = [5, 7, 3];
    const x = Uint8Array.from({ length: numelOf(shape) }, () => (rng() < 0.4 ? 1 : 0));
    for (const dims of subsets(3)) {
      expect(Array.from(reduceI32('sum', x, shape, dims))).toEqual(Array.from(refReduce('sum', x, shape, dims).values));
    }
    const many = new Uint8Array(100_003).fill(1);
    expect(Array.from(reduceI32('sum', many, [100_003], [0]))).toEqual([100_003]);
  });
});

describe('var', () => {
  it('matches the reference for corrections 0, 1, 2 and -1 over every subset of dims', () => {
    const rng = testRng(41);
    for (let rank = 1; rank <= 4; rank++) {
      const shape = randomShape(rng, rank);
      const x = randomArray(rng, numelOf(shape), 3, 5);
      for (const dims of subsets(rank)) {
        for (const c of [0, 1, 2, -1]) {
          const want = refVar(x, shape, dims, c).values;
          expectClose(varF32(x, shape, dims, c), want, 1e-5, 1e-6);
        }
      }
    }
  });

  it('divides by max(0, n - correction): inf for a spread, NaN for none, as PyTorch', () => {
    expect(Array.from(varF32(Float32Array.of(1, 2), [2], [0], 2))).toEqual([Infinity]);
    expect(Array.from(varF32(Float32Array.of(1, 1), [2], [0], 3))).toEqual([NaN]);
    expect(Array.from(varF32(Float32Array.of(1, 2), [2], [0], 1))).toEqual([0.5]);
    expectClose(varF32(Float32Array.of(1, 2), [2], [0], -1), [0.5 / 3], 1e-6, 0);
  });

  it('is accurate where a one-pass formula would cancel', () => {
    const x = Float32Array.from({ length: 10_001 }, (_, i) => 1e4 + (i % 2 ? 0.25 : -0.25));
    expectClose(varF32(x, [x.length], [0], 0), refVar(x, [x.length], [0], 0).values, 1e-5, 0);
  });
});

describe('argReduce', () => {
  it('argmax and argmin with values along each dim, ties going to the first', () => {
    const rng = testRng(51);
    for (let rank = 1; rank <= 4; rank++) {
      for (let trial = 0; trial < 3; trial++) {
        const shape = randomShape(rng, rank);
        // Few distinct values, so ties are common.
        const x = Float32Array.from({ length: numelOf(shape) }, () => Math.floor(rng() * 4));
        for (let dim = 0; dim < rank; dim++) {
          for (const op of ['max', 'min'] as const) {
            const want = refArg(op, x, shape, dim);
            const got = argF32(op, x, shape, dim);
            expect(Array.from(got.indices)).toEqual(Array.from(want.indices));
            expect(Array.from(got.values)).toEqual(Array.from(want.values));
          }
        }
      }
    }
  });

  it('long rows (the vectorised path) with the best value in every position', () => {
    for (const n of [15, 16, 17, 31, 33, 100, 1000]) {
      for (let at = 0; at < n; at += Math.max(1, Math.floor(n / 9))) {
        const x = new Float32Array(2 * n).fill(1);
        x[at] = 5;
        x[n + at] = -5;
        x[n + ((at + 7) % n)] = -5; // a later tie in row 1 unless it wraps before `at`
        const got = argF32('max', x, [2, n], 1);
        expect(got.indices[0]).toBe(at);
        expect(argF32('min', x, [2, n], 1).indices[1]).toBe(Math.min(at, (at + 7) % n));
      }
    }
  });

  it('NaN wins, the first NaN; an all -inf row gives its first index', () => {
    const x = Float32Array.of(1, NaN, 3, NaN, 2, 5, 5, 1, -Infinity, -Infinity, -Infinity, -Infinity);
    const max = argF32('max', x, [3, 4], 1);
    expect(Array.from(max.indices)).toEqual([1, 1, 0]);
    expect(Array.from(max.values)).toEqual([NaN, 5, -Infinity]);
    const min = argF32('min', x, [3, 4], 1);
    expect(Array.from(min.indices)).toEqual([1, 3, 0]);
    // torch.tensor([2., nan, nan]).argmin() == 1
    expect(argF32('min', Float32Array.of(2, NaN, NaN), [3], 0).indices[0]).toBe(1);
    // NaN far into a long row, along columns too
    const long = new Float32Array(1000).fill(0);
    long[700] = NaN;
    long[900] = NaN;
    expect(argF32('max', long, [1000], 0).indices[0]).toBe(700);
    expect(Array.from(argF32('max', long, [100, 10], 0).indices)).toEqual([70, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('indices only (values null), int32 input, and a size-1 dim', () => {
    const x = Int32Array.of(3, 9, 9, -4, 7, -4);
    const idx = new Int32Array(2);
    native.argReduce(ArgReduceOpCode.max, x, [2, 3], 1, null, idx);
    expect(Array.from(idx)).toEqual([1, 1]);
    const vals = new Int32Array(3);
    native.argReduce(ArgReduceOpCode.min, x, [2, 3], 0, vals, new Int32Array(3));
    expect(Array.from(vals)).toEqual([-4, 7, -4]);
    const one = new Int32Array(4);
    native.argReduce(ArgReduceOpCode.max, Float32Array.of(1, 2, 3, 4), [4, 1], 1, null, one);
    expect(Array.from(one)).toEqual([0, 0, 0, 0]);
  });
});

describe('NaN, infinities and empty tensors', () => {
  it('max and min propagate NaN; sums carry inf and NaN', () => {
    const x = Float32Array.of(1, NaN, 3, 4, Infinity, -Infinity, 2, 1, 0);
    expect(Array.from(reduceF32('max', x, [3, 3], [1]))).toEqual([NaN, Infinity, 2]);
    expect(Array.from(reduceF32('min', x, [3, 3], [1]))).toEqual([NaN, -Infinity, 0]);
    expect(Array.from(reduceF32('max', x, [3, 3], [0]))).toEqual([4, NaN, 3]);
    expect(Array.from(reduceF32('sum', x, [3, 3], [1]))).toEqual([NaN, NaN, 3]);
    expect(Array.from(reduceF32('sum', Float32Array.of(1, Infinity), [2], [0]))).toEqual([Infinity]);
    expect(Array.from(reduceF32('max', Float32Array.of(-Infinity, -Infinity), [2], [0]))).toEqual([-Infinity]);
  });

  it('empty reductions give the identity: sum 0, prod 1, mean and var NaN', () => {
    const x = new Float32Array(0);
    expect(Array.from(reduceF32('sum', x, [0, 3], [0]))).toEqual([0, 0, 0]);
    expect(Array.from(reduceF32('prod', x, [0, 3], [0]))).toEqual([1, 1, 1]);
    expect(Array.from(reduceF32('mean', x, [0, 3], [0]))).toEqual([NaN, NaN, NaN]);
    expect(Array.from(varF32(x, [0, 3], [0], 1))).toEqual([NaN, NaN, NaN]);
    expect(Array.from(reduceF32('sum', x, [3, 0], [1]))).toEqual([0, 0, 0]);
    expect(Array.from(reduceI32('sum', new Int32Array(0), [2, 0], [1]))).toEqual([0, 0]);
    expect(reduceF32('sum', x, [0, 3], [1]).length).toBe(0);
    expect(reduceF32('max', x, [0, 3], [1]).length).toBe(0); // an empty output of a non-empty dim
    expect(Array.from(reduceF32('sum', x, [0], [0]))).toEqual([0]);
  });

  it('max over an empty dim is a RangeError in PyTorch words', () => {
    expect(() => reduceF32('max', new Float32Array(0), [0, 3], [0])).toThrow(
      new RangeError('tensorgrad native reduce: max(): Expected reduction dim 0 to have non-zero size'),
    );
    expect(() => reduceF32('min', new Float32Array(0), [0, 0], [1])).toThrow(/min\(\): Expected reduction dim 1 to have non-zero size/);
    expect(() => argF32('max', new Float32Array(0), [3, 0], 1)).toThrow(/max\(\): Expected reduction dim 1/);
    expect(() => native.argReduce(0, new Float32Array(0), [0], 0, null, new Int32Array(1))).toThrow(/argmax\(\): Expected reduction dim 0/);
    expect(argF32('max', new Float32Array(0), [0, 3], 1).indices.length).toBe(0);
  });
});

describe('large inputs', () => {
  it('a sum of 10^6 floats is accurate to 1e-6 relative', () => {
    const rng = testRng(61);
    const x = randomArray(rng, 1_000_000, 0, 1);
    let exact = 0;
    for (const v of x) exact += v;
    expectClose(reduceF32('sum', x, [x.length], [0]), [exact], 1e-6, 0);
    expectClose(reduceF32('mean', x, [1000, 1000], [0, 1]), [exact / 1e6], 1e-6, 0);
    const signed = randomArray(rng, 1_000_000);
    let s = 0;
    let abs = 0;
    for (const v of signed) {
      s += v;
      abs += Math.abs(v);
    }
    // Signed values cancel: measure the error against the sum of magnitudes.
    expectClose(reduceF32('sum', signed, [signed.length], [0]), [s], 0, 1e-9 * abs);
    // A constant that float32 accumulation would get badly wrong.
    expectClose(reduceF32('sum', new Float32Array(1_000_000).fill(0.1), [1_000_000], [0]), [1e5 * Math.fround(0.1) * 10], 1e-7, 0);
  });

  it('multi-threaded shapes match the reference', () => {
    const rng = testRng(62);
    const shape = [70, 1100, 3];
    const x = randomArray(rng, numelOf(shape));
    for (const dims of [[0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]]) {
      expectClose(reduceF32('sum', x, shape, dims), refReduce('sum', x, shape, dims).values, 1e-6, 1e-5);
      expect(Array.from(reduceF32('max', x, shape, dims))).toEqual(Array.from(refReduce('max', x, shape, dims).values, Math.fround));
    }
    const flat = randomArray(rng, 600_000);
    flat[432_101] = 7;
    flat[500_000] = 7;
    expect(argF32('max', flat, [flat.length], 0).indices[0]).toBe(432_101);
    expect(Array.from(argF32('max', flat, [200_000, 3], 0).indices)).toEqual(Array.from(refArg('max', flat, [200_000, 3], 0).indices));
  });

  it('results are bitwise the same with 1 and 2 threads', () => {
    const rng = testRng(63);
    const x = randomArray(rng, 1_000_000);
    const cases: [readonly number[], number[]][] = [
      [[1_000_000], [0]],
      [[1000, 1000], [0]],
      [[1000, 1000], [1]],
      [[1000, 1000], [0, 1]],
      [[10, 100_000], [1]],
      [[100_000, 10], [0]],
      [[50, 200, 100], [0, 2]],
    ];
    const run = () =>
      cases.flatMap(([shape, dims]) => [
        reduceF32('sum', x, shape, dims),
        reduceF32('mean', x, shape, dims),
        varF32(x, shape, dims, 1),
        reduceF32('max', x, shape, dims),
        ...(dims.length === 1 ? [argF32('min', x, shape, dims[0]).indices] : []),
      ]);
    native.setNumThreads(1);
    const one = run();
    native.setNumThreads(2);
    const two = run();
    for (let i = 0; i < one.length; i++) expect(bitsEqual(one[i], two[i]), `result ${i}`).toBe(true);
  });
});

describe('sumToShape: a broadcast gradient summed back to an operand', () => {
  it('is a sum over the missing leading dims and the size-1 dims', () => {
    const rng = testRng(71);
    const out = [4, 3, 5];
    for (const operand of [[3, 1], [5], [1, 1, 5], [4, 1, 1], [4, 3, 5], []]) {
      const g = randomArray(rng, numelOf(out));
      const lead = out.length - operand.length;
      const dims = out.map((_, d) => d).filter((d) => d < lead || operand[d - lead] === 1);
      const got = reduceF32('sum', g, out, dims);
      expect(got.length).toBe(numelOf(operand));
      // The reference: for each operand element, the sum of the gradient entries that broadcast from it.
      const want = new Float64Array(numelOf(operand));
      for (let i = 0; i < g.length; i++) {
        const idx = [Math.floor(i / 15), Math.floor(i / 5) % 3, i % 5].slice(lead);
        let o = 0;
        for (let d = 0; d < operand.length; d++) o = o * operand[d] + (operand[d] === 1 ? 0 : idx[d]);
        want[o] += g[i];
      }
      expectClose(got, want, 1e-6, 1e-6);
    }
  });
});
