// The elementwise exports (unary, unaryBackward, compare, where, binaryFlat, and binary's aliasing rule)
// called wrongly: each must throw a TypeError or RangeError that names the function and what was
// wrong, and the process must go on.
import { describe, expect, it } from 'vitest';
import { BinaryOpCode, CompareOpCode, UnaryBackwardOpCode, UnaryOpCode } from '../lib/backend/addon-types';
import { native } from '../lib/backend/load';
import { throws } from './helpers/throws';

const f32 = (n: number) => new Float32Array(n);
const i32 = (n: number) => new Int32Array(n);
const u8 = (n: number) => new Uint8Array(n);


const loose = (fn: keyof typeof native) => (args: unknown[]) => () => (native[fn] as (...a: unknown[]) => unknown)(...args);

/** Every argument replaced in turn by a string must give a TypeError naming it. */
function eachArgumentTyped(fn: keyof typeof native, ok: () => unknown[], names: string[]) {
  const call = loose(fn);
  throws(TypeError, call([]), new RegExp(`tensorgrad native ${fn}: expects ${names.length} arguments, got 0`));
  throws(TypeError, call([...ok(), 0]), new RegExp(`expects ${names.length} arguments, got ${names.length + 1}`));
  names.forEach((name, i) => {
    const args = ok();
    args[i] = 'nope';
    throws(TypeError, call(args), new RegExp(`${fn}: argument ${i + 1} \\(${name}\\) must be .*, got a string`));
  });
}

/** Op codes: the last one in the TypeScript table is accepted, one past it and odd values are not. */
function opCodesChecked(fn: keyof typeof native, ok: () => unknown[], count: number) {
  const call = loose(fn);
  const withOp = (op: unknown) => [op, ...ok().slice(1)];
  expect(call(withOp(count - 1))()).toBeUndefined();
  for (const op of [count, -1, 0.5, NaN, Infinity]) {
    throws(RangeError, call(withOp(op)), new RegExp(`argument 1 \\(op\\) must be an integer in \\[0, ${count - 1}\\]`));
  }
}

describe('unary', () => {
  const ok = (): unknown[] => [UnaryOpCode.exp, f32(5), f32(5), 0, 0];
  const call = loose('unary');

  it('accepts a correct call, in place too, with any numbers as parameters', () => {
    expect(call(ok())()).toBeUndefined();
    const x = f32(5);
    expect(call([UnaryOpCode.clamp, x, x, -Infinity, NaN])()).toBeUndefined();
  });
  it('rejects wrong argument counts and types', () => {
    eachArgumentTyped('unary', ok, ['op', 'x', 'out', 'p0', 'p1']);
    throws(TypeError, call([0, new Float64Array(5), f32(5), 0, 0]), /argument 2 \(x\) must be a Float32Array, got a Float64Array/);
    throws(TypeError, call([0, f32(5), i32(5), 0, 0]), /argument 3 \(out\) must be a Float32Array, got an Int32Array/);
    throws(TypeError, call([0, f32(5), f32(5), 1n, 0]), /argument 4 \(p0\) must be a number/);
  });
  it('rejects bad op codes, lengths and overlapping buffers', () => {
    opCodesChecked('unary', ok, Object.keys(UnaryOpCode).length);
    throws(RangeError, call([0, f32(5), f32(4), 0, 0]), /unary: out has 4 elements but x has 5/);
    const shared = f32(8);
    throws(RangeError, call([0, shared.subarray(0, 4), shared.subarray(1, 5), 0, 0]), /unary: out and x must not share memory/);
    const x = f32(4);
    structuredClone(x.buffer, { transfer: [x.buffer] });
    throws(RangeError, call([0, x, f32(4), 0, 0]), /out has 4 elements but x has 0/);
  });
});

