// maxPool2d, avgPool2d, adaptiveAvgPool2d and their backward kernels against float64 references
// (test/helpers/reference-conv.ts), finite differences and PyTorch fixtures
// (scripts/fixtures/conv_fixtures.py -> test/fixtures/conv.json).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { native } from '../lib/backend/load';
import { expectClose, numelOf, randomArray, testRng } from './helpers/reference';
import {
  type PoolParams,
  poolOutShape,
  refAdaptiveAvgPool2d,
  refAdaptiveAvgPool2dBackward,
  refAvgPool2d,
  refAvgPool2dBackward,
  refMaxPool2d,
  refMaxPool2dBackward,
} from './helpers/reference-conv';

const rng = testRng(51);
const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const threadsAtStart = native.getNumThreads();
afterAll(() => native.setNumThreads(threadsAtStart));

function randomPool(dilation: boolean): { xShape: number[]; p: PoolParams } {
  for (;;) {
    const kernel: [number, number] = [int(1, 4), int(1, 4)];
    const p: PoolParams = {
      kernel,
      stride: [int(1, 3), int(1, 3)],
      padding: [int(0, kernel[0] >> 1), int(0, kernel[1] >> 1)],
      dilation: dilation && rng() < 0.4 ? [int(1, 3), int(1, 3)] : [1, 1],
      ceilMode: rng() < 0.5,
    };
    const xShape = [int(0, 3), int(1, 3), int(1, 12), int(1, 12)];
    const [, , ho, wo] = poolOutShape(xShape, p);
    // Windows entirely in the padding (a dilation wider than the image) are a test of their own.
    if (ho < 1 || wo < 1) continue;
    const plane = [1, 1, xShape[2], xShape[3]];
    if (!refMaxPool2d(new Float32Array(numelOf(plane)), plane, p).indices.includes(-1)) return { xShape, p };
  }
}

function maxPool(x: Float32Array, xShape: number[], p: PoolParams) {
  const outShape = poolOutShape(xShape, p);
  const out = new Float32Array(numelOf(outShape)).fill(NaN);
  const indices = new Int32Array(out.length).fill(-7);
  native.maxPool2d(x, xShape, p.kernel, p.stride, p.padding, p.dilation, p.ceilMode, out, outShape, indices);
  return { out, indices, outShape };
}

function maxPoolBackward(dy: Float32Array, outShape: number[], indices: Int32Array, xShape: number[]): Float32Array {
  const dx = new Float32Array(numelOf(xShape)).fill(NaN);
  native.maxPool2dBackward(dy, outShape, indices, dx, xShape);
  return dx;
}

function avgPool(x: Float32Array, xShape: number[], p: PoolParams, cip: boolean, div: number | null): Float32Array {
  const outShape = poolOutShape(xShape, p);
  const out = new Float32Array(numelOf(outShape)).fill(NaN);
  native.avgPool2d(x, xShape, p.kernel, p.stride, p.padding, p.ceilMode, cip, div, out, outShape);
  return out;
}

function avgPoolBackward(dy: Float32Array, xShape: number[], p: PoolParams, cip: boolean, div: number | null): Float32Array {
  const dx = new Float32Array(numelOf(xShape)).fill(NaN);
  native.avgPool2dBackward(dy, poolOutShape(xShape, p), p.kernel, p.stride, p.padding, p.ceilMode, cip, div, dx, xShape);
  return dx;
}

function adaptive(x: Float32Array, xShape: number[], ho: number, wo: number): Float32Array {
  const out = new Float32Array(xShape[0] * xShape[1] * ho * wo).fill(NaN);
  native.adaptiveAvgPool2d(x, xShape, out, [xShape[0], xShape[1], ho, wo]);
  return out;
}

function adaptiveBackward(dy: Float32Array, xShape: number[], ho: number, wo: number): Float32Array {
  const dx = new Float32Array(numelOf(xShape)).fill(NaN);
  native.adaptiveAvgPool2dBackward(dy, [xShape[0], xShape[1], ho, wo], dx, xShape);
  return dx;
}

