// The unary kernels and their backward against plain float64 references. Tolerances are in
// float32 ulps of the exact result (see expectUlps): 0 where the op is exact, 0.5 where it rounds
// once, a few ulps for the transcendental ones (measured worst cases are printed by
// scripts/test-native.sh). Backward kernels are also checked against the analytic derivative,
// and that derivative against a central finite difference of the float64 forward reference.
import { afterAll, describe, expect, it } from 'vitest';
import { UnaryBackwardOpCode, UnaryOpCode, type UnaryBackwardOpName, type UnaryOpName } from '../lib/backend/addon-types';
import { native } from '../lib/backend/load';
import { erf, erfc, expectUlps, randomArray, specialFloats, testRng, wideRandom } from './helpers/reference';

const f = Math.fround;
const initialThreads = native.getNumThreads();
afterAll(() => native.setNumThreads(initialThreads));

function unary(op: UnaryOpName, x: Float32Array, p0 = 0, p1 = 0): Float32Array {
  const out = new Float32Array(x.length);
  native.unary(UnaryOpCode[op], x, out, p0, p1);
  return out;
}

function backward(op: UnaryBackwardOpName, grad: Float32Array, saved: Float32Array, p0 = 0, p1 = 0): Float32Array {
  const out = new Float32Array(grad.length);
  native.unaryBackward(UnaryBackwardOpCode[op], grad, saved, out, p0, p1);
  return out;
}

// ---- float64 references -------------------------------------------------------------------

const sigmoid = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
const normalCdf = (x: number): number => (x >= 0 ? 1 - 0.5 * erfc(x * Math.SQRT1_2) : 0.5 * erfc(-x * Math.SQRT1_2));
const normalPdf = (x: number): number => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
const kBeta = Math.sqrt(2 / Math.PI);
const geluU = (x: number): number => kBeta * (x + 0.044715 * x * x * x);
// x * g(x) where g -> 0 as x -> -inf: -0 there (the limit), not -inf * 0.
const timesVanishing = (x: number, g: (x: number) => number): number => (x === -Infinity ? -0 : x * g(x));

function torchPow(x: number, e: number): number {
  if (e === 0) return 1;
  if (e === 1) return x;
  if (e === 0.5) return Math.sqrt(x);
  if (e === -0.5) return 1 / Math.sqrt(x);
  if (e === -1) return 1 / x;
  // These round x * x to float first, as PyTorch's kernel does (so 1 / (x * x) may overflow).
  if (e === 2) return x * x;
  if (e === 3) return f(x * x) * x;
  if (e === -2) return 1 / f(x * x);
  return cPow(x, e);
}

/** C's pow: unlike Math.pow, pow(1, NaN) = 1 and pow(-1, +-inf) = 1. */
function cPow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (Math.abs(x) === 1 && Math.abs(y) === Infinity) return 1;
  return Math.pow(x, y);
}

function softplus(x: number, beta: number, threshold: number): number {
  const b = f(beta);
  const z = f(x * b); // rounded to float first, as PyTorch's kernel does
  if (Number.isNaN(x) || z > f(threshold)) return x;
  return (Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)))) / b;
}

function clamp(x: number, lo: number, hi: number): number {
  if ([x, lo, hi].some(Number.isNaN)) return NaN;
  return Math.min(Math.max(x, f(lo)), f(hi));
}

interface ForwardCase {
  op: UnaryOpName;
  p?: [number, number];
  ref: (x: number) => number;
  ulps: number;
  /** Uniform samples are drawn from [-range, range] besides the wide and special values. */
  range?: number;
  /** Absolute slack, for results below the float32 normal range. */
  atol?: number;
}