describe('unaryBackward', () => {
  const ok = (): unknown[] => [UnaryBackwardOpCode.gelu, f32(5), f32(5), f32(5), 0, 0];
  const call = loose('unaryBackward');

  it('accepts a correct call, and out as grad or saved', () => {
    expect(call(ok())()).toBeUndefined();
    const g = f32(5);
    expect(call([0, g, f32(5), g, 0, 0])()).toBeUndefined();
  });
  it('rejects wrong argument counts and types', () => {
    eachArgumentTyped('unaryBackward', ok, ['op', 'grad', 'saved', 'out', 'p0', 'p1']);
    throws(TypeError, call([0, f32(5), u8(5), f32(5), 0, 0]), /argument 3 \(saved\) must be a Float32Array, got a Uint8Array/);
  });
  it('rejects bad op codes, lengths and overlapping buffers', () => {
    opCodesChecked('unaryBackward', ok, Object.keys(UnaryBackwardOpCode).length);
    throws(RangeError, call([0, f32(5), f32(6), f32(5), 0, 0]), /unaryBackward: saved has 6 elements but grad has 5/);
    throws(RangeError, call([0, f32(5), f32(5), f32(3), 0, 0]), /out has 3 elements but grad has 5/);
    const shared = f32(12);
    throws(RangeError, call([0, shared.subarray(0, 5), f32(5), shared.subarray(2, 7), 0, 0]), /out and grad must not share memory/);
    throws(RangeError, call([0, f32(5), shared.subarray(0, 5), shared.subarray(4, 9), 0, 0]), /out and saved must not share memory/);
  });
});

describe('compare', () => {
  const ok = (): unknown[] => [CompareOpCode.lt, f32(6), [2, 3], f32(3), [3], u8(6), [2, 3]];
  const call = loose('compare');

  it('accepts a correct call', () => {
    expect(call(ok())()).toBeUndefined();
    expect(call([0, i32(6), [2, 3], i32(1), [], u8(6), [2, 3]])()).toBeUndefined();
  });
  it('rejects wrong argument counts and types', () => {
    eachArgumentTyped('compare', ok, ['op', 'a', 'aShape', 'b', 'bShape', 'out', 'outShape']);
    throws(TypeError, call([0, f32(6), [2, 3], i32(3), [3], u8(6), [2, 3]]), /compare: a and b must be both Float32Array or both Int32Array/);
    throws(TypeError, call([0, f32(6), [2, 3], f32(3), [3], f32(6), [2, 3]]), /argument 6 \(out\) must be a Uint8Array, got a Float32Array/);
    throws(TypeError, call([0, u8(6), [2, 3], f32(3), [3], u8(6), [2, 3]]), /argument 2 \(a\) must be a Float32Array or an Int32Array, got a Uint8Array/);
  });
  it('rejects bad op codes, lengths, shapes and overlapping buffers', () => {
    opCodesChecked('compare', ok, Object.keys(CompareOpCode).length);
    throws(RangeError, call([0, f32(5), [2, 3], f32(3), [3], u8(6), [2, 3]]), /a has 5 elements but its shape \[2, 3\] needs 6/);
    throws(RangeError, call([0, f32(6), [2, 3], f32(3), [3], u8(5), [2, 3]]), /out has 5 elements/);
    throws(RangeError, call([0, f32(6), [2, 3], f32(2), [2], u8(6), [2, 3]]), /shapes \[2, 3\] \(a\) and \[2\] \(b\) do not broadcast/);
    throws(RangeError, call([0, f32(6), [2, 3], f32(3), [3], u8(3), [3]]), /out has shape \[3\] but \[2, 3\] and \[3\] broadcast to \[2, 3\]/);
    throws(RangeError, call([0, f32(6), [2, -3], f32(3), [3], u8(6), [2, 3]]), /non-negative integer/);
    const a = f32(6);
    throws(RangeError, call([0, a, [2, 3], f32(3), [3], new Uint8Array(a.buffer, 0, 6), [2, 3]]), /out and a must not share memory/);
  });
});