describe('maxPool2d', () => {
  it('random windows, strides, padding, dilation and ceil mode: values, indices and gradients', () => {
    for (let t = 0; t < 150; t++) {
      const { xShape, p } = randomPool(true);
      const x = randomArray(rng, numelOf(xShape));
      const want = refMaxPool2d(x, xShape, p);
      const got = maxPool(x, xShape, p);
      expect(got.outShape).toEqual(want.shape);
      expect(Array.from(got.out)).toEqual(Array.from(want.values));
      expect(Array.from(got.indices)).toEqual(Array.from(want.indices));
      const dy = randomArray(rng, got.out.length);
      expectClose(maxPoolBackward(dy, got.outShape, got.indices, xShape), refMaxPool2dBackward(dy, want.indices, xShape, want.shape), 1e-6, 1e-6);
    }
  });

  it('the 2x2 stride-2 path of the MNIST networks, odd sizes falling back at the edge', () => {
    const p: PoolParams = { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], ceilMode: false };
    for (const xShape of [[10, 20, 24, 24], [3, 6, 8, 8], [2, 3, 7, 9], [1, 1, 1, 2]]) {
      for (const ceilMode of [false, true]) {
        const q = { ...p, ceilMode };
        if (poolOutShape(xShape, q)[2] < 1) continue;
        const x = randomArray(rng, numelOf(xShape));
        const got = maxPool(x, xShape, q);
        const want = refMaxPool2d(x, xShape, q);
        expect(Array.from(got.out)).toEqual(Array.from(want.values));
        expect(Array.from(got.indices)).toEqual(Array.from(want.indices));
      }
    }
  });

  it('backward scatters any indices in the plane, in or out of their own window', () => {
    const xShape = [2, 3, 8, 6];
    const outShape = [2, 3, 4, 3];
    for (const inWindow of [true, false]) {
      const x = randomArray(rng, numelOf(xShape));
      const indices = maxPool(x, xShape, { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], ceilMode: false }).indices;
      if (!inWindow) indices[int(0, indices.length - 1)] = int(0, 47); // e.g. indices from another pooling
      const dy = randomArray(rng, indices.length);
      expectClose(maxPoolBackward(dy, outShape, indices, xShape), refMaxPool2dBackward(dy, indices, xShape, outShape), 1e-6, 1e-6);
    }
  });

  it('ties take the first max, NaN beats everything (the last NaN), -Infinity still has an index', () => {
    const p: PoolParams = { kernel: [2, 2], stride: [2, 2], padding: [0, 0], dilation: [1, 1], ceilMode: false };
    const x = Float32Array.from([1, 1, NaN, 5, 1, 0, 2, NaN, -Infinity, -Infinity, 3, 3, -Infinity, -Infinity, 3, 3]);
    const general = { ...p, kernel: [2, 2] as [number, number], padding: [1, 1] as [number, number] };
    for (const q of [p, general]) {
      const got = maxPool(x, [1, 1, 4, 4], q);
      const want = refMaxPool2d(x, [1, 1, 4, 4], q);
      expect(Array.from(got.out)).toEqual(Array.from(want.values));
      expect(Array.from(got.indices)).toEqual(Array.from(want.indices));
    }
    const got = maxPool(x, [1, 1, 4, 4], p);
    expect(Array.from(got.indices)).toEqual([0, 7, 8, 10]);
    expect(got.out[1]).toBeNaN();
  });

  it('a window entirely in the padding gives -Infinity and PyTorch\'s index past the plane', () => {
    const out = new Float32Array(1);
    const indices = new Int32Array(1);
    native.maxPool2d(Float32Array.from([0, 1, 2, 3]), [1, 1, 2, 2], [2, 2], [1, 1], [1, 1], [3, 3], false, out, [1, 1, 1, 1], indices);
    expect(out[0]).toBe(-Infinity);
    expect(indices[0]).toBe(6); // torch.nn.functional.max_pool2d gives the same
  });

  it('indices may be null', () => {
    const p: PoolParams = { kernel: [3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 1], ceilMode: true };
    const x = randomArray(rng, 2 * 3 * 9 * 9);
    const outShape = poolOutShape([2, 3, 9, 9], p);
    const out = new Float32Array(numelOf(outShape));
    native.maxPool2d(x, [2, 3, 9, 9], p.kernel, p.stride, p.padding, p.dilation, true, out, outShape, null);
    expect(Array.from(out)).toEqual(Array.from(refMaxPool2d(x, [2, 3, 9, 9], p).values));
  });
});