const forwardCases: ForwardCase[] = [
  { op: 'neg', ref: (x) => -x, ulps: 0 },
  { op: 'exp', ref: Math.exp, ulps: 2, range: 105 },
  { op: 'log', ref: Math.log, ulps: 1 },
  { op: 'log1p', ref: Math.log1p, ulps: 2, range: 1 },
  { op: 'expm1', ref: Math.expm1, ulps: 2, range: 90 },
  { op: 'sqrt', ref: Math.sqrt, ulps: 0.5 },
  { op: 'rsqrt', ref: (x) => 1 / Math.sqrt(x), ulps: 1.5 }, // two roundings, as 1 / sqrt(x) in PyTorch
  { op: 'abs', ref: Math.abs, ulps: 0 },
  { op: 'sign', ref: (x) => (x > 0 ? 1 : x < 0 ? -1 : 0), ulps: 0 },
  { op: 'relu', ref: (x) => (x < 0 ? 0 : x), ulps: 0 },
  { op: 'sigmoid', ref: sigmoid, ulps: 3, range: 105 },
  { op: 'tanh', ref: Math.tanh, ulps: 2, range: 5 },
  // GELU runs in float: the worst cases over every third float of [-15, 15] are 4.8 and 3.5 ulp.
  { op: 'gelu', ref: (x) => timesVanishing(x, normalCdf), ulps: 5, range: 15 },
  { op: 'geluTanh', ref: (x) => timesVanishing(x, (v) => sigmoid(2 * geluU(v))), ulps: 4, range: 12 },
  // sigmoid(x) itself is subnormal below -87, so silu's relative accuracy ends there.
  { op: 'silu', ref: (x) => timesVanishing(x, sigmoid), ulps: 3, range: 105, atol: 2 ** -126 },
  { op: 'softplus', p: [1, 20], ref: (x) => softplus(x, 1, 20), ulps: 2, range: 30 },
  { op: 'softplus', p: [0.7, 5], ref: (x) => softplus(x, 0.7, 5), ulps: 3, range: 30 },
  { op: 'softplus', p: [-2, 20], ref: (x) => softplus(x, -2, 20), ulps: 3, range: 30 },
  { op: 'elu', p: [1, 0], ref: (x) => (x > 0 ? x : Math.expm1(x)), ulps: 2 },
  { op: 'elu', p: [0.3, 0], ref: (x) => (x > 0 ? x : f(0.3) * Math.expm1(x)), ulps: 2.5 },
  { op: 'leakyRelu', p: [0.01, 0], ref: (x) => (x > 0 ? x : x * f(0.01)), ulps: 0.5 },
  { op: 'clamp', p: [-0.5, 2], ref: (x) => clamp(x, -0.5, 2), ulps: 0 },
  { op: 'clamp', p: [-Infinity, 1], ref: (x) => clamp(x, -Infinity, 1), ulps: 0 },
  { op: 'clamp', p: [0, Infinity], ref: (x) => clamp(x, 0, Infinity), ulps: 0 },
  { op: 'clamp', p: [3, 1], ref: (x) => clamp(x, 3, 1), ulps: 0 },
  { op: 'clamp', p: [NaN, 1], ref: () => NaN, ulps: 0 },
  { op: 'square', ref: (x) => x * x, ulps: 0.5 },
  { op: 'reciprocal', ref: (x) => 1 / x, ulps: 0.5 },
  { op: 'erf', ref: erf, ulps: 1, range: 5 },
  ...[2.5, -1.7, 1 / 3, 7, -3, 0.5, -0.5, -1, 1, 0, 2, 3, -2, 40, NaN, Infinity, -Infinity].map(
    (e): ForwardCase => ({ op: 'pow', p: [e, 0], ref: (x) => torchPow(x, e), ulps: [3, -2, -0.5].includes(e) ? 1.5 : 1, range: 4 }),
  ),
];

function inputsFor(seed: number, range: number): Float32Array {
  const rng = testRng(seed);
  const xs = new Float32Array(specialFloats.length + 40000);
  xs.set(specialFloats);
  xs.set(wideRandom(rng, 20000), specialFloats.length);
  xs.set(randomArray(rng, 20000, -range, range), specialFloats.length + 20000);
  return xs;
}