describe('where', () => {
  const ok = (): unknown[] => [u8(6), [2, 3], f32(3), [3], f32(2), [2, 1], f32(6), [2, 3]];
  const call = loose('where');

  it('accepts a correct call, and out as a when a has its shape', () => {
    expect(call(ok())()).toBeUndefined();
    const a = i32(6);
    expect(call([u8(1), [], a, [2, 3], i32(1), [1], a, [2, 3]])()).toBeUndefined();
  });
  it('rejects wrong argument counts and types', () => {
    eachArgumentTyped('where', ok, ['cond', 'condShape', 'a', 'aShape', 'b', 'bShape', 'out', 'outShape']);
    throws(TypeError, call([f32(6), [2, 3], f32(3), [3], f32(2), [2, 1], f32(6), [2, 3]]), /argument 1 \(cond\) must be a Uint8Array, got a Float32Array/);
    throws(TypeError, call([u8(6), [2, 3], f32(3), [3], i32(2), [2, 1], f32(6), [2, 3]]), /where: a, b and out must be all Float32Array or all Int32Array/);
    throws(TypeError, call([u8(6), [2, 3], i32(3), [3], i32(2), [2, 1], f32(6), [2, 3]]), /all Float32Array or all Int32Array/);
  });
  it('rejects lengths, shapes and overlapping buffers', () => {
    throws(RangeError, call([u8(5), [2, 3], f32(3), [3], f32(2), [2, 1], f32(6), [2, 3]]), /cond has 5 elements but its shape \[2, 3\] needs 6/);
    throws(RangeError, call([u8(6), [2, 3], f32(3), [3], f32(3), [3, 1], f32(9), [3, 3]]), /shapes \[2, 3\] \(cond\) and \[3, 3\] \(a and b together\) do not broadcast/);
    throws(RangeError, call([u8(6), [2, 3], f32(3), [3], f32(2), [2], f32(6), [2, 3]]), /shapes \[3\] \(a\) and \[2\] \(b\) do not broadcast/);
    throws(RangeError, call([u8(2), [2, 1], f32(3), [3], f32(1), [], f32(3), [3]]), /out has shape \[3\] but \[2, 1\], \[3\] and \[\] broadcast to \[2, 3\]/);
    const a = f32(6);
    // a broadcasts into out, so out may not be a: a row written early would be read again later.
    throws(RangeError, call([u8(6), [2, 3], a.subarray(0, 3), [3], f32(1), [], a, [2, 3]]), /out and a must not share memory/);
    throws(RangeError, call([u8(6), [2, 3], f32(6), [2, 3], a.subarray(0, 3), [3], a, [2, 3]]), /out and b must not share memory/);
    const c = new Uint8Array(a.buffer, 0, 6);
    throws(RangeError, call([c, [2, 3], f32(6), [2, 3], f32(6), [2, 3], a, [2, 3]]), /out and cond must not share memory/);
  });
});

describe('binary', () => {
  it('allows out to be an operand of its shape, and refuses partial overlaps', () => {
    const a = f32(6);
    expect(native.binary(0, a, [2, 3], f32(3), [3], a, [2, 3])).toBeUndefined();
    throws(RangeError, () => native.binary(0, a.subarray(0, 3), [3], f32(6), [2, 3], a, [2, 3]), /binary: out and a must not share memory/);
    const big = f32(12);
    throws(RangeError, () => native.binary(0, f32(6), [2, 3], big.subarray(0, 6), [2, 3], big.subarray(3, 9), [2, 3]), /out and b must not share memory/);
  });
});

describe('binaryFlat', () => {
  const ok = (): unknown[] => [BinaryOpCode.mul, f32(5), f32(5), f32(5)];
  const call = loose('binaryFlat');

  it('accepts a correct call, in place on either operand, and Int32Arrays', () => {
    expect(call(ok())()).toBeUndefined();
    const a = f32(5);
    expect(call([BinaryOpCode.add, a, f32(5), a])()).toBeUndefined();
    expect(call([BinaryOpCode.add, f32(5), a, a])()).toBeUndefined();
    expect(call([BinaryOpCode.sub, i32(3), i32(3), i32(3)])()).toBeUndefined();
    expect(call([BinaryOpCode.add, f32(0), f32(0), f32(0)])()).toBeUndefined();
  });
  it('rejects wrong argument counts, types and mixed element types', () => {
    eachArgumentTyped('binaryFlat', ok, ['op', 'a', 'b', 'out']);
    throws(TypeError, call([0, f32(3), i32(3), f32(3)]), /binaryFlat: a, b and out must be all Float32Array or all Int32Array/);
    throws(TypeError, call([BinaryOpCode.pow, i32(3), i32(3), i32(3)]), /binaryFlat: this op takes Float32Array operands only/);
  });
  it('rejects bad op codes, lengths that differ and overlapping buffers', () => {
    opCodesChecked('binaryFlat', ok, Object.keys(BinaryOpCode).length);
    throws(RangeError, call([0, f32(5), f32(4), f32(5)]), /binaryFlat: a, b and out must have one length, got 5, 4 and 5/);
    throws(RangeError, call([0, f32(5), f32(5), f32(6)]), /must have one length, got 5, 5 and 6/);
    const shared = f32(8);
    throws(RangeError, call([0, shared.subarray(0, 4), f32(4), shared.subarray(1, 5)]), /binaryFlat: out and a must not share memory/);
    throws(RangeError, call([0, f32(4), shared.subarray(2, 6), shared.subarray(0, 4)]), /binaryFlat: out and b must not share memory/);
  });
});
