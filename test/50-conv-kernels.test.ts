// conv2d and its backward kernels against float64 references (test/helpers/reference-conv.ts),
// central finite differences, and fixtures recorded from PyTorch
// (scripts/fixtures/conv_fixtures.py -> test/fixtures/conv.json).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { native } from '../lib/backend/load';
import { expectClose, numelOf, randomArray, testRng } from './helpers/reference';
import { type ConvParams, convOutShape, refConv2d, refConv2dBackward } from './helpers/reference-conv';

const rng = testRng(50);
const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const threadsAtStart = native.getNumThreads();
afterAll(() => native.setNumThreads(threadsAtStart));

interface Case {
  xShape: number[];
  wShape: number[];
  p: ConvParams;
}

function params(stride: [number, number], padding: number[], dilation: [number, number], groups = 1): ConvParams {
  const pad = padding.length === 2 ? [padding[0], padding[0], padding[1], padding[1]] : padding;
  return { stride, padding: pad as ConvParams['padding'], dilation, groups };
}

/** The padding argument as the binding takes it: [h, w] when symmetric, else all four sides. */
function padArg(p: ConvParams): number[] {
  const [t, b, l, r] = p.padding;
  return t === b && l === r ? [t, l] : [t, b, l, r];
}

function randomCase(): Case {
  for (;;) {
    const kind = pick(['plain', 'plain', 'groups', 'depthwise'] as const);
    const groups = kind === 'plain' ? 1 : int(2, 4);
    const cg = kind === 'depthwise' ? 1 : int(1, 4);
    const og = kind === 'depthwise' ? int(1, 2) : int(1, 5);
    const xShape = [pick([0, 1, 2, 3]), cg * groups, int(1, 13), int(1, 13)];
    const wShape = [og * groups, cg, int(1, 5), int(1, 5)];
    const asym = rng() < 0.3;
    const padding = asym ? [int(0, 3), int(0, 3), int(0, 3), int(0, 3)] : [int(0, 2), int(0, 2)];
    const dil = rng() < 0.3 ? ([int(1, 3), int(1, 3)] as [number, number]) : ([1, 1] as [number, number]);
    const p = params([int(1, 3), int(1, 3)], padding, dil, groups);
    if (convOutShape(xShape, wShape, p)) return { xShape, wShape, p };
  }
}

function forward(c: Case, x: Float32Array, wt: Float32Array, bias: Float32Array | null, relu = false): Float32Array {
  const outShape = convOutShape(c.xShape, c.wShape, c.p)!;
  const out = new Float32Array(numelOf(outShape)).fill(NaN); // every element must be written
  native.conv2d(x, c.xShape, wt, c.wShape, bias, c.p.stride, padArg(c.p), c.p.dilation, c.p.groups, relu, out, outShape);
  return out;
}

function backward(c: Case, x: Float32Array, wt: Float32Array, dy: Float32Array) {
  const outShape = convOutShape(c.xShape, c.wShape, c.p)!;
  const dx = new Float32Array(x.length).fill(NaN);
  const dw = new Float32Array(wt.length).fill(NaN);
  const db = new Float32Array(c.wShape[0]).fill(NaN);
  native.conv2dBackwardInput(dy, outShape, wt, c.wShape, c.p.stride, padArg(c.p), c.p.dilation, c.p.groups, dx, c.xShape);
  native.conv2dBackwardWeight(dy, outShape, x, c.xShape, c.p.stride, padArg(c.p), c.p.dilation, c.p.groups, dw, c.wShape, db);
  return { dx, dw, db };
}

/** Inputs for a case, in [-1, 1]. */
function inputs(c: Case) {
  const outShape = convOutShape(c.xShape, c.wShape, c.p)!;
  return {
    x: randomArray(rng, numelOf(c.xShape), -1, 1),
    wt: randomArray(rng, numelOf(c.wShape), -1, 1),
    bias: randomArray(rng, c.wShape[0], -1, 1),
    dy: randomArray(rng, numelOf(outShape), -1, 1),
  };
}

