import { describe, expect, it } from 'vitest';
import { native } from '../lib/backend/load';
import * as tg from '../lib/index';
import { expectClose, numelOf, randomArray, refMatmul, testRng } from './helpers/reference';

const rng = testRng(2024);
const rand = (shape: number[]) => new tg.Tensor(randomArray(rng, numelOf(shape)), shape);

/** A transposed copy of the last two dims. */
function transposeLast(data: Float32Array, shape: number[]): Float32Array {
  const [r, c] = shape.slice(-2);
  const out = new Float32Array(data.length);
  for (let b = 0; b < data.length / (r * c || 1); b++)
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[b * r * c + j * r + i] = data[b * r * c + i * c + j];
  return out;
}

/** The bytes of native.gemm's output on 1 and on 2 threads. */
function gemmOnThreads(a: Float32Array, ta: boolean, b: Float32Array, tb: boolean, m: number, n: number, k: number): Buffer[] {
  return [1, 2].map((threads) => {
    const out = new Float32Array(m * n);
    const before = native.getNumThreads();
    try {
      native.setNumThreads(threads);
      native.gemm(a, ta, b, tb, out, m, n, k);
    } finally {
      native.setNumThreads(before);
    }
    return Buffer.from(out.buffer);
  });
}

/** native.gemm of m x k by k x n against the float64 reference, with each operand stored plain
 * and transposed, and the same bytes on 1 and on 2 threads. */
function expectEveryTransposition(m: number, n: number, k: number): void {
  const flags = [[false, false], [true, false], [false, true], [true, true]] as const;
  for (const [ta, tb] of flags) {
    const a = randomArray(rng, m * k);
    const b = randomArray(rng, k * n);
    const aOp = ta ? transposeLast(a, [m, k]) : a;
    const bOp = tb ? transposeLast(b, [k, n]) : b;
    const [one, two] = gemmOnThreads(aOp, ta, bOp, tb, m, n, k);
    expect(one.equals(two)).toBe(true);
    expectClose(new Float32Array(one.buffer, one.byteOffset, m * n), refMatmul(a, [m, k], b, [k, n]).values, 1e-5, 1e-4);
  }
}

