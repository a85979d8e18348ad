// Every function the addon exports, called wrongly: each must throw a TypeError or RangeError
// that says what was wrong, and the process must go on.
import { describe, expect, it } from 'vitest';
import { native } from '../lib/backend/load';
import { throws } from './helpers/throws';

const f32 = (n: number) => new Float32Array(n);
const i32 = (n: number) => new Int32Array(n);
const huge = 2 ** 40;


describe('binary', () => {
  const ok = (): unknown[] => [0, f32(6), [2, 3], f32(3), [3], f32(6), [2, 3]];
  const call = (args: unknown[]) => () => (native.binary as (...a: unknown[]) => void)(...args);

  it('accepts a correct call', () => {
    expect(call(ok())()).toBeUndefined();
  });
  it('rejects wrong argument counts and types', () => {
    throws(TypeError, call([]), /expects 7 arguments, got 0/);
    throws(TypeError, call(ok().slice(0, 6)), /expects 7 arguments/);
    for (let i = 0; i < 7; i++) {
      const args = ok();
      args[i] = 'nope';
      throws(TypeError, call(args), /argument \d \(\w+\)/);
    }
    const args = ok();
    args[1] = new Float64Array(6);
    throws(TypeError, call(args), /Float64Array/);
    throws(TypeError, call([0, i32(6), [2, 3], f32(3), [3], f32(6), [2, 3]]), /all Float32Array or all Int32Array/);
    throws(TypeError, call([0, f32(6), [2, 'x'], f32(3), [3], f32(6), [2, 3]]), /must hold numbers/);
  });
  it('rejects bad op codes, lengths and shapes', () => {
    throws(RangeError, call([99, f32(6), [2, 3], f32(3), [3], f32(6), [2, 3]]), /op/);
    throws(RangeError, call([-1, f32(6), [2, 3], f32(3), [3], f32(6), [2, 3]]), /op/);
    throws(RangeError, call([0.5, f32(6), [2, 3], f32(3), [3], f32(6), [2, 3]]), /op/);
    throws(RangeError, call([0, f32(5), [2, 3], f32(3), [3], f32(6), [2, 3]]), /a has 5 elements but its shape \[2, 3\] needs 6/);
    throws(RangeError, call([0, f32(6), [2, 3], f32(4), [4], f32(6), [2, 3]]), /do not broadcast/);
    throws(RangeError, call([0, f32(6), [2, 3], f32(3), [3], f32(3), [3]]), /broadcast to \[2, 3\]/);
    throws(RangeError, call([0, f32(6), [2, -3], f32(3), [3], f32(6), [2, 3]]), /non-negative integer/);
    throws(RangeError, call([0, f32(6), [2, 1.5], f32(3), [3], f32(6), [2, 3]]), /non-negative integer/);
    throws(RangeError, call([0, f32(6), [2, NaN], f32(3), [3], f32(6), [2, 3]]), /non-negative integer/);
    throws(RangeError, call([0, f32(0), [huge, huge, 0], f32(3), [3], f32(0), [huge, huge, 0]]), /too many elements/);
    throws(RangeError, call([0, f32(1), new Array(17).fill(1), f32(1), [1], f32(1), [1]]), /at most 16/);
  });
  it('refuses integer division, which the library does in float32', () => {
    throws(TypeError, call([3, i32(3), [3], i32(3), [3], i32(3), [3]]), /Float32Array operands only/);
  });
});

describe('matmul', () => {
  const ok = (): unknown[] => [f32(6), [2, 3], false, f32(12), [3, 4], false, f32(8), [2, 4]];
  const call = (args: unknown[]) => () => (native.matmul as (...a: unknown[]) => void)(...args);

  it('accepts a correct call', () => {
    expect(call(ok())()).toBeUndefined();
  });
  it('rejects wrong types', () => {
    throws(TypeError, call([]), /expects 8 arguments/);
    for (let i = 0; i < 8; i++) {
      const args = ok();
      args[i] = i === 2 || i === 5 ? 1 : 'nope';
      throws(TypeError, call(args), /argument/);
    }
    throws(TypeError, call([i32(6), [2, 3], false, f32(12), [3, 4], false, f32(8), [2, 4]]), /Float32Array/);
  });
  it('rejects shapes that do not multiply, and outputs that overlap inputs', () => {
    throws(RangeError, call([f32(6), [2, 3], false, f32(8), [4, 2], false, f32(4), [2, 2]]), /inner sizes 3 and 4 differ/);
    throws(RangeError, call([f32(6), [6], false, f32(12), [3, 4], false, f32(8), [2, 4]]), /at least 2 dimensions/);
    throws(RangeError, call([f32(6), [2, 3], false, f32(12), [3, 4], false, f32(9), [3, 3]]), /expected \[2, 4\]/);
    throws(RangeError, call([f32(12), [2, 2, 3], false, f32(36), [3, 3, 4], false, f32(16), [2, 2, 4]]), /batch dims/);
    throws(RangeError, call([f32(6), [2, 3], false, f32(11), [3, 4], false, f32(8), [2, 4]]), /b has 11 elements/);
    const shared = f32(16);
    throws(RangeError, call([shared.subarray(0, 4), [2, 2], false, f32(4), [2, 2], false, shared.subarray(2, 6), [2, 2]]), /share memory/);
  });
});

