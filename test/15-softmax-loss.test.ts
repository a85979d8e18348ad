// softmax / log-softmax and their backward passes, cross entropy and NLL loss: against float64
// references, central finite differences, and fixtures recorded from PyTorch
// (scripts/fixtures/nn_fixtures.py -> test/fixtures/nn.json).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LossReductionCode, type LossReductionName } from '../lib/backend/addon-types';
import { native } from '../lib/backend/load';
import { expectClose, numelOf, randomArray, testRng } from './helpers/reference';
import { type LossOptions, numericGrad, refLoss, refSoftmax, sumOf } from './helpers/reference-reduce';

const initialThreads = native.getNumThreads();
afterAll(() => native.setNumThreads(initialThreads));

function softmax(x: Float32Array, shape: readonly number[], dim: number, log: boolean): Float32Array {
  const out = new Float32Array(x.length);
  (log ? native.logSoftmax : native.softmax)(x, shape, dim, out);
  return out;
}

function softmaxBackward(g: Float32Array, y: Float32Array, shape: readonly number[], dim: number, log: boolean): Float32Array {
  const out = new Float32Array(g.length);
  (log ? native.logSoftmaxBackward : native.softmaxBackward)(g, y, shape, dim, out);
  return out;
}

interface LossCase extends LossOptions {
  shape: number[];
  input: Float32Array;
  target: Int32Array;
}

/** The native loss and its gradient. */
function loss(c: LossCase, withGrad = true): { loss: Float32Array; grad: Float32Array | null } {
  const samples = c.target.length;
  const out = new Float32Array(c.reduction === 'none' ? samples : 1);
  const grad = withGrad ? new Float32Array(c.input.length) : null;
  const weight = c.weight ? Float32Array.from(c.weight) : null;
  const red = LossReductionCode[c.reduction];
  if (c.logProbs) native.nllLoss(c.input, c.shape, c.target, weight, c.ignoreIndex, red, out, grad);
  else native.crossEntropy(c.input, c.shape, c.target, weight, c.ignoreIndex, c.labelSmoothing, red, out, grad);
  return { loss: out, grad };
}

const bitsEqual = (a: ArrayBufferView, b: ArrayBufferView) =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('softmax and log-softmax', () => {
  // [300, 10] and [600, 2] along dim 1: short rows, handled a block of rows at a time, over several blocks.
  const shapes = [[7], [1], [3, 5], [5, 1, 4], [2, 3, 4, 5], [4, 300], [3, 13, 270], [2, 1000], [600, 2], [300, 10], [31, 17]];

  it('match the float64 reference along every dim', () => {
    const rng = testRng(101);
    for (const shape of shapes) {
      const x = randomArray(rng, numelOf(shape), -8, 8);
      for (let dim = 0; dim < shape.length; dim++) {
        expectClose(softmax(x, shape, dim, false), refSoftmax(x, shape, dim, false), 2e-6, 1e-8);
        expectClose(softmax(x, shape, dim, true), refSoftmax(x, shape, dim, true), 1e-6, 2e-6);
      }
    }
  });

  it('are stable for large inputs, and give NaN where PyTorch does', () => {
    const big = Float32Array.of(1000, 999, -1000);
    expectClose(softmax(big, [3], 0, false), refSoftmax(big, [3], 0, false), 1e-6, 1e-30);
    expectClose(softmax(big, [3], 0, true), refSoftmax(big, [3], 0, true), 1e-6, 1e-6);
    // Rows: [NaN, 1], [inf, 1], [-inf, -inf], [-inf, 0]
    const x = Float32Array.of(NaN, 1, Infinity, 1, -Infinity, -Infinity, -Infinity, 0);
    for (const log of [false, true]) {
      const rows = softmax(x, [4, 2], 1, log);
      const cols = softmax(Float32Array.of(NaN, Infinity, -Infinity, -Infinity, 1, 1, -Infinity, 0), [2, 4], 0, log);
      const want = [NaN, NaN, NaN, NaN, NaN, NaN, log ? -Infinity : 0, log ? 0 : 1];
      expect(Array.from(rows)).toEqual(want);
      expect(Array.from(cols)).toEqual([want[0], want[2], want[4], want[6], want[1], want[3], want[5], want[7]]);
    }
  });

  it('accept empty tensors', () => {
    for (const shape of [[0], [0, 5], [3, 0], [2, 0, 4], [2, 3, 0]]) {
      for (let dim = 0; dim < shape.length; dim++) {
        expect(softmax(new Float32Array(0), shape, dim, false).length).toBe(0);
        expect(softmaxBackward(new Float32Array(0), new Float32Array(0), shape, dim, true).length).toBe(0);
      }
    }
  });

  it('may write over their input', () => {
    const rng = testRng(102);
    for (const [shape, dim] of [[[9, 40], 1], [[9, 40], 0], [[300, 10], 1]] as const) {
      const x = randomArray(rng, numelOf(shape));
      for (const log of [false, true]) {
        const want = softmax(x, shape, dim, log);
        const inPlace = x.slice();
        (log ? native.logSoftmax : native.softmax)(inPlace, shape, dim, inPlace);
        expect(bitsEqual(inPlace, want)).toBe(true);
      }
    }
  });

  it('backward matches central differences of the float64 reference', () => {
    const rng = testRng(103);
    for (const shape of [[6], [3, 5], [4, 3, 2], [2, 20], [3, 2, 300]]) {
      const x = randomArray(rng, numelOf(shape), -3, 3);
      const g = randomArray(rng, x.length);
      for (let dim = 0; dim < shape.length; dim++) {
        for (const log of [false, true]) {
          const y = softmax(x, shape, dim, log);
          const got = softmaxBackward(g, y, shape, dim, log);
          // The third shape is large: differences along a few of its entries are enough.
          const f = (v: Float64Array) => refSoftmax(v, shape, dim, log).map((yi, i) => yi * g[i]);
          const want = x.length > 100 ? null : numericGrad(f, x);
          if (want) expectClose(got, want, 1e-4, 2e-6);
          else spotCheck(got, f, x, rng);
        }
      }
    }
  });

  it('backward may write over grad or y', () => {
    const rng = testRng(104);
    const shape = [5, 33];
    const x = randomArray(rng, numelOf(shape));
    const g = randomArray(rng, x.length);
    for (const log of [false, true]) {
      const y = softmax(x, shape, 1, log);
      const want = softmaxBackward(g, y, shape, 1, log);
      const g2 = g.slice();
      (log ? native.logSoftmaxBackward : native.softmaxBackward)(g2, y, shape, 1, g2);
      expect(bitsEqual(g2, want)).toBe(true);
      const y2 = y.slice();
      (log ? native.logSoftmaxBackward : native.softmaxBackward)(g, y2, shape, 1, y2);
      expect(bitsEqual(y2, want)).toBe(true);
    }
  });
});

