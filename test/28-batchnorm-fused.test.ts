// The fused batch-norm kernels against the composite formula the op used before (mean, biased
// variance, (x - mean) / sqrt(var + eps) * weight + bias), written here as plain float64 loops:
// forward, running statistics, gradients (analytic and finite differences), thread invariance,
// and the exports called wrongly.
import { afterEach, describe, expect, it } from 'vitest';
import * as tg from '../lib/index';
import { native } from '../lib/backend/load';
import type { NativeAddon } from '../lib/backend/addon-types';
import { gradcheck } from './helpers/gradcheck';
import { expectClose, numelOf, randomArray, testRng } from './helpers/reference';
import { throws } from './helpers/throws';

interface Ref {
  y: Float64Array;
  mean: Float64Array;
  variance: Float64Array;
}

/** [N, C, S] of a shape [N, C, ...]. */
function ncs(shape: readonly number[]): [number, number, number] {
  return [shape[0], shape[1], numelOf(shape.slice(2))];
}

/** The forward pass in float64; mean and variance (biased) are the batch's when training. */
function refForward(x: Float32Array, shape: number[], w: Float32Array | null, b: Float32Array | null, eps: number, stats: { mean: Float32Array; variance: Float32Array } | null): Ref {
  const [N, C, S] = ncs(shape);
  const mean = new Float64Array(C);
  const variance = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    if (stats) {
      mean[c] = stats.mean[c];
      variance[c] = stats.variance[c];
      continue;
    }
    let s = 0;
    for (let n = 0; n < N; n++) for (let i = 0; i < S; i++) s += x[(n * C + c) * S + i];
    mean[c] = s / (N * S);
    let q = 0;
    for (let n = 0; n < N; n++) for (let i = 0; i < S; i++) q += (x[(n * C + c) * S + i] - mean[c]) ** 2;
    variance[c] = q / (N * S);
  }
  const y = new Float64Array(x.length);
  for (let n = 0; n < N; n++) {
    for (let c = 0; c < C; c++) {
      const is = 1 / Math.sqrt(variance[c] + eps);
      for (let i = 0; i < S; i++) {
        const k = (n * C + c) * S + i;
        y[k] = (x[k] - mean[c]) * is * (w ? w[c] : 1) + (b ? b[c] : 0);
      }
    }
  }
  return { y, mean, variance };
}

/** Gradients of sum(dy * y) by the chain rule through mean and variance (training) or not. */
function refBackward(dy: Float32Array, x: Float32Array, shape: number[], w: Float32Array | null, r: Ref, eps: number, training: boolean) {
  const [N, C, S] = ncs(shape);
  const M = N * S;
  const dx = new Float64Array(x.length);
  const dw = new Float64Array(C);
  const db = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    const is = 1 / Math.sqrt(r.variance[c] + eps);
    let sdy = 0;
    let sdyx = 0;
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < S; i++) {
        const k = (n * C + c) * S + i;
        sdy += dy[k];
        sdyx += dy[k] * (x[k] - r.mean[c]) * is;
      }
    }
    dw[c] = sdyx;
    db[c] = sdy;
    const wc = w ? w[c] : 1;
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < S; i++) {
        const k = (n * C + c) * S + i;
        const xhat = (x[k] - r.mean[c]) * is;
        dx[k] = training ? wc * is * (dy[k] - sdy / M - (xhat * sdyx) / M) : wc * is * dy[k];
      }
    }
  }
  return { dx, dw, db };
}

const shapes: number[][] = [[1, 1], [1, 3], [5, 1], [4, 3], [9, 7], [2, 3, 5], [1, 1, 1, 1], [7, 2, 1, 1], [3, 4, 6, 7], [2, 5, 3, 3], [1, 3, 11, 13], [33, 2, 1, 9]];

const t = (data: Float32Array, shape: number[]) => new tg.Tensor(data, shape);