describe('unary kernels against float64 references', () => {
  forwardCases.forEach((c, k) => {
    it(`${c.op}(${(c.p ?? []).join(', ')}) within ${c.ulps} ulp`, () => {
      const xs = inputsFor(100 + k, c.range ?? 10);
      const got = unary(c.op, xs, ...(c.p ?? [0, 0]));
      expectUlps(got, Array.from(xs, c.ref), c.ulps, c.atol ?? 0, xs);
    });
  });

  it('handle every size: empty, one element, odd and prime lengths, many tasks', () => {
    const rng = testRng(3);
    for (const n of [0, 1, 2, 7, 31, 16383, 16384, 16385, 100003]) {
      const xs = randomArray(rng, n, -20, 20);
      expectUlps(unary('tanh', xs), Array.from(xs, Math.tanh), 2);
      expectUlps(unary('gelu', xs), Array.from(xs, (x) => x * normalCdf(x)), 5);
      expectUlps(unary('relu', xs), Array.from(xs, (x) => Math.max(x, 0)), 0);
    }
  });

  it('run in place', () => {
    const xs = randomArray(testRng(4), 50001, -5, 5);
    const want = unary('silu', xs);
    native.unary(UnaryOpCode.silu, xs, xs, 0, 0);
    expect(Buffer.from(xs.buffer).equals(Buffer.from(want.buffer))).toBe(true);
  });

  it('propagate NaN and treat infinities and zeros as PyTorch does', () => {
    const at = (op: UnaryOpName, x: number, p0 = 0, p1 = 0) => unary(op, Float32Array.of(x), p0, p1)[0];
    for (const op of Object.keys(UnaryOpCode) as UnaryOpName[]) {
      if (op === 'sign') continue;
      expect(at(op, NaN, 1, 2), op).toBeNaN();
    }
    expect(at('sign', NaN)).toBe(0); // torch.sign(nan) is 0
    // A NaN with its sign bit set: the GELU kernels clamp the magnitude on the bits.
    const negativeNaN = new Float32Array(new Uint32Array([0xffc00000, 0xff800001]).buffer);
    for (const op of ['gelu', 'geluTanh', 'silu', 'tanh'] as const) {
      expect(Array.from(unary(op, negativeNaN)).every(Number.isNaN), op).toBe(true);
      expect(Array.from(backward(op, Float32Array.of(1, 1), negativeNaN)).every(Number.isNaN), op).toBe(true);
    }
    expect(Object.is(at('relu', -0), -0)).toBe(true); // clamp_min keeps -0
    expect(Object.is(at('tanh', -0), -0)).toBe(true);
    expect(Object.is(at('expm1', -0), -0)).toBe(true);
    expect(Object.is(at('log1p', -0), -0)).toBe(true);
    expect(Object.is(at('pow', -0, 0.5), -0)).toBe(true); // torch.pow(x, 0.5) is sqrt
    expect(at('pow', NaN, 0)).toBe(1);
    expect(at('pow', 1, NaN)).toBe(1);
    expect(at('pow', -8, 1 / 3)).toBeNaN();
    expect(at('pow', -2, 5)).toBe(-32);
    expect(at('pow', -0, -1)).toBe(-Infinity);
    expect(at('pow', -Infinity, 1.5)).toBe(Infinity);
    expect(at('pow', -1, Infinity)).toBe(1);
    expect([at('gelu', -Infinity), at('geluTanh', -Infinity), at('silu', -Infinity)]).toEqual([-0, -0, -0]);
    expect([at('gelu', Infinity), at('geluTanh', Infinity), at('silu', Infinity)]).toEqual([Infinity, Infinity, Infinity]);
    expect([at('tanh', -Infinity), at('sigmoid', -Infinity), at('sigmoid', Infinity)]).toEqual([-1, 0, 1]);
    expect([at('softplus', -Infinity, 1, 20), at('softplus', Infinity, 1, 20)]).toEqual([0, Infinity]);
    expect([at('log', 0), at('log', -1), at('sqrt', -1), at('rsqrt', 0)]).toEqual([-Infinity, NaN, NaN, Infinity]);
    expect([at('clamp', 5, 1, 3), at('clamp', -5, 1, 3), at('clamp', 2, 1, NaN)]).toEqual([3, 1, NaN]);
  });
});

// ---- backward -----------------------------------------------------------------------------

interface BackwardCase {
  op: UnaryBackwardOpName;
  p?: [number, number];
  saved: 'x' | 'y';
  /** The forward op (float64, smooth) for the finite difference. */
  fwd: (x: number) => number;
  /** The analytic derivative in float64. */
  d: (x: number) => number;
  /** What the kernel computes in exact arithmetic, where PyTorch rounds a step first. */
  exact?: (x: number) => number;
  ulps: number;
  /** Absolute slack relative to |grad|, where the formula cancels or y was rounded. */
  atol?: number;
  /** Inputs for the derivative checks; kinks and non-smooth points are left out. */
  domain: [number, number];
  kinks?: number[];
}