describe('avgPool2d', () => {
  it('random windows with ceil mode, padding counted or not, divisor overrides: values and gradients', () => {
    for (let t = 0; t < 150; t++) {
      const { xShape, p } = randomPool(false);
      const cip = rng() < 0.5;
      const div = rng() < 0.25 ? [3, -2, 7][int(0, 2)] : null;
      const x = randomArray(rng, numelOf(xShape));
      expectClose(avgPool(x, xShape, p, cip, div), refAvgPool2d(x, xShape, p, cip, div).values, 1e-6, 1e-6);
      const dy = randomArray(rng, numelOf(poolOutShape(xShape, p)));
      expectClose(avgPoolBackward(dy, xShape, p, cip, div), refAvgPool2dBackward(dy, xShape, p, cip, div), 1e-5, 1e-6);
    }
  });
});

describe('adaptiveAvgPool2d', () => {
  it('random input and output sizes, shrinking and growing: values and gradients', () => {
    for (let t = 0; t < 100; t++) {
      const xShape = [int(0, 2), int(1, 3), int(1, 11), int(1, 11)];
      const [ho, wo] = [int(1, 9), int(1, 9)];
      const x = randomArray(rng, numelOf(xShape));
      expectClose(adaptive(x, xShape, ho, wo), refAdaptiveAvgPool2d(x, xShape, ho, wo), 1e-5, 1e-6);
      const dy = randomArray(rng, xShape[0] * xShape[1] * ho * wo);
      expectClose(adaptiveBackward(dy, xShape, ho, wo), refAdaptiveAvgPool2dBackward(dy, xShape, ho, wo), 1e-5, 1e-6);
    }
  });

  it('an output size of 0 writes nothing', () => {
    const out = new Float32Array(0);
    native.adaptiveAvgPool2d(randomArray(rng, 9), [1, 1, 3, 3], out, [1, 1, 0, 3]);
    const dx = new Float32Array(9).fill(NaN);
    native.adaptiveAvgPool2dBackward(new Float32Array(0), [1, 1, 0, 3], dx, [1, 1, 3, 3]);
    expect(Array.from(dx)).toEqual(new Array(9).fill(0));
  });
});

describe('pooling gradients against central finite differences', () => {
  function check(f: (x: Float32Array) => Float32Array, grad: (x: Float32Array, dy: Float32Array) => Float32Array, n: number): void {
    // Distinct values far apart, so that no max changes place within eps.
    const x = Float32Array.from({ length: n }, (_, i) => ((i * 7919) % n) / 4 - n / 8);
    const dy = randomArray(rng, f(x).length);
    const g = grad(x, dy);
    const eps = 1e-2;
    for (let i = 0; i < n; i++) {
      const keep = x[i];
      x[i] = keep + eps;
      const up = f(x).reduce((s, v, k) => s + v * dy[k], 0);
      x[i] = keep - eps;
      const down = f(x).reduce((s, v, k) => s + v * dy[k], 0);
      x[i] = keep;
      expect(Math.abs(g[i] - (up - down) / (2 * eps))).toBeLessThan(1e-3);
    }
  }

  it('max, average and adaptive pooling', () => {
    const xShape = [1, 2, 7, 6];
    const p: PoolParams = { kernel: [3, 2], stride: [2, 1], padding: [1, 1], dilation: [1, 2], ceilMode: true };
    const q: PoolParams = { ...p, dilation: [1, 1] };
    check((x) => maxPool(x, xShape, p).out, (x, dy) => maxPoolBackward(dy, poolOutShape(xShape, p), maxPool(x, xShape, p).indices, xShape), 84);
    check((x) => avgPool(x, xShape, q, false, null), (_, dy) => avgPoolBackward(dy, xShape, q, false, null), 84);
    check((x) => adaptive(x, xShape, 4, 5), (_, dy) => adaptiveBackward(dy, xShape, 4, 5), 84);
  });
});