describe('gemm', () => {
  const ok = (): unknown[] => [f32(6), false, f32(12), false, f32(8), 2, 4, 3];
  const call = (args: unknown[]) => () => (native.gemm as (...a: unknown[]) => void)(...args);

  it('accepts a correct call, transposed operands and empty products', () => {
    expect(call(ok())()).toBeUndefined();
    expect(call([f32(6), true, f32(12), true, f32(8), 2, 4, 3])()).toBeUndefined();
    expect(call([f32(0), false, f32(0), false, f32(8), 2, 4, 0])()).toBeUndefined();
    expect(call([f32(0), false, f32(12), false, f32(0), 0, 4, 3])()).toBeUndefined();
  });
  it('rejects wrong argument counts and types', () => {
    throws(TypeError, call([]), /gemm: expects 8 arguments, got 0/);
    for (let i = 0; i < 8; i++) {
      const args = ok();
      args[i] = 'nope';
      throws(TypeError, call(args), new RegExp(`gemm: argument ${i + 1} \\(\\w+\\) must be`));
    }
    throws(TypeError, call([i32(6), false, f32(12), false, f32(8), 2, 4, 3]), /argument 1 \(a\) must be a Float32Array/);
    throws(TypeError, call([f32(6), 0, f32(12), false, f32(8), 2, 4, 3]), /argument 2 \(transA\) must be a boolean/);
  });
  it('rejects sizes that are not integers below 2^31, lengths that do not match, and overlaps', () => {
    for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 31]) {
      throws(RangeError, call([f32(6), false, f32(12), false, f32(8), bad, 4, 3]), /argument 6 \(m\) must be an integer in \[0, 2147483647\]/);
    }
    throws(RangeError, call([f32(6), false, f32(8), false, f32(8), 2, 4, 3]), /gemm: b has 8 elements, expected k x n = 3 x 4/);
    throws(RangeError, call([f32(5), false, f32(12), false, f32(8), 2, 4, 3]), /a has 5 elements, expected m x k = 2 x 3/);
    throws(RangeError, call([f32(6), false, f32(12), false, f32(9), 2, 4, 3]), /out has 9 elements, expected m x n = 2 x 4/);
    throws(RangeError, call([f32(0), false, f32(0), false, f32(0), 2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1]), /a has 0 elements/);
    const shared = f32(16);
    throws(RangeError, call([shared.subarray(0, 4), false, f32(4), false, shared.subarray(2, 6), 2, 2, 2]), /out and a must not share memory/);
    throws(RangeError, call([f32(4), false, shared.subarray(0, 4), false, shared.subarray(3, 7), 2, 2, 2]), /out and b must not share memory/);
  });
});

describe('linear', () => {
  const ok = (): unknown[] => [f32(6), f32(12), f32(4), false, f32(8), 2, 4, 3];
  const call = (args: unknown[]) => () => (native.linear as (...a: unknown[]) => void)(...args);

  it('accepts a correct call, with or without bias', () => {
    expect(call(ok())()).toBeUndefined();
    const noBias = ok();
    noBias[2] = null;
    expect(call(noBias)()).toBeUndefined();
  });
  it('rejects wrong types, sizes and overlaps', () => {
    throws(TypeError, call(ok().slice(1)), /expects 8 arguments/);
    for (const i of [0, 1, 2, 4]) {
      const args = ok();
      args[i] = [1, 2];
      throws(TypeError, call(args), /Float32Array/);
    }
    const notBool = ok();
    notBool[3] = 1;
    throws(TypeError, call(notBool), /boolean/);
    throws(RangeError, call([f32(6), f32(12), f32(4), false, f32(8), 2, 4, -3]), /argument 8 \(k\) must be an integer/);
    throws(RangeError, call([f32(6), f32(10), f32(4), false, f32(8), 2, 4, 3]), /w has 10 elements, expected n x k = 4 x 3/);
    throws(RangeError, call([f32(6), f32(12), f32(3), false, f32(8), 2, 4, 3]), /bias has 3 elements, expected n = 4/);
    throws(RangeError, call([f32(6), f32(12), null, false, f32(6), 2, 4, 3]), /out has 6 elements, expected m x n = 2 x 4/);
    const shared = f32(20);
    throws(RangeError, call([shared.subarray(0, 6), f32(12), null, false, shared.subarray(4, 12), 2, 4, 3]), /share memory/);
  });
});