/** Sums of up to K products of values in [-1, 1]: float32 rounding grows with K. */
function tol(c: Case): number {
  return 2e-6 * (4 + c.wShape[1] * c.wShape[2] * c.wShape[3] + c.wShape[0]);
}

function checkCase(c: Case, relu = false): void {
  const { x, wt, bias, dy } = inputs(c);
  const useBias = rng() < 0.7 ? bias : null;
  expectClose(forward(c, x, wt, useBias, relu), refConv2d(x, c.xShape, wt, c.wShape, useBias, c.p, relu).values, 1e-5, tol(c));
  const got = backward(c, x, wt, dy);
  const want = refConv2dBackward(dy, x, c.xShape, wt, c.wShape, c.p);
  const outShape = convOutShape(c.xShape, c.wShape, c.p)!;
  const depth = outShape[0] * outShape[2] * outShape[3]; // terms in each weight-gradient sum
  expectClose(got.dx, want.dx, 1e-5, tol(c));
  expectClose(got.dw, want.dw, 1e-5, 2e-6 * (4 + depth));
  expectClose(got.db, want.db, 1e-5, 2e-6 * (4 + depth));
}

describe('conv2d against a float64 reference', () => {
  it('random shapes: odd sizes, strides, padding (asymmetric too), dilation, groups, depthwise, empty batch', () => {
    for (let t = 0; t < 120; t++) checkCase(randomCase(), rng() < 0.3);
  });

  it('named shapes: batch 1, one channel, 1x1, kernel larger than stride, the MNIST layers, deep reductions', () => {
    const cases: Case[] = [
      { xShape: [1, 1, 28, 28], wShape: [20, 1, 5, 5], p: params([1, 1], [0, 0], [1, 1]) },
      { xShape: [3, 20, 12, 12], wShape: [40, 20, 5, 5], p: params([1, 1], [0, 0], [1, 1]) },
      { xShape: [2, 6, 12, 12], wShape: [12, 6, 5, 5], p: params([1, 1], [0, 0], [1, 1]) },
      // the Fashion CNN's first layer: 6 rows over output rows 24 wide, the 6 x 48 (AVX-512) and
      // 3 x 24 (AVX2) tiles
      { xShape: [2, 1, 28, 28], wShape: [6, 1, 5, 5], p: params([1, 1], [0, 0], [1, 1]) },
      { xShape: [2, 8, 14, 14], wShape: [16, 8, 3, 3], p: params([1, 1], [1, 1], [1, 1]) },
      { xShape: [2, 5, 9, 9], wShape: [7, 5, 1, 1], p: params([2, 2], [0, 0], [1, 1]) },
      { xShape: [2, 3, 17, 15], wShape: [5, 3, 5, 5], p: params([2, 3], [2, 1], [1, 1]) },
      { xShape: [1, 3, 11, 10], wShape: [4, 3, 4, 4], p: params([1, 1], [1, 2, 1, 2], [1, 1]) },
      // K = 24 * 9 = 216 and 30 * 9 = 270 cross every kernel set's KC (192, 256) and MC; O past 2 MR.
      { xShape: [1, 24, 6, 7], wShape: [29, 24, 3, 3], p: params([1, 1], [1, 1], [1, 1]) },
      { xShape: [2, 30, 5, 5], wShape: [13, 30, 3, 3], p: params([1, 1], [1, 1], [2, 2]) },
      // positions past one panel (P = 41 * 37) with rows that split panels anywhere
      { xShape: [1, 2, 41, 37], wShape: [3, 2, 1, 1], p: params([1, 1], [0, 0], [1, 1]) },
      // rows wider than any panel (split), and more output rows than one packing call takes
      { xShape: [2, 2, 3, 150], wShape: [4, 2, 1, 3], p: params([1, 1], [0, 1], [1, 1]) },
      { xShape: [1, 1, 140, 3], wShape: [2, 1, 3, 1], p: params([1, 1], [1, 0], [1, 1]) },
      { xShape: [2, 8, 10, 10], wShape: [8, 1, 3, 3], p: params([1, 1], [1, 1], [1, 1], 8) },
      { xShape: [0, 3, 8, 8], wShape: [4, 3, 3, 3], p: params([1, 1], [0, 0], [1, 1]) },
      { xShape: [2, 3, 1, 1], wShape: [4, 3, 3, 3], p: params([1, 1], [1, 1], [1, 1]) },
    ];
    for (const c of cases) {
      checkCase(c, false);
      checkCase(c, true);
    }
  });

  // Stride 1, at least 64 taps per output, 8 output channels, at most 1.3 times the positions:
  // the forward and input gradient take the flat-taps form (native/kernels/cpu/conv_direct.h);
  // with 32 output channels a group, the weight gradient too (the last three cases; the last
  // sums its 20 images in two blocks).
  it('stride-1 layers in the flat-taps form: depth blocks, groups, asymmetric padding, 5x5, one image', () => {
    const cases: Case[] = [
      { xShape: [1, 40, 9, 11], wShape: [13, 40, 3, 3], p: params([1, 1], [1, 1], [1, 1]) },
      { xShape: [3, 16, 10, 12], wShape: [18, 8, 3, 3], p: params([1, 1], [1, 0, 2, 1], [1, 1], 2) },
      { xShape: [2, 8, 16, 16], wShape: [8, 8, 5, 5], p: params([1, 1], [2, 2], [1, 1]) },
      { xShape: [1, 32, 28, 28], wShape: [32, 32, 3, 3], p: params([1, 1], [1, 1], [1, 1]) },
      { xShape: [2, 16, 9, 10], wShape: [64, 8, 3, 3], p: params([1, 1], [2, 0, 1, 1], [1, 1], 2) },
      { xShape: [20, 8, 24, 24], wShape: [32, 8, 3, 3], p: params([1, 1], [1, 1], [1, 1]) },
    ];
    for (const c of cases) {
      checkCase(c, false);
      checkCase(c, true);
    }
  });

  it('fuses ReLU into the output (bias included)', () => {
    const c: Case = { xShape: [2, 3, 9, 9], wShape: [5, 3, 3, 3], p: params([1, 1], [1, 1], [1, 1]) };
    const { x, wt, bias } = inputs(c);
    const plain = forward(c, x, wt, bias);
    const fused = forward(c, x, wt, bias, true);
    expect(plain.some((v) => v < 0)).toBe(true);
    expect(Array.from(fused)).toEqual(Array.from(plain, (v) => (v < 0 ? 0 : v)));
  });

  it('an empty batch writes nothing and gives zero weight gradients', () => {
    const c: Case = { xShape: [0, 2, 6, 6], wShape: [3, 2, 3, 3], p: params([1, 1], [0, 0], [1, 1]) };
    const { dw, db } = backward(c, new Float32Array(0), randomArray(rng, 54), new Float32Array(0));
    expect(Array.from(dw)).toEqual(new Array(54).fill(0));
    expect(Array.from(db)).toEqual([0, 0, 0]);
  });
});