describe('batchNorm (fused) against the composite formula', () => {
  for (const shape of shapes) {
    for (const offset of [0, 1000]) {
      it(`${JSON.stringify(shape)}${offset ? ' + 1000' : ''}: training and eval forward, running statistics, gradients`, () => {
        const rng = testRng(shape.reduce((a, b) => a * 31 + b, 7) + offset);
        const n = numelOf(shape);
        const C = shape[1];
        const xd = randomArray(rng, n).map((v) => v + offset);
        const w = randomArray(rng, C, 0.5, 2);
        const b = randomArray(rng, C);
        const dy = randomArray(rng, n);
        for (const affine of [true, false]) {
          const wt = affine ? t(w.slice(), [C]).requiresGrad_() : null;
          const bt = affine ? t(b.slice(), [C]).requiresGrad_() : null;
          const x = t(xd.slice(), shape).requiresGrad_();
          const rm = t(randomArray(rng, C), [C]);
          const rv = t(randomArray(rng, C, 0.5, 2), [C]);
          const rm0 = rm.dataSync().slice();
          const rv0 = rv.dataSync().slice();
          const y = tg.batchNorm(x, { runningMean: rm, runningVar: rv, weight: wt, bias: bt, training: true, momentum: 0.3, eps: 1e-5 });
          const ref = refForward(xd, shape, affine ? w : null, affine ? b : null, 1e-5, null);
          expectClose(y.dataSync(), ref.y, 1e-4, 2e-4);
          const M = n / C;
          expectClose(rm.dataSync(), Array.from(rm0, (v, c) => 0.7 * v + 0.3 * ref.mean[c]), 1e-6, 1e-5);
          expectClose(rv.dataSync(), Array.from(rv0, (v, c) => 0.7 * v + 0.3 * ref.variance[c] * (M > 1 ? M / (M - 1) : 1)), 1e-5, 1e-5);
          tg.sum(tg.mul(y, t(dy, shape))).backward();
          const g = refBackward(dy, xd, shape, affine ? w : null, ref, 1e-5, true);
          // Gradients scale with invstd^2 where a channel has one value (variance 0): tolerate them.
          const scale = Math.max(1, ...Array.from(g.dx, Math.abs));
          expectClose(x.grad!.dataSync(), g.dx, 2e-3, 2e-3 * scale);
          if (affine) {
            expectClose(wt!.grad!.dataSync(), g.dw, 1e-3, 1e-3 * Math.sqrt(M));
            expectClose(bt!.grad!.dataSync(), g.db, 1e-5, 1e-4 * Math.sqrt(M));
          }
          // Eval: the running statistics as they now are, which must stay unchanged.
          const stats = { mean: Float32Array.from(rm.dataSync()), variance: Float32Array.from(rv.dataSync()) };
          x.grad = null;
          const ye = tg.batchNorm(x, { runningMean: rm, runningVar: rv, weight: wt, bias: bt, training: false, eps: 1e-3 });
          const refE = refForward(xd, shape, affine ? w : null, affine ? b : null, 1e-3, stats);
          expectClose(ye.dataSync(), refE.y, 1e-4, 1e-3);
          expect(Array.from(rm.dataSync())).toEqual(Array.from(stats.mean));
          if (wt) wt.grad = null;
          if (bt) bt.grad = null;
          tg.sum(tg.mul(ye, t(dy, shape))).backward();
          const ge = refBackward(dy, xd, shape, affine ? w : null, refE, 1e-3, false);
          expectClose(x.grad!.dataSync(), ge.dx, 1e-4, 1e-4);
          if (affine) {
            expectClose(wt!.grad!.dataSync(), ge.dw, 1e-3, 1e-2 * Math.sqrt(M) * (offset ? 100 : 1));
            expectClose(bt!.grad!.dataSync(), ge.db, 1e-5, 1e-4 * Math.sqrt(M));
          }
        }
      });
    }
  }

  it('passes finite-difference gradient checks for x, weight and bias in training and eval', () => {
    const rng = testRng(5);
    for (const shape of [[4, 3], [3, 2, 5], [2, 3, 2, 3]]) {
      const C = shape[1];
      const n = numelOf(shape);
      for (const training of [true, false]) {
        const x = t(randomArray(rng, n), shape).requiresGrad_();
        const w = t(randomArray(rng, C, 0.5, 2), [C]).requiresGrad_();
        const b = t(randomArray(rng, C), [C]).requiresGrad_();
        const rm = t(randomArray(rng, C, -0.5, 0.5), [C]);
        const rv = t(randomArray(rng, C, 0.5, 2), [C]);
        const weights = Float64Array.from(randomArray(rng, n));
        // No running statistics in training, so repeated forward calls see the same function.
        const f = ([xi, wi, bi]: tg.Tensor[]) =>
          training ? tg.batchNorm(xi, { weight: wi, bias: bi, training: true }) : tg.batchNorm(xi, { runningMean: rm, runningVar: rv, weight: wi, bias: bi });
        gradcheck(f, [x, w, b], weights, { eps: 1e-2, tol: 2e-2 });
      }
    }
  });

  it('gives gradients only to the inputs that need them', () => {
    const rng = testRng(8);
    const x = t(randomArray(rng, 24), [4, 3, 2]);
    const w = t(randomArray(rng, 3), [3]).requiresGrad_();
    const b = t(randomArray(rng, 3), [3]);
    tg.batchNorm(x, { weight: w, bias: b, training: true }).sum().backward();
    expect(x.grad).toBeNull();
    expect(b.grad).toBeNull();
    // sum(y) does not depend on the weight: sum(xhat) = 0 per channel.
    expectClose(w.grad!.dataSync(), [0, 0, 0], 0, 1e-5);
  });

  it('refuses a higher-order gradient with a clear error', () => {
    const x = tg.randn([4, 3]).requiresGrad_();
    const y = tg.batchNorm(x, { training: true });
    const weights = tg.randn([4, 3]);
    expect(() => tg.grad(tg.sum(tg.mul(y, weights)), [x], [], { createGraph: true })).toThrow(/batchNorm has no higher-order gradient/);
  });

  it('checks dtypes and shapes at the op', () => {
    throws(TypeError, () => tg.batchNorm(tg.zeros([2, 3], { dtype: 'int32' }), { training: true }), /float32 input, got int32/);
    throws(RangeError, () => tg.batchNorm(tg.zeros([2, 3]), { training: true, weight: tg.ones(4) }), /weight must have 3 elements/);
    throws(RangeError, () => tg.batchNorm(tg.zeros([3]), { training: true }), /at least 2 dims/);
  });
});