describe('random fills', () => {
  const fns = ['randomUniform', 'randomNormal', 'randomBernoulli'] as const;
  it('reject bad generator state and parameters', () => {
    for (const fn of fns) {
      const f = native[fn] as (...a: unknown[]) => void;
      const tail = fn === 'randomBernoulli' ? [0.5] : [0, 1];
      expect(f(f32(5), 1, 2, 3, ...tail)).toBeUndefined();
      throws(TypeError, () => f(i32(5), 1, 2, 3, ...tail), /Float32Array/);
      throws(RangeError, () => f(f32(5), -1, 2, 3, ...tail), /keyLo/);
      throws(RangeError, () => f(f32(5), 1, 2 ** 32, 3, ...tail), /keyHi/);
      throws(RangeError, () => f(f32(5), 1, 2, 2 ** 53, ...tail), /counter/);
      throws(TypeError, () => f(f32(5), 1, 2, 3), /arguments/);
      throws(RangeError, () => f(f32(5), 1, 2, 3, ...tail.map(() => NaN)), /finite/);
    }
    throws(RangeError, () => native.randomUniform(f32(2), 0, 0, 0, 1, 0), /low must not exceed high/);
    throws(RangeError, () => native.randomNormal(f32(2), 0, 0, 0, 0, -1), /std/);
    throws(RangeError, () => native.randomBernoulli(f32(2), 0, 0, 0, 1.5), /\[0, 1\]/);
  });
  it('randomInt checks its range', () => {
    expect(native.randomInt(i32(3), 0, 0, 0, -5, 5)).toBeUndefined();
    throws(TypeError, () => native.randomInt(f32(3) as unknown as Int32Array, 0, 0, 0, 0, 5), /Int32Array/);
    throws(RangeError, () => native.randomInt(i32(3), 0, 0, 0, 5, 5), /high must exceed low/);
    throws(RangeError, () => native.randomInt(i32(3), 0, 0, 0, 0, 2 ** 40), /high/);
    throws(RangeError, () => native.randomInt(i32(3), 0, 0, 0, 0.5, 3), /low/);
  });
});

describe('runtime functions', () => {
  it('check their arguments', () => {
    throws(TypeError, () => (native.buildInfo as (...a: unknown[]) => unknown)(1), /expects 0 arguments/);
    throws(TypeError, () => (native.setNumThreads as (...a: unknown[]) => unknown)('2'), /number/);
    throws(RangeError, () => native.setNumThreads(0), /\[1, 1024\]/);
    throws(RangeError, () => native.setNumThreads(1e9), /\[1, 1024\]/);
    throws(TypeError, () => (native.getNumThreads as (...a: unknown[]) => unknown)(1), /expects 0 arguments/);
    const gap = native.alignmentGap as (...a: unknown[]) => unknown;
    throws(TypeError, () => gap(f32(4), 0), /must be an ArrayBuffer, got a Float32Array/);
    throws(TypeError, () => gap(new ArrayBuffer(8)), /expects 2 arguments/);
    throws(RangeError, () => gap(new ArrayBuffer(8), 9), /\[0, 8\]/);
    throws(RangeError, () => gap(new ArrayBuffer(8), -1), /\[0, 8\]/);
    throws(RangeError, () => gap(new ArrayBuffer(8), 0.5), /integer/);
  });
  it('say how far a buffer lies from a 64-byte boundary', () => {
    const buffer = new ArrayBuffer(256);
    const g = native.alignmentGap(buffer, 0);
    expect(g).toBeGreaterThanOrEqual(0);
    expect(g).toBeLessThan(64);
    for (let at = 0; at <= 128; at += 4) expect(native.alignmentGap(buffer, at)).toBe((g - at + 64 * 4) % 64);
    expect(native.alignmentGap(new ArrayBuffer(0), 0)).toBeLessThan(64);
  });
  it('survive detached buffers', () => {
    const a = f32(4);
    structuredClone(a.buffer, { transfer: [a.buffer] });
    throws(RangeError, () => native.binary(0, a, [2, 2], f32(4), [2, 2], f32(4), [2, 2]), /has 0 elements/);
    expect(native.alignmentGap(a.buffer, 0)).toBeLessThan(64);
    throws(RangeError, () => native.alignmentGap(a.buffer, 4), /\[0, 0\]/);
  });
});