describe('conv2d gradients against central finite differences', () => {
  /** d/d(buf[i]) of L = sum(forward(x, wt, bias) * dy), from native float32 outputs summed in float64. */
  function numeric(c: Case, x: Float32Array, wt: Float32Array, bias: Float32Array, dy: Float32Array, buf: Float32Array, i: number): number {
    const eps = 1e-2;
    const loss = () => forward(c, x, wt, bias).reduce((s, v, k) => s + v * dy[k], 0);
    const keep = buf[i];
    buf[i] = keep + eps;
    const up = loss();
    buf[i] = keep - eps;
    const down = loss();
    buf[i] = keep;
    return (up - down) / (2 * eps);
  }

  it('input, weight and bias gradients of a few configurations', () => {
    const cases: Case[] = [
      { xShape: [2, 2, 6, 5], wShape: [3, 2, 3, 2], p: params([2, 1], [1, 0, 2, 1], [1, 2]) },
      { xShape: [1, 4, 7, 7], wShape: [4, 2, 3, 3], p: params([1, 2], [1, 1], [2, 1], 2) },
    ];
    for (const c of cases) {
      const { x, wt, bias, dy } = inputs(c);
      const got = backward(c, x, wt, dy);
      for (const [buf, grad] of [[x, got.dx], [wt, got.dw], [bias, got.db]] as const) {
        for (let i = 0; i < buf.length; i++) {
          const want = numeric(c, x, wt, bias, dy, buf, i);
          expect(Math.abs(grad[i] - want), `element ${i}: ${grad[i]} vs ${want}`).toBeLessThan(2e-3 * (1 + Math.abs(want)));
        }
      }
    }
  });
});