/** Central differences at a few random entries of a large input. */
function spotCheck(got: Float32Array, f: (v: Float64Array) => ArrayLike<number>, x: Float32Array, rng: () => number): void {
  const xs = Float64Array.from(x);
  for (let k = 0; k < 12; k++) {
    const i = Math.floor(rng() * x.length);
    const h = 1e-6;
    xs[i] += h;
    const up = sumOf(f(xs));
    xs[i] -= 2 * h;
    const down = sumOf(f(xs));
    xs[i] += h;
    expectClose([got[i]], [(up - down) / (2 * h)], 1e-4, 2e-6);
  }
}

describe('cross entropy and NLL against PyTorch fixtures', () => {
  interface FixtureLoss {
    name: string;
    kind: 'cross_entropy' | 'nll_loss';
    shape: number[];
    input: number[];
    target: number[];
    weight: number[] | null;
    ignoreIndex: number;
    labelSmoothing: number;
    results: Record<LossReductionName, { loss: (number | 'NaN')[]; grad: number[] }>;
  }
  const fixtures = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'nn.json'), 'utf8')) as { losses: FixtureLoss[] };

  for (const f of fixtures.losses) {
    it(`${f.kind} ${f.name}`, () => {
      for (const reduction of Object.keys(f.results) as LossReductionName[]) {
        const c: LossCase = {
          shape: f.shape,
          input: Float32Array.from(f.input),
          target: Int32Array.from(f.target),
          weight: f.weight,
          ignoreIndex: f.ignoreIndex,
          labelSmoothing: f.labelSmoothing,
          reduction,
          logProbs: f.kind === 'nll_loss',
        };
        const got = loss(c);
        const want = f.results[reduction];
        expectClose(got.loss, want.loss.map(Number), 2e-6, 2e-6);
        expectClose(got.grad!, want.grad, 1e-5, 1e-6);
      }
    });
  }
});

