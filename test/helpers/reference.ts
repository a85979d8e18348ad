/** Plain float64 reference implementations and random inputs for the kernel tests. */
import { expect } from 'vitest';

/** A small seeded PRNG (mulberry32) for test inputs, independent of the library's generator. */
export function testRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomArray(rng: () => number, n: number, lo = -2, hi = 2): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * rng();
  return a;
}

export function randomInts(rng: () => number, n: number, lo = -50, hi = 50): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = lo + Math.floor((hi - lo) * rng());
  return a;
}

export function numelOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function stridesOf(shape: readonly number[]): number[] {
  const s: number[] = [];
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = step;
    step *= shape[d];
  }
  return s;
}

export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return null;
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Element offset in a tensor of `shape` for an index of the broadcast `out` shape. */
function broadcastOffset(index: number[], shape: readonly number[], outRank: number): number {
  const strides = stridesOf(shape);
  let off = 0;
  for (let d = 0; d < shape.length; d++) {
    const i = index[outRank - shape.length + d];
    off += (shape[d] === 1 ? 0 : i) * strides[d];
  }
  return off;
}

/** Row-major index -> multi-index. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return idx;
}

export function refBinary(
  f: (x: number, y: number) => number,
  a: ArrayLike<number>,
  aShape: readonly number[],
  b: ArrayLike<number>,
  bShape: readonly number[],
): { values: Float64Array; shape: number[] } {
  const shape = broadcastShape(aShape, bShape);
  if (!shape) throw new Error('reference: shapes do not broadcast');
  const n = numelOf(shape);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, shape);
    values[i] = f(a[broadcastOffset(idx, aShape, shape.length)], b[broadcastOffset(idx, bShape, shape.length)]);
  }
  return { values, shape };
}

/** Batched matmul of [..., M, K] and [..., K, N] (both rank >= 2), batch dims broadcast. */
export function refMatmul(
  a: ArrayLike<number>,
  aShape: readonly number[],
  b: ArrayLike<number>,
  bShape: readonly number[],
): { values: Float64Array; shape: number[] } {
  const [M, K] = aShape.slice(-2);
  const N = bShape[bShape.length - 1];
  const batch = broadcastShape(aShape.slice(0, -2), bShape.slice(0, -2));
  if (!batch) throw new Error('reference: batch dims do not broadcast');
  const nb = numelOf(batch);
  const values = new Float64Array(nb * M * N);
  for (let t = 0; t < nb; t++) {
    const idx = unravel(t, batch);
    const ao = broadcastOffset(idx, aShape.slice(0, -2), batch.length) * M * K;
    const bo = broadcastOffset(idx, bShape.slice(0, -2), batch.length) * K * N;
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let p = 0; p < K; p++) s += a[ao + i * K + p] * b[bo + p * N + j];
        values[t * M * N + i * N + j] = s;
      }
  }
  return { values, shape: [...batch, M, N] };
}

/** Asserts |actual - expected| <= atol + rtol * |expected| everywhere, naming the worst index. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-5, atol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (e === a) continue;
    const excess = Math.abs(a - e) - (atol + rtol * Math.abs(e));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`index ${worst}: got ${actual[worst]}, expected ${expected[worst]} (rtol ${rtol}, atol ${atol})`);
  }
}

/** Random shapes for broadcasting tests: pairs that broadcast, with size-1, empty and odd dims. */
export function randomBroadcastPair(rng: () => number): [number[], number[]] {
  const rank = Math.floor(rng() * 5);
  const sizes = [0, 1, 1, 2, 3, 5, 7, 13, 31];
  const out = Array.from({ length: rank }, () => sizes[1 + Math.floor(rng() * (sizes.length - 1))]);
  if (rank > 0 && rng() < 0.1) out[Math.floor(rng() * rank)] = 0;
  const derive = (): number[] => {
    const drop = Math.floor(rng() * (rank + 1));
    return out.slice(drop).map((d) => (rng() < 0.3 ? 1 : d));
  };
  return [derive(), derive()];
}