describe('matmul against a float64 reference', () => {
  it('2-D products of odd, prime, unit and empty sizes', () => {
    const sizes = [0, 1, 2, 3, 7, 16, 31, 64, 97];
    for (let t = 0; t < 50; t++) {
      const [m, k, n] = [0, 0, 0].map(() => sizes[Math.floor(rng() * sizes.length)]);
      const a = rand([m, k]);
      const b = rand([k, n]);
      const want = refMatmul(a.dataSync(), a.shape, b.dataSync(), b.shape);
      const got = tg.matmul(a, b);
      expect(got.shape).toEqual([m, n]);
      expectClose(got.dataSync(), want.values, 1e-5, 1e-5);
    }
  });

  it('large products that run on several threads', () => {
    const a = rand([257, 300]);
    const b = rand([300, 129]);
    expectClose(a.matmul(b).dataSync(), refMatmul(a.dataSync(), a.shape, b.dataSync(), b.shape).values, 1e-5, 1e-4);
  });

  it('few rows times a wide B (all of A packed, B a run of slivers at a time), every transposition', () => {
    expectEveryTransposition(40, 700, 500);
  });

  it('more rows than columns (each thread packs its own B for its own rows), every transposition', () => {
    expectEveryTransposition(800, 300, 40);
  });

  it('batched products broadcast their batch dims', () => {
    const cases: [number[], number[]][] = [
      [[4, 3, 5], [4, 5, 2]],
      [[2, 1, 3, 5], [4, 5, 6]],
      [[3, 5], [2, 5, 4]],
      [[2, 3, 3, 5], [1, 5, 2]],
      [[0, 3, 5], [5, 2]],
    ];
    for (const [as, bs] of cases) {
      const a = rand(as);
      const b = rand(bs);
      const want = refMatmul(a.dataSync(), as, b.dataSync(), bs);
      const got = tg.matmul(a, b);
      expect(got.shape).toEqual(want.shape);
      expectClose(got.dataSync(), want.values, 1e-5, 1e-5);
    }
  });

  it('1-D operands follow torch.matmul', () => {
    const v = tg.tensor([1, 2, 3]);
    const m = tg.tensor([[1, 0], [0, 1], [1, 1]]);
    expect(tg.matmul(v, v).shape).toEqual([]);
    expect(tg.matmul(v, v).item()).toBe(14);
    expect(tg.matmul(v, m).toArray()).toEqual([4, 5]);
    expect(tg.matmul(m.matmul(tg.tensor([[1, 2, 3], [4, 5, 6]])), v).toArray()).toEqual([14, 32, 46]);
    const batch = rand([2, 4, 3]);
    expect(tg.matmul(batch, v).shape).toEqual([2, 4]);
    expect(tg.matmul(tg.tensor([1, 1, 1, 1]), batch).shape).toEqual([2, 3]);
  });

  it('transposed operands in the native kernel match copies', () => {
    for (const [ta, tb] of [[true, false], [false, true], [true, true]] as const) {
      const [m, k, n] = [23, 17, 11];
      const a = randomArray(rng, m * k);
      const b = randomArray(rng, k * n);
      const aStored = ta ? transposeLast(a, [m, k]) : a;
      const bStored = tb ? transposeLast(b, [k, n]) : b;
      const out = new Float32Array(m * n);
      native.matmul(aStored, ta ? [k, m] : [m, k], ta, bStored, tb ? [n, k] : [k, n], tb, out, [m, n]);
      expectClose(out, refMatmul(a, [m, k], b, [k, n]).values, 1e-5, 1e-5);
    }
  });

  it('sizes around the micro-tile and cache-block edges, every transposition', () => {
    // MR is 6 or 12, NR 8, 16 or 32, KC 256 and MC 120 or 144 by kernel set: straddle them all.
    const edges = [1, 5, 6, 7, 13, 31, 33, 145, 257, 401];
    const flags = [[false, false], [true, false], [false, true], [true, true]] as const;
    for (let t = 0; t < 24; t++) {
      const [m, n, k] = [0, 0, 0].map(() => edges[Math.floor(rng() * edges.length)]);
      const [ta, tb] = flags[t % 4];
      const a = randomArray(rng, m * k);
      const b = randomArray(rng, k * n);
      const out = new Float32Array(m * n).fill(NaN); // beta is 0: C must be written, never read
      native.matmul(ta ? transposeLast(a, [m, k]) : a, ta ? [k, m] : [m, k], ta, tb ? transposeLast(b, [k, n]) : b, tb ? [n, k] : [k, n], tb, out, [m, n]);
      expectClose(out, refMatmul(a, [m, k], b, [k, n]).values, 1e-5, 1e-4);
    }
  });

  it('row counts that end on each size of micro-kernel, every transposition', () => {
    // The micro-kernel comes in every even row count up to 12 (AVX-512) or 6 (AVX2, portable):
    // these counts leave every one of them as the last sliver, full or not.
    const flags = [[false, false], [true, false], [false, true], [true, true]] as const;
    for (const m of [2, 3, 4, 6, 8, 10, 11, 18, 20, 22, 28, 40]) {
      for (const [ta, tb] of flags) {
        const [n, k] = [70, 25];
        const a = randomArray(rng, m * k);
        const b = randomArray(rng, k * n);
        const out = new Float32Array(m * n).fill(NaN);
        native.matmul(ta ? transposeLast(a, [m, k]) : a, ta ? [k, m] : [m, k], ta, tb ? transposeLast(b, [k, n]) : b, tb ? [n, k] : [k, n], tb, out, [m, n]);
        expectClose(out, refMatmul(a, [m, k], b, [k, n]).values, 1e-5, 1e-4);
      }
    }
  });

  it('x @ W^T with few rows or columns, on both sides of the dot-product depth, with a part vector at the end of K', () => {
    // Few rows: dot products. Few columns: dot products from K = 256, C^T packed below. At most 24
    // a side: dot products from K = 64, packed below. Between them the shapes pick every dot tile
    // of each kernel set (AVX-512: 4x4 5x5 2x8 1x8; AVX2 and portable: 3x3 5x2 2x5 1x6).
    const shapes = [[100, 10, 60], [200, 16, 255], [200, 16, 256], [100, 10, 301], [9, 10, 517], [3, 40, 7], [2, 24, 33], [1, 50, 70],
      [20, 23, 70], [24, 17, 63], [19, 22, 64]];
    for (const [m, n, k] of shapes) {
      const a = randomArray(rng, m * k);
      const b = randomArray(rng, k * n);
      const out = new Float32Array(m * n).fill(NaN);
      native.matmul(a, [m, k], false, transposeLast(b, [k, n]), [n, k], true, out, [m, n]);
      expectClose(out, refMatmul(a, [m, k], b, [k, n]).values, 1e-5, 1e-4);
    }
  });

  it('A @ B with at most 16 columns: one vector per row of C, in blocks of rows that end on 4 and 1', () => {
    // The narrow kernel takes these untransposed (more than half a vector of columns, or at most 16
    // rows); the others stay on the packed path. 29 and 35 rows leave every block size last.
    const shapes = [[29, 11, 37], [29, 16, 45], [35, 5, 400], [13, 3, 20], [29, 8, 33], [35, 10, 700], [1, 16, 9]];
    for (const [m, n, k] of shapes) {
      const a = randomArray(rng, m * k);
      const b = randomArray(rng, k * n);
      const out = new Float32Array(m * n).fill(NaN);
      native.gemm(a, false, b, false, out, m, n, k);
      expectClose(out, refMatmul(a, [m, k], b, [k, n]).values, 1e-5, 1e-4);
    }
    const a = randomArray(rng, 3001 * 40);
    const b = randomArray(rng, 40 * 10);
    const [oneThread, twoThreads] = gemmOnThreads(a, false, b, false, 3001, 10, 40);
    expect(oneThread.equals(twoThreads)).toBe(true);
  });

  it('A^T @ B with at most 16 columns (a weight gradient): the narrow kernel reads A down its columns', () => {
    // A whole vector of columns (16, 8 or 4 by kernel set) takes the narrow kernel with A
    // transposed, and under AVX-512 so does a part vector up to K = 16; the others go as C^T.
    const shapes = [[29, 16, 45], [29, 8, 33], [29, 4, 9], [29, 11, 13], [35, 10, 16], [29, 11, 37], [1, 16, 9]];
    for (const [m, n, k] of shapes) {
      const at = randomArray(rng, k * m);
      const b = randomArray(rng, k * n);
      const out = new Float32Array(m * n).fill(NaN);
      native.gemm(at, true, b, false, out, m, n, k);
      expectClose(out, refMatmul(transposeLast(at, [k, m]), [m, k], b, [k, n]).values, 1e-5, 1e-4);
    }
    const at = randomArray(rng, 16 * 9001);
    const b = randomArray(rng, 16 * 11);
    const [oneThread, twoThreads] = gemmOnThreads(at, true, b, false, 9001, 11, 16);
    expect(oneThread.equals(twoThreads)).toBe(true);
  });

  it('products with one to four rows or with a vector in them, under every transpose', () => {
    // One to four rows with B untransposed go by direct rows (runs of whole and part vectors); a
    // one-column B or one-row A stored as one run of floats is read as its transpose, and
    // C = A^T b as C^T = b^T A.
    // With two columns, A B goes as dot products on a copy of B^T, and A^T B with a few columns
    // as direct rows of C^T. A B at most 6 deep goes by direct rows whatever its rows.
    const shapes = [[1, 70, 40], [2, 45, 33], [3, 200, 20], [4, 130, 17], [37, 1, 53], [1, 37, 20], [1, 1, 30], [300, 1, 7],
      [37, 2, 53], [300, 3, 50], [45, 4, 30], [37, 70, 5], [9, 200, 2]];
    const flags = [[false, false], [true, false], [false, true], [true, true]] as const;
    for (const [m, n, k] of shapes) {
      for (const [ta, tb] of flags) {
        const a = randomArray(rng, m * k);
        const b = randomArray(rng, k * n);
        const out = new Float32Array(m * n).fill(NaN);
        native.gemm(ta ? transposeLast(a, [m, k]) : a, ta, tb ? transposeLast(b, [k, n]) : b, tb, out, m, n, k);
        expectClose(out, refMatmul(a, [m, k], b, [k, n]).values, 1e-5, 1e-4);
      }
    }
    const a = randomArray(rng, 4 * 100);
    const b = randomArray(rng, 100 * 3001);
    const [oneThread, twoThreads] = gemmOnThreads(a, false, b, false, 4, 3001, 100);
    expect(oneThread.equals(twoThreads)).toBe(true);
  });

  it('gemm, the 2-D product without shapes, gives the bits of matmul', () => {
    const edges = [0, 1, 5, 7, 10, 13, 33, 145, 300];
    const flags = [[false, false], [true, false], [false, true], [true, true]] as const;
    for (let t = 0; t < 32; t++) {
      const [m, n, k] = [0, 0, 0].map(() => edges[Math.floor(rng() * edges.length)]);
      const [ta, tb] = flags[t % 4];
      const a = randomArray(rng, m * k);
      const b = randomArray(rng, k * n);
      const viaShapes = new Float32Array(m * n);
      const viaSizes = new Float32Array(m * n).fill(NaN);
      native.matmul(a, ta ? [k, m] : [m, k], ta, b, tb ? [n, k] : [k, n], tb, viaShapes, [m, n]);
      native.gemm(a, ta, b, tb, viaSizes, m, n, k);
      expect(Buffer.from(viaSizes.buffer).equals(Buffer.from(viaShapes.buffer)), `${m}x${n}x${k} ${ta} ${tb}`).toBe(true);
    }
    expect(() => tg.mm(tg.zeros(2, 3), tg.zeros(4, 2))).toThrow('mm: mat1 and mat2 shapes cannot be multiplied (2x3 and 4x2)');
  });

  it('many small products in a batch', () => {
    const a = rand([64, 5, 7]);
    const b = rand([64, 7, 3]);
    expectClose(tg.matmul(a, b).dataSync(), refMatmul(a.dataSync(), a.shape, b.dataSync(), b.shape).values, 1e-5, 1e-5);
  });

  it('errors name both shapes, in PyTorch words for matrices', () => {
    expect(() => tg.matmul(tg.zeros(64, 784), tg.zeros(100, 10))).toThrow('mat1 and mat2 shapes cannot be multiplied (64x784 and 100x10)');
    expect(() => tg.matmul(tg.zeros(2, 3, 4), tg.zeros(2, 5, 6))).toThrow('shapes [2, 3, 4] and [2, 5, 6] cannot be multiplied');
    expect(() => tg.matmul(tg.zeros(3, 2, 2), tg.zeros(4, 2, 2))).toThrow(/\[3\] and \[4\] cannot be broadcast/);
    expect(() => tg.matmul(tg.tensor(1), tg.zeros(2))).toThrow('both arguments to matmul need to be at least 1D, but they are 0D and 1D');
    expect(() => tg.matmul(tg.zeros([2, 2], { dtype: 'int32' }), tg.zeros(2, 2))).toThrow(/float32/);
  });
});