describe('pooling is bitwise the same on 1 and 2 threads', () => {
  it('forward and backward of each kind on a large batch', () => {
    const xShape = [16, 20, 24, 24];
    const x = randomArray(rng, numelOf(xShape));
    const mp: PoolParams = { kernel: [3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 1], ceilMode: true };
    const dyMax = randomArray(rng, numelOf(poolOutShape(xShape, mp)));
    const dyAd = randomArray(rng, 16 * 20 * 5 * 7);
    const run = (threads: number) => {
      native.setNumThreads(threads);
      const m = maxPool(x, xShape, mp);
      return [m.out, m.indices, maxPoolBackward(dyMax, m.outShape, m.indices, xShape), avgPool(x, xShape, mp, false, null),
        avgPoolBackward(dyMax, xShape, mp, true, null), adaptive(x, xShape, 5, 7), adaptiveBackward(dyAd, xShape, 5, 7)];
    };
    const one = run(1);
    const two = run(2);
    one.forEach((a, i) => expect(Buffer.from(two[i].buffer).equals(Buffer.from(a.buffer)), `output ${i}`).toBe(true));
    native.setNumThreads(threadsAtStart);
  });
});

interface PoolFixture {
  name: string;
  kind: 'max' | 'avg' | 'adaptive';
  xShape: number[];
  options: {
    kernel: [number, number];
    stride: [number, number];
    padding: [number, number];
    dilation: [number, number];
    ceilMode: boolean;
    countIncludePad: boolean;
    divisorOverride: number | null;
    outputSize: [number, number];
  };
  x: number[];
  g: number[];
  outShape: number[];
  out: number[];
  dx: number[];
  indices?: number[];
}

describe('pooling against PyTorch fixtures', () => {
  const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'conv.json'), 'utf8')) as { pool: PoolFixture[] };
  it.each(fixture.pool.map((f) => [f.name, f] as const))('%s', (_, f) => {
    const x = Float32Array.from(f.x);
    const g = Float32Array.from(f.g);
    const o = f.options;
    if (f.kind === 'max') {
      const got = maxPool(x, f.xShape, o);
      expect(got.outShape).toEqual(f.outShape);
      expect(Array.from(got.out)).toEqual(Array.from(Float32Array.from(f.out)));
      expect(Array.from(got.indices)).toEqual(f.indices);
      expectClose(maxPoolBackward(g, f.outShape, got.indices, f.xShape), f.dx, 1e-6, 1e-6);
    } else if (f.kind === 'avg') {
      const p = { ...o, dilation: [1, 1] as [number, number] };
      expect(poolOutShape(f.xShape, p)).toEqual(f.outShape);
      expectClose(avgPool(x, f.xShape, p, o.countIncludePad, o.divisorOverride), f.out, 1e-6, 1e-6);
      expectClose(avgPoolBackward(g, f.xShape, p, o.countIncludePad, o.divisorOverride), f.dx, 1e-6, 1e-6);
    } else {
      const [ho, wo] = o.outputSize;
      expectClose(adaptive(x, f.xShape, ho, wo), f.out, 1e-6, 1e-6);
      expectClose(adaptiveBackward(g, f.xShape, ho, wo), f.dx, 1e-6, 1e-6);
    }
  });
});