const sigmoidD = (x: number) => sigmoid(x) * sigmoid(-x);
const backwardCases: BackwardCase[] = [
  { op: 'relu', saved: 'x', fwd: (x) => Math.max(x, 0), d: (x) => (x > 0 ? 1 : 0), ulps: 0, domain: [-5, 5], kinks: [0] },
  { op: 'leakyRelu', p: [0.1, 0], saved: 'x', fwd: (x) => (x > 0 ? x : 0.1 * x), d: (x) => (x > 0 ? 1 : 0.1), exact: (x) => (x > 0 ? 1 : f(0.1)), ulps: 0.5, domain: [-5, 5], kinks: [0] },
  { op: 'elu', p: [1.5, 0], saved: 'x', fwd: (x) => (x > 0 ? x : 1.5 * Math.expm1(x)), d: (x) => (x > 0 ? 1 : 1.5 * Math.exp(x)), exact: (x) => (x > 0 ? 1 : f(1.5) * Math.exp(x)), ulps: 2.5, domain: [-10, 5], kinks: [0] },
  { op: 'sigmoid', saved: 'y', fwd: sigmoid, d: sigmoidD, ulps: 2, atol: 1e-7, domain: [-15, 15] },
  { op: 'tanh', saved: 'y', fwd: Math.tanh, d: (x) => 1 - Math.tanh(x) ** 2, ulps: 2, atol: 2e-7, domain: [-8, 8] },
  { op: 'gelu', saved: 'x', fwd: (x) => x * normalCdf(x), d: (x) => normalCdf(x) + x * normalPdf(x), ulps: 2, atol: 1e-7, domain: [-12, 12] },
  {
    op: 'geluTanh',
    saved: 'x',
    fwd: (x) => x * sigmoid(2 * geluU(x)),
    d: (x) => {
      const s = sigmoid(2 * geluU(x));
      return s + 2 * x * s * (1 - s) * kBeta * (1 + 3 * 0.044715 * x * x);
    },
    ulps: 2,
    atol: 1e-7,
    domain: [-8, 8],
  },
  { op: 'silu', saved: 'x', fwd: (x) => x * sigmoid(x), d: (x) => sigmoid(x) * (1 + x * sigmoid(-x)), ulps: 3, atol: 1e-7, domain: [-20, 20] },
  {
    op: 'softplus',
    p: [0.5, 4],
    saved: 'x',
    fwd: (x) => (x * 0.5 > 4 ? x : Math.log1p(Math.exp(0.5 * x)) / 0.5),
    d: (x) => (x * 0.5 > 4 ? 1 : sigmoid(0.5 * x)),
    exact: (x) => (f(x * 0.5) > 4 ? 1 : sigmoid(f(x * 0.5))),
    ulps: 3,
    domain: [-30, 30],
    kinks: [8],
  },
  { op: 'clamp', p: [-1, 2], saved: 'x', fwd: (x) => clamp(x, -1, 2), d: (x) => (x >= -1 && x <= 2 ? 1 : 0), ulps: 0, domain: [-5, 5], kinks: [-1, 2] },
  { op: 'pow', p: [2.5, 0], saved: 'x', fwd: (x) => x ** 2.5, d: (x) => 2.5 * x ** 1.5, ulps: 3, domain: [1e-3, 1e6] },
  { op: 'pow', p: [3, 0], saved: 'x', fwd: (x) => x ** 3, d: (x) => 3 * x * x, ulps: 2.5, domain: [-1e6, 1e6] },
  { op: 'pow', p: [-1, 0], saved: 'x', fwd: (x) => 1 / x, d: (x) => -1 / (x * x), ulps: 3, domain: [0.01, 1e6] },
  { op: 'pow', p: [1, 0], saved: 'x', fwd: (x) => x, d: () => 1, ulps: 0, domain: [-1e6, 1e6] },
  { op: 'abs', saved: 'x', fwd: Math.abs, d: (x) => Math.sign(x), ulps: 0, domain: [-5, 5], kinks: [0] },
];

function backwardInputs(c: BackwardCase, seed: number): { xs: Float32Array; gs: Float32Array } {
  const rng = testRng(seed);
  const [lo, hi] = c.domain;
  const n = 20000;
  const xs = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // Uniform over the domain, and log-spread magnitudes within it, so both tails are met.
    const u = lo + (hi - lo) * rng();
    const m = Math.max(Math.abs(lo), Math.abs(hi));
    const w = (rng() < 0.5 ? -1 : 1) * m * 10 ** (-12 * rng());
    xs[i] = i % 2 === 0 || w < lo || w > hi ? u : w;
  }
  const gs = randomArray(rng, n, -3, 3);
  return { xs, gs };
}