describe('batchNorm thread invariance', () => {
  afterEach(() => tg.setNumThreads(tg.info().numThreads));

  for (const shape of [[64, 4, 32, 32], [40000, 3], [3, 2, 200, 200], [5, 33, 7, 7]]) {
    it(`gives the same bits with 1 and 2 threads on ${JSON.stringify(shape)}`, () => {
      const rng = testRng(3);
      const C = shape[1];
      const xd = randomArray(rng, numelOf(shape)).map((v) => 3 * v + 10);
      const dy = randomArray(rng, xd.length);
      const w = randomArray(rng, C);
      const run = (threads: number) => {
        tg.setNumThreads(threads);
        const x = t(xd.slice(), shape).requiresGrad_();
        const wt = t(w.slice(), [C]).requiresGrad_();
        const bt = tg.zeros(C).requiresGrad_();
        const rm = tg.zeros(C);
        const rv = tg.ones(C);
        const y = tg.batchNorm(x, { runningMean: rm, runningVar: rv, weight: wt, bias: bt, training: true });
        tg.sum(tg.mul(y, t(dy, shape))).backward();
        return [y, x.grad!, wt.grad!, bt.grad!, rm, rv].map((v) => Buffer.from(v.dataSync().buffer, v.dataSync().byteOffset, v.dataSync().byteLength));
      };
      const one = run(1);
      const two = run(2);
      one.forEach((b, i) => expect(b.equals(two[i]), `output ${i}`).toBe(true));
    });
  }
});