describe('cross entropy and NLL against the float64 reference', () => {
  function randomCase(rng: () => number, shape: number[], o: Partial<LossOptions>): LossCase {
    const C = shape[1];
    const samples = shape[0] * numelOf(shape.slice(2));
    const ignoreIndex = o.ignoreIndex ?? -100;
    const target = Int32Array.from({ length: samples }, () => (rng() < 0.15 ? ignoreIndex : Math.floor(rng() * C)));
    const logProbs = o.logProbs ?? false;
    const x = randomArray(rng, numelOf(shape), -3, 3);
    const input = logProbs ? Float32Array.from(refSoftmax(x, shape, 1, true)) : x;
    return { shape, input, target, weight: null, ignoreIndex, labelSmoothing: 0, reduction: 'mean', logProbs, ...o };
  }

  const configs: [string, number[], Partial<LossOptions>][] = [
    ['plain', [7, 5], {}],
    ['weighted', [9, 4], { weight: [0.3, 1, 2.5, 0.7] }],
    ['smoothing', [8, 6], { labelSmoothing: 0.25 }],
    ['weighted smoothing, a class ignored', [8, 5], { weight: [1, 2, 0.5, 1.5, 0.25], labelSmoothing: 0.1, ignoreIndex: 3 }],
    ['spatial', [2, 3, 4, 5], { weight: [0.5, 1, 2], labelSmoothing: 0.2 }],
    ['spatial, wider than a tile', [2, 3, 300], { labelSmoothing: 0.05 }],
    ['one class', [4, 1], { labelSmoothing: 0.3 }],
    ['long rows', [3, 70], { weight: Array.from({ length: 70 }, (_, c) => 0.5 + (c % 3)), labelSmoothing: 0.1 }],
    ['many short rows', [250, 10], { weight: Array.from({ length: 10 }, (_, c) => 0.5 + (c % 3)), labelSmoothing: 0.1, ignoreIndex: 4 }],
    ['nll', [7, 5], { logProbs: true, weight: [1, 2, 3, 0.5, 0.1] }],
    ['nll spatial', [3, 4, 6], { logProbs: true }],
  ];

  for (const [name, shape, options] of configs) {
    it(name, () => {
      const rng = testRng(name.length * 7 + 1);
      for (const reduction of ['none', 'mean', 'sum'] as const) {
        const c = randomCase(rng, shape, { ...options, reduction });
        const got = loss(c);
        const ref = (v: ArrayLike<number>) => refLoss(v, c.shape, c.target, c);
        expectClose(got.loss, ref(c.input), 2e-6, 2e-6);
        expectClose(loss(c, false).loss, got.loss, 0, 0); // the same loss without the gradient
        if (c.input.length <= 400) expectClose(got.grad!, numericGrad(ref, c.input), 1e-4, 2e-6);
        else spotCheck(got.grad!, ref, c.input, rng);
      }
    });
  }

  it('a -inf logit is a class with probability 0; with smoothing the loss becomes inf, as in PyTorch', () => {
    const input = Float32Array.of(1, -Infinity, 2, 0.5, -Infinity, -1);
    const c: LossCase = { shape: [2, 3], input, target: Int32Array.of(0, 2), weight: null, ignoreIndex: -100, labelSmoothing: 0, reduction: 'none', logProbs: false };
    const plain = loss(c);
    expectClose(plain.loss, refLoss(input, c.shape, c.target, c), 1e-6, 1e-6);
    expect(Number.isFinite(plain.loss[0]) && Number.isFinite(plain.loss[1])).toBe(true);
    expect(plain.grad![1]).toBe(0);
    expect(plain.grad![4]).toBe(0);
    expect(Array.from(loss({ ...c, labelSmoothing: 0.1 }).loss)).toEqual([Infinity, Infinity]);
  });

  it('empty batches: mean is NaN, sum 0', () => {
    const base = { weight: null, ignoreIndex: -100, labelSmoothing: 0, logProbs: false, shape: [0, 3], input: new Float32Array(0), target: new Int32Array(0) };
    expect(Array.from(loss({ ...base, reduction: 'mean' }).loss)).toEqual([NaN]);
    expect(Array.from(loss({ ...base, reduction: 'sum' }).loss)).toEqual([0]);
    expect(loss({ ...base, reduction: 'none' }).loss.length).toBe(0);
    const spatial = { ...base, shape: [2, 3, 0], reduction: 'mean' as const };
    expect(Array.from(loss(spatial).loss)).toEqual([NaN]);
  });

  it('targets out of range are RangeErrors, and nothing is written', () => {
    const out = Float32Array.of(42);
    const grad = new Float32Array(6).fill(7);
    expect(() => native.crossEntropy(new Float32Array(6), [2, 3], Int32Array.of(0, 3), null, -100, 0, 1, out, grad)).toThrow(
      /target\[1\] = 3 is out of bounds for 3 classes/,
    );
    expect(() => native.nllLoss(new Float32Array(6), [2, 3], Int32Array.of(-1, 0), null, -100, 1, out, grad)).toThrow(RangeError);
    expect(out[0]).toBe(42);
    expect(grad.every((v) => v === 7)).toBe(true);
  });

  it('results are bitwise the same with 1 and 2 threads', () => {
    const rng = testRng(105);
    const cases = [
      randomCase(rng, [4000, 37], { reduction: 'mean', labelSmoothing: 0.1, weight: Array.from({ length: 37 }, (_, c) => 1 + (c % 4)) }),
      randomCase(rng, [4, 5, 70, 50], { reduction: 'sum' }),
      randomCase(rng, [3000, 20], { reduction: 'none' }),
      randomCase(rng, [5000, 10], { reduction: 'mean' }),
    ];
    const x = randomArray(rng, 300 * 700);
    const run = () => [
      ...cases.flatMap((c) => {
        const r = loss(c);
        return [r.loss, r.grad!];
      }),
      softmax(x, [300, 700], 1, false),
      softmax(x, [300, 700], 0, true),
      softmaxBackward(x, softmax(x, [300, 700], 1, false), [300, 700], 1, false),
    ];
    native.setNumThreads(1);
    const one = run();
    native.setNumThreads(2);
    const two = run();
    for (let i = 0; i < one.length; i++) expect(bitsEqual(one[i], two[i]), `result ${i}`).toBe(true);
  });
});