describe('conv2d is bitwise the same on 1 and 2 threads', () => {
  it('forward, input, weight and bias gradients, including a batch cut into chunks', () => {
    const cases: Case[] = [
      { xShape: [8, 12, 20, 20], wShape: [24, 12, 3, 3], p: params([1, 1], [1, 1], [1, 1]) },
      { xShape: [16, 1, 28, 28], wShape: [20, 1, 5, 5], p: params([1, 1], [0, 0], [1, 1]) },
      { xShape: [6, 8, 15, 15], wShape: [16, 2, 3, 3], p: params([2, 2], [1, 1], [1, 1], 4) },
      // one image in the flat-taps form: its tiles cut into chunks
      { xShape: [1, 32, 28, 28], wShape: [32, 32, 3, 3], p: params([1, 1], [1, 1], [1, 1]) },
    ];
    for (const c of cases) {
      const { x, wt, bias, dy } = inputs(c);
      const run = (threads: number) => {
        native.setNumThreads(threads);
        return { y: forward(c, x, wt, bias, true), ...backward(c, x, wt, dy) };
      };
      const one = run(1);
      const two = run(2);
      for (const k of ['y', 'dx', 'dw', 'db'] as const) expect(Buffer.from(two[k].buffer).equals(Buffer.from(one[k].buffer)), k).toBe(true);
    }
    native.setNumThreads(threadsAtStart);
  });
});

interface ConvFixture {
  name: string;
  xShape: number[];
  wShape: number[];
  x: number[];
  w: number[];
  b: number[] | null;
  stride: [number, number];
  padding: [number, number, number, number];
  dilation: [number, number];
  groups: number;
  outShape: number[];
  g: number[];
  out: number[];
  dx: number[];
  dw: number[];
  db: number[] | null;
}

describe('conv2d against PyTorch fixtures', () => {
  const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'conv.json'), 'utf8')) as { conv: ConvFixture[] };
  it.each(fixture.conv.map((f) => [f.name, f] as const))('%s', (_, f) => {
    const c: Case = { xShape: f.xShape, wShape: f.wShape, p: { stride: f.stride, padding: f.padding, dilation: f.dilation, groups: f.groups } };
    expect(convOutShape(c.xShape, c.wShape, c.p)).toEqual(f.outShape);
    const x = Float32Array.from(f.x);
    const wt = Float32Array.from(f.w);
    expectClose(forward(c, x, wt, f.b ? Float32Array.from(f.b) : null), f.out, 1e-5, 1e-5);
    const got = backward(c, x, wt, Float32Array.from(f.g));
    expectClose(got.dx, f.dx, 1e-5, 1e-5);
    expectClose(got.dw, f.dw, 1e-5, 1e-5);
    if (f.db) expectClose(got.db, f.db, 1e-5, 1e-5);
  });
});