describe('unary backward kernels', () => {
  backwardCases.forEach((c, k) => {
    const label = `${c.op}(${(c.p ?? []).join(', ')})`;
    it(`${label} matches grad * the analytic derivative within ${c.ulps} ulp`, () => {
      const { xs, gs } = backwardInputs(c, 500 + k);
      const saved = c.saved === 'x' ? xs : xs.map((x) => f(c.fwd(x)));
      const got = backward(c.op, gs, saved, ...(c.p ?? [0, 0]));
      const exact = c.exact ?? c.d;
      const want = Array.from(xs, (x, i) => gs[i] * exact(x));
      const worstAtol = c.atol ?? 0;
      // atol scales with |grad|: check each element against its own slack.
      for (let i = 0; i < xs.length; i++) {
        expectUlps([got[i]], [want[i]], c.ulps, worstAtol * Math.abs(gs[i]), [xs[i]]);
      }
    });

    it(`${label}: its analytic derivative matches a central finite difference`, () => {
      const rng = testRng(900 + k);
      const [lo, hi] = c.domain;
      let checked = 0;
      for (let i = 0; i < 400; i++) {
        const x = lo + (hi - lo) * rng();
        if ((c.kinks ?? []).some((q) => Math.abs(x - q) < 1e-3 * Math.max(1, Math.abs(q)))) continue;
        const h = 1e-6 * Math.max(1, Math.abs(x));
        const fd = (c.fwd(x + h) - c.fwd(x - h)) / (2 * h);
        const d = c.d(x);
        expect(Math.abs(fd - d), `at x = ${x}: finite difference ${fd}, derivative ${d}`).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(d)));
        checked++;
      }
      expect(checked).toBeGreaterThan(300);
    });
  });

  it('take PyTorch values at the kinks and at NaN', () => {
    const g = Float32Array.of(2, 2, 2);
    const xs = Float32Array.of(0, -0, NaN);
    expect(Array.from(backward('relu', g, xs))).toEqual([0, 0, 2]); // threshold_backward: x <= 0 gives 0
    expect(Array.from(backward('leakyRelu', g, xs, 0.25))).toEqual([0.5, 0.5, 0.5]);
    expect(Array.from(backward('elu', g, xs, 1.5))).toEqual([3, 3, 2]);
    expect(Array.from(backward('abs', g, xs))).toEqual([0, 0, 0]); // grad * sgn(x)
    expect(Array.from(backward('clamp', g, Float32Array.of(-1, 2, NaN), -1, 2))).toEqual([2, 2, 0]);
    expect(Array.from(backward('pow', Float32Array.of(NaN, 1, 1), xs, 0))).toEqual([0, 0, 0]); // zeros for e = 0
    for (const op of ['gelu', 'geluTanh', 'silu', 'softplus'] as const) {
      expect(backward(op, g, xs, 1, 20)[2], op).toBeNaN();
      expect(Math.abs(backward(op, Float32Array.of(1), Float32Array.of(-Infinity), 1, 20)[0]), op).toBe(0);
    }
  });

  it('run in place on grad or on saved', () => {
    const { xs, gs } = backwardInputs(backwardCases[5], 77);
    const want = backward('gelu', gs, xs);
    const g2 = gs.slice();
    native.unaryBackward(UnaryBackwardOpCode.gelu, g2, xs, g2, 0, 0);
    const x2 = xs.slice();
    native.unaryBackward(UnaryBackwardOpCode.gelu, gs, x2, x2, 0, 0);
    expect(Buffer.from(g2.buffer).equals(Buffer.from(want.buffer))).toBe(true);
    expect(Buffer.from(x2.buffer).equals(Buffer.from(want.buffer))).toBe(true);
    const p = xs.slice();
    native.unaryBackward(UnaryBackwardOpCode.pow, gs, p, p, 2.5, 0);
    expect(Buffer.from(p.buffer).equals(Buffer.from(backward('pow', gs, xs, 2.5).buffer))).toBe(true);
  });
});

describe('thread count', () => {
  it('gives bitwise identical results with 1 and 2 threads', () => {
    const rng = testRng(11);
    const n = (1 << 20) + 11;
    const xs = wideRandom(rng, n, 30);
    const gs = randomArray(rng, n, -3, 3);
    const runAll = (): Float32Array[] => [
      ...(Object.keys(UnaryOpCode) as UnaryOpName[]).map((op) => unary(op, xs, 0.7, 3)),
      ...(Object.keys(UnaryBackwardOpCode) as UnaryBackwardOpName[]).map((op) => backward(op, gs, xs, 0.7, 3)),
    ];
    native.setNumThreads(1);
    const one = runAll();
    native.setNumThreads(2);
    const two = runAll();
    for (let i = 0; i < one.length; i++) expect(Buffer.from(two[i].buffer).equals(Buffer.from(one[i].buffer))).toBe(true);
  });
});