/** out = f(a, b, c) over three operands broadcast together, NumPy style. */
export function refTernary(
  f: (x: number, y: number, z: number) => number,
  a: ArrayLike<number>,
  aShape: readonly number[],
  b: ArrayLike<number>,
  bShape: readonly number[],
  c: ArrayLike<number>,
  cShape: readonly number[],
): { values: Float64Array; shape: number[] } {
  const ab = broadcastShape(aShape, bShape);
  const shape = ab && broadcastShape(ab, cShape);
  if (!shape) throw new Error('reference: shapes do not broadcast');
  const n = numelOf(shape);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, shape);
    const at = (s: readonly number[]) => broadcastOffset(idx, s, shape.length);
    values[i] = f(a[at(aShape)], b[at(bShape)], c[at(cShape)]);
  }
  return { values, shape };
}

/** Three shapes that broadcast together, drawn like randomBroadcastPair. */
export function randomBroadcastTriple(rng: () => number): [number[], number[], number[]] {
  const [a, b] = randomBroadcastPair(rng);
  const out = broadcastShape(a, b) ?? [];
  const drop = Math.floor(rng() * (out.length + 1));
  const c = out.slice(drop).map((d) => (rng() < 0.3 ? 1 : d));
  return [a, b, c];
}

/** The spacing of float32 values at |v| (the subnormal spacing below the normal range). */
export function ulp32(v: number): number {
  const a = Math.abs(v);
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

/**
 * Asserts that float32 results are within maxUlps float32 ulps of exact float64 values, plus
 * atol where a formula cancels. NaN must meet NaN; a value past the float32 range must meet the
 * infinity it rounds to. Returns the worst error in ulps, for reporting.
 */
export function expectUlps(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  maxUlps: number,
  atol = 0,
  inputs?: ArrayLike<number>,
): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const got = actual[i];
    const want = expected[i];
    const rounded = Math.fround(want);
    let err: number;
    if (Number.isNaN(want) || Number.isNaN(got)) err = Number.isNaN(want) && Number.isNaN(got) ? 0 : Infinity;
    else if (!Number.isFinite(rounded) || !Number.isFinite(got)) err = got === rounded ? 0 : Infinity;
    else err = Math.max(0, Math.abs(got - want) - atol) / ulp32(want);
    if (err > maxUlps) {
      const at = inputs ? ` (input ${inputs[i]})` : '';
      expect.fail(`index ${i}${at}: got ${got}, expected ${want}: ${err.toFixed(2)} ulp > ${maxUlps} (atol ${atol})`);
    }
    worst = Math.max(worst, err);
  }
  return worst;
}

/** Float32 values that break careless kernels: zeros, subnormals, extremes, infinities, NaN. */
export const specialFloats: readonly number[] = [
  0, -0, 1, -1, 0.5, -0.5, 2, -2, 1e-45, -1e-45, 1e-40, -1e-40, 1.1754942e-38, -1.1754942e-38,
  1e-30, -1e-30, 1e-7, -1e-7, 3.4028235e38, -3.4028235e38, 1e30, -1e30, 88.72, -88.72, 89, -89,
  103, -103, 20, -20, 10, -10, Infinity, -Infinity, NaN,
].map(Math.fround);

/**
 * n float32 values: a third uniform in [-lo, lo], the rest with random sign and magnitudes spread
 * evenly in log scale over [1e-40, 1e38], so every exponent range is met.
 */
export function wideRandom(rng: () => number, n: number, lo = 10): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const sign = rng() < 0.5 ? -1 : 1;
    a[i] = i % 3 === 0 ? lo * (2 * rng() - 1) : sign * 10 ** (-40 + 78 * rng());
  }
  return a;
}

/** erf in float64, to about 1e-15: a series below 2.5, the continued fraction of erfc above. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a >= 2.5) return Math.sign(x) * (1 - erfcLarge(a));
  // erf(a) = 2/sqrt(pi) e^(-a^2) sum 2^n a^(2n+1) / (1 3 5 ... (2n+1)): positive terms only.
  let term = a;
  let sum = a;
  for (let n = 1; n < 300 && term > sum * 1e-17; n++) {
    term *= (2 * a * a) / (2 * n + 1);
    sum += term;
  }
  return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * Math.exp(-a * a) * sum;
}

/** erfc in float64 with its relative accuracy kept in the right tail. */
export function erfc(x: number): number {
  return x < 2.5 ? 1 - erf(x) : erfcLarge(x);
}

function erfcLarge(x: number): number {
  if (x === Infinity) return 0;
  // e^(-x^2) / sqrt(pi) / (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...)))), evaluated backwards.
  let f = x;
  for (let k = 80; k >= 1; k--) f = x + k / 2 / f;
  return Math.exp(-x * x) / Math.sqrt(Math.PI) / f;
}