describe('linear: x @ w^T + bias with a fused ReLU', () => {
  function refLinear(x: Float32Array, xShape: number[], w: Float32Array, n: number, bias: Float32Array | null, relu: boolean): Float64Array {
    const k = xShape[xShape.length - 1];
    const m = numelOf(xShape.slice(0, -1));
    const out = new Float64Array(m * n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = bias ? bias[j] : 0;
        for (let p = 0; p < k; p++) s += x[i * k + p] * w[j * k + p];
        out[i * n + j] = relu ? Math.max(0, s) : s;
      }
    return out;
  }

  it('matches a float64 reference with and without bias and ReLU', () => {
    // Paths: packed (128, 20 and 40 rows), dot products (up to 16 rows), transposed C (fewer
    // columns than a micro-tile), and the empty cases.
    const cases: [number[], number][] = [[[128, 784], 512], [[20, 25], 70], [[40, 50], 64], [[10, 784], 512], [[3, 4, 33], 7], [[1, 600], 10], [[200, 64], 10], [[5], 3], [[0, 8], 4], [[4, 0], 3]];
    for (const [xShape, n] of cases) {
      const k = xShape[xShape.length - 1];
      const x = randomArray(rng, numelOf(xShape));
      const w = randomArray(rng, n * k);
      for (const [withBias, relu] of [[false, false], [true, false], [false, true], [true, true]]) {
        const bias = withBias ? randomArray(rng, n) : null;
        const outShape = [...xShape.slice(0, -1), n];
        const out = new Float32Array(numelOf(outShape));
        native.linear(x, w, bias, relu, out, numelOf(xShape.slice(0, -1)), n, k);
        expectClose(out, refLinear(x, xShape, w, n, bias, relu), 1e-5, 1e-4);
      }
    }
  });

  it('keeps NaN through the ReLU, as torch.relu does', () => {
    const out = new Float32Array(4);
    native.linear(new Float32Array([NaN, 1, 1, 1]), new Float32Array([1, 0, 0, -1]), null, true, out, 2, 2, 2);
    expect(Number.isNaN(out[0])).toBe(true);
    expect([out[2], out[3]]).toEqual([1, 0]);
  });
});