describe('batch-norm exports called wrongly', () => {
  const f32 = (n: number) => new Float32Array(n);
  const call = (fn: keyof NativeAddon, args: unknown[]) => () => (native[fn] as (...a: unknown[]) => unknown)(...args);

  // x [2, 3, 4]
  const train = (): unknown[] => [f32(24), [2, 3, 4], f32(3), f32(3), 1e-5, f32(24), f32(3), f32(3)];
  const evalArgs = (): unknown[] => [f32(24), [2, 3, 4], f32(3), null, f32(3), f32(3), 1e-5, f32(24)];
  const back = (): unknown[] => [f32(24), f32(24), [2, 3, 4], f32(3), f32(3), f32(3), 1e-5, true, f32(24), f32(3), null];
  const cases: [keyof NativeAddon, () => unknown[], string[]][] = [
    ['batchNormTrain', train, ['x', 'xShape', 'weight', 'bias', 'eps', 'out', 'mean', 'var']],
    ['batchNormEval', evalArgs, ['x', 'xShape', 'weight', 'bias', 'mean', 'var', 'eps', 'out']],
    ['batchNormBackward', back, ['grad', 'x', 'xShape', 'weight', 'mean', 'var', 'eps', 'training', 'gradInput', 'gradWeight', 'gradBias']],
  ];
  for (const [fn, ok, names] of cases) {
    const with_ = (i: number, v: unknown) => call(fn, ok().map((a, k) => (k === i ? v : a)));
    it(`${fn}: accepts a correct call and rejects wrong counts, types, lengths and sizes`, () => {
      expect(call(fn, ok())()).toBeUndefined();
      throws(TypeError, call(fn, []), new RegExp(`^tensorgrad native ${fn}: expects ${names.length} arguments, got 0`));
      throws(TypeError, call(fn, [...ok(), 1]), /expects \d+ arguments/);
      names.forEach((name, i) => throws(TypeError, with_(i, 'nope'), new RegExp(`${fn}: argument ${i + 1} \\(${name}\\)`)));
      const shapeAt = names.indexOf('xShape');
      throws(RangeError, with_(shapeAt, [24]), /xShape must be \[N, C, \.\.\.\] \(at least 2 dims\), got \[24\]/);
      throws(RangeError, with_(shapeAt, [2, -3, 4]), /xShape/);
      throws(RangeError, with_(shapeAt, [2, 3, 2 ** 53]), /xShape/);
      throws(RangeError, with_(shapeAt, [2 ** 30, 2 ** 30, 2 ** 30]), /xShape/);
      throws(RangeError, with_(shapeAt, [2, 3, 5]), /has 24 elements but its shape \[2, 3, 5\] needs 30/);
      throws(RangeError, with_(names.indexOf('weight'), f32(4)), /weight has 4 elements, but x \[2, 3, 4\] has 3 channels/);
      throws(TypeError, with_(names.indexOf('weight'), new Int32Array(3)), /weight\) must be a Float32Array or null/);
      throws(RangeError, with_(names.indexOf('mean'), f32(2)), /mean has 2 elements/);
      throws(RangeError, with_(names.indexOf('var'), f32(30)), /var has 30 elements/);
      for (const eps of [-1, NaN, Infinity]) throws(RangeError, with_(names.indexOf('eps'), eps), /eps/);
    });
  }

  it('refuses outputs that share memory with inputs or with each other', () => {
    const x = f32(24);
    const stats = f32(3);
    throws(RangeError, call('batchNormTrain', [x, [2, 3, 4], null, null, 1e-5, f32(24), stats, stats]), /mean and var must not share memory/);
    const wide = f32(25);
    throws(RangeError, call('batchNormTrain', [wide.subarray(0, 24), [2, 3, 4], null, null, 1e-5, wide.subarray(1, 25), f32(3), f32(3)]), /out and x must not share memory/);
    throws(RangeError, call('batchNormTrain', [x, [2, 3, 4], null, null, 1e-5, f32(24), new Float32Array(x.buffer, 0, 3), f32(3)]), /mean and x must not share memory/);
    throws(RangeError, call('batchNormBackward', [x, f32(24), [2, 3, 4], null, f32(3), f32(3), 1e-5, true, x, null, null]), /gradInput and grad must not share memory/);
    const g = f32(6);
    throws(RangeError, call('batchNormBackward', [f32(24), f32(24), [2, 3, 4], null, f32(3), f32(3), 1e-5, true, null, g.subarray(0, 3), g.subarray(2, 5)]), /gradWeight and gradBias must not share memory/);
    // In place is allowed for the forward output.
    expect(call('batchNormEval', [x, [2, 3, 4], null, null, f32(3), f32(3).fill(1), 1e-5, x])()).toBeUndefined();
  });
});
