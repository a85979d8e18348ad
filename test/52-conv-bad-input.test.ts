// The convolution and pooling exports called wrongly: each case throws a TypeError or RangeError
// that names the function and what was wrong, and the process goes on.
import { describe, expect, it } from 'vitest';
import type { NativeAddon } from '../lib/backend/addon-types';
import { native } from '../lib/backend/load';
import { throws } from './helpers/throws';

const f32 = (n: number) => new Float32Array(n);
const i32 = (n: number) => new Int32Array(n);

/**
 * The shared checks: a correct call works; a wrong argument count is a TypeError; each argument
 * replaced by a string is a TypeError that names that argument. Returns call(args) and
 * with_(i, v), the correct call with argument i replaced by v.
 */
function basics(fn: keyof NativeAddon, names: string[], ok: () => unknown[]) {
  const call = (args: unknown[]) => () => (native[fn] as (...a: unknown[]) => unknown)(...args);
  const with_ = (i: number, v: unknown) => call(ok().map((a, k) => (k === i ? v : a)));
  it('accepts a correct call', () => {
    expect(call(ok())()).toBeUndefined();
  });
  it('rejects a wrong argument count', () => {
    throws(TypeError, call([]), new RegExp(`^tensorgrad native ${fn}: expects ${names.length} arguments, got 0`));
    throws(TypeError, call([...ok(), 1]), /expects \d+ arguments/);
  });
  it('names each argument of the wrong type', () => {
    names.forEach((name, i) => {
      const args = ok();
      args[i] = 'nope';
      throws(TypeError, call(args), new RegExp(`${fn}: argument ${i + 1} \\(${name}\\)`));
    });
  });
  return { call, with_ };
}

/** Checks of stride, padding, dilation and groups at arguments i .. i + 3, shared by the conv exports. */
function convParamChecks(with_: (i: number, v: unknown) => () => unknown, i: number) {
  for (const bad of [[0, 1], [1, -1], [2 ** 31, 1]]) throws(RangeError, with_(i, bad), /stride must hold integers in \[1, 2147483647\], got \[/);
  throws(RangeError, with_(i, [1.5, 1]), /stride\) entry 0 must be an integer, got 1.5/);
  throws(RangeError, with_(i, [1]), /argument \d+ \(stride\) must have 2 entries, got 1/);
  throws(TypeError, with_(i, [1, '1']), /stride\) entry 1 is a string/);
  throws(RangeError, with_(i + 1, [-1, 0]), /padding must hold integers in \[0, 2147483647\]/);
  throws(RangeError, with_(i + 1, [0, 0, 0]), /padding\) must have 2 or 4 entries, got 3/);
  throws(RangeError, with_(i + 2, [1, 0]), /dilation must hold integers in \[1, 2147483647\]/);
  for (const g of [0, -1, 0.5, NaN]) throws(RangeError, with_(i + 3, g), /groups\) must be an integer in \[1, 2147483647\]/);
}

describe('conv2d', () => {
  // x [2, 4, 6, 6], weight [6, 2, 3, 3], groups 2 -> out [2, 6, 4, 4]
  const ok = (): unknown[] => [f32(288), [2, 4, 6, 6], f32(108), [6, 2, 3, 3], f32(6), [1, 1], [0, 0], [1, 1], 2, false, f32(192), [2, 6, 4, 4]];
  const { call, with_ } = basics('conv2d', ['x', 'xShape', 'weight', 'weightShape', 'bias', 'stride', 'padding', 'dilation', 'groups', 'relu', 'out', 'outShape'], ok);

  it('checks shapes, lengths, groups and the output shape', () => {
    throws(RangeError, with_(0, f32(287)), /x has 287 elements but its shape \[2, 4, 6, 6\] needs 288/);
    throws(RangeError, with_(1, [4, 6, 6]), /xShape must be 4-d \[n, c, h, w\], got \[4, 6, 6\]/);
    throws(RangeError, with_(1, [2, 4, 6, 2 ** 31]), /has a size above 2147483647/);
    throws(RangeError, with_(3, [6, 2, 3]), /weightShape must be 4-d/);
    throws(RangeError, with_(2, f32(100)), /weight has 100 elements but its shape \[6, 2, 3, 3\] needs 108/);
    throws(RangeError, with_(4, f32(5)), /bias has 5 elements, expected 6/);
    throws(TypeError, with_(4, i32(6)), /argument 5 \(bias\) must be a Float32Array or null, got an Int32Array/);
    throws(RangeError, call([f32(288), [2, 4, 6, 6], f32(108), [6, 2, 3, 3], null, [1, 1], [0, 0], [1, 1], 1, false, f32(192), [2, 6, 4, 4]]),
      /Given groups=1, weight of size \[6, 2, 3, 3\], expected input\[2, 4, 6, 6\] to have 2 channels, but got 4 channels instead/);
    throws(RangeError, with_(8, 4), /groups \(4\) must divide the output channels 6 of weightShape \[6, 2, 3, 3\]/);
    throws(RangeError, call([f32(288), [2, 4, 6, 6], f32(0), [6, 2, 0, 3], null, [1, 1], [0, 0], [1, 1], 2, false, f32(0), [2, 6, 7, 4]]), /weightShape \[6, 2, 0, 3\] has an empty kernel/);
    throws(RangeError, with_(11, [2, 6, 4, 5]), /out has shape \[2, 6, 4, 5\], expected \[2, 6, 4, 4\]/);
    throws(RangeError, with_(7, [3, 3]), /Calculated padded input size per channel: \(6 x 6\)\. Kernel size: \(7 x 7\)\. Kernel size can't be greater than actual input size/);
    throws(RangeError, with_(6, [1, 0, 2, 1]), /out has shape \[2, 6, 4, 4\], expected \[2, 6, 5, 7\]/);
  });
  it('checks stride, padding, dilation and groups', () => convParamChecks(with_, 5));
  it('refuses an output that shares memory with an input', () => {
    const buf = new Float32Array(600);
    throws(RangeError, call([buf.subarray(100, 388), [2, 4, 6, 6], f32(108), [6, 2, 3, 3], f32(6), [1, 1], [0, 0], [1, 1], 2, false, buf.subarray(0, 192), [2, 6, 4, 4]]), /out and x must not share memory/);
    throws(RangeError, call([f32(288), [2, 4, 6, 6], buf.subarray(0, 108), [6, 2, 3, 3], f32(6), [1, 1], [0, 0], [1, 1], 2, false, buf.subarray(100, 292), [2, 6, 4, 4]]), /out and weight must not share memory/);
    throws(RangeError, call([f32(288), [2, 4, 6, 6], f32(108), [6, 2, 3, 3], buf.subarray(190, 196), [1, 1], [0, 0], [1, 1], 2, false, buf.subarray(0, 192), [2, 6, 4, 4]]), /out and bias must not share memory/);
  });
});

describe('conv2dBackwardInput', () => {
  const ok = (): unknown[] => [f32(192), [2, 6, 4, 4], f32(108), [6, 2, 3, 3], [1, 1], [0, 0], [1, 1], 2, f32(288), [2, 4, 6, 6]];
  const { call, with_ } = basics('conv2dBackwardInput', ['gradOut', 'gradOutShape', 'weight', 'weightShape', 'stride', 'padding', 'dilation', 'groups', 'gradInput', 'gradInputShape'], ok);

  it('checks the shapes against each other and the lengths', () => {
    throws(RangeError, with_(1, [2, 6, 4, 3]), /gradOut has shape \[2, 6, 4, 3\], expected \[2, 6, 4, 4\]/);
    throws(RangeError, with_(0, f32(191)), /gradOut has 191 elements but its shape \[2, 6, 4, 4\] needs 192/);
    throws(RangeError, with_(8, f32(200)), /gradInput has 200 elements/);
    throws(RangeError, with_(9, [2, 3, 6, 6]), /expected input\[2, 3, 6, 6\] to have 4 channels, but got 3/);
    throws(RangeError, with_(9, [2, 4, 6]), /gradInputShape must be 4-d/);
  });
  it('checks stride, padding, dilation and groups', () => convParamChecks(with_, 4));
  it('refuses a gradInput that shares memory with an input', () => {
    const buf = new Float32Array(600);
    throws(RangeError, call([buf.subarray(0, 192), [2, 6, 4, 4], f32(108), [6, 2, 3, 3], [1, 1], [0, 0], [1, 1], 2, buf.subarray(191, 479), [2, 4, 6, 6]]), /gradInput and gradOut must not share memory/);
    throws(RangeError, call([f32(192), [2, 6, 4, 4], buf.subarray(0, 108), [6, 2, 3, 3], [1, 1], [0, 0], [1, 1], 2, buf.subarray(0, 288), [2, 4, 6, 6]]), /gradInput and weight must not share memory/);
  });
});

describe('conv2dBackwardWeight', () => {
  const ok = (): unknown[] => [f32(192), [2, 6, 4, 4], f32(288), [2, 4, 6, 6], [1, 1], [0, 0], [1, 1], 2, f32(108), [6, 2, 3, 3], f32(6)];
  const { call, with_ } = basics('conv2dBackwardWeight', ['gradOut', 'gradOutShape', 'x', 'xShape', 'stride', 'padding', 'dilation', 'groups', 'gradWeight', 'gradWeightShape', 'gradBias'], ok);

  it('takes null for either gradient', () => {
    expect(with_(8, null)()).toBeUndefined();
    expect(with_(10, null)()).toBeUndefined();
  });
  it('checks the shapes against each other and the lengths', () => {
    throws(RangeError, with_(1, [2, 6, 5, 4]), /gradOut has shape \[2, 6, 5, 4\], expected \[2, 6, 4, 4\]/);
    throws(RangeError, with_(8, f32(107)), /gradWeight has 107 elements but its shape \[6, 2, 3, 3\] needs 108/);
    throws(RangeError, with_(10, f32(7)), /gradBias has 7 elements, expected 6/);
    throws(RangeError, with_(2, f32(287)), /x has 287 elements/);
    throws(RangeError, with_(9, [6, 4, 3, 3]), /expected input\[2, 4, 6, 6\] to have 8 channels, but got 4/);
  });
  it('checks stride, padding, dilation and groups', () => convParamChecks(with_, 4));
  it('refuses gradients that share memory with the inputs or each other', () => {
    const buf = new Float32Array(600);
    const at = (i: number, v: unknown, j?: number, w?: unknown) => call(ok().map((a, k) => (k === i ? v : k === j ? w : a)));
    throws(RangeError, at(0, buf.subarray(0, 192), 8, buf.subarray(100, 208)), /gradWeight and gradOut must not share memory/);
    throws(RangeError, at(2, buf.subarray(0, 288), 8, buf.subarray(280, 388)), /gradWeight and x must not share memory/);
    throws(RangeError, at(8, buf.subarray(0, 108), 10, buf.subarray(107, 113)), /gradWeight and gradBias must not share memory/);
    throws(RangeError, at(0, buf.subarray(0, 192), 10, buf.subarray(0, 6)), /gradBias and gradOut must not share memory/);
    throws(RangeError, at(2, buf.subarray(0, 288), 10, buf.subarray(10, 16)), /gradBias and x must not share memory/);
  });
});

describe('maxPool2d', () => {
  // x [2, 3, 5, 5], kernel 2, stride 2, ceil mode -> out [2, 3, 3, 3]
  const ok = (): unknown[] => [f32(150), [2, 3, 5, 5], [2, 2], [2, 2], [0, 0], [1, 1], true, f32(54), [2, 3, 3, 3], i32(54)];
  const { call, with_ } = basics('maxPool2d', ['x', 'xShape', 'kernelSize', 'stride', 'padding', 'dilation', 'ceilMode', 'out', 'outShape', 'indices'], ok);

  it('checks the window, the sizes and the lengths as PyTorch does', () => {
    expect(with_(9, null)()).toBeUndefined();
    throws(RangeError, with_(2, [0, 2]), /kernelSize must hold integers in \[1, 2147483647\]/);
    throws(RangeError, with_(3, [2, 0]), /stride must hold integers in \[1/);
    throws(RangeError, with_(5, [0, 1]), /dilation must hold integers in \[1/);
    throws(RangeError, with_(4, [-1, 0]), /padding must hold integers in \[0/);
    throws(RangeError, with_(4, [0, 0, 0, 0]), /padding\) must have 2 entries, got 4/);
    throws(RangeError, with_(4, [2, 0]), /pad should be at most half of kernel size, but got padding \[2, 0\] and kernelSize \[2, 2\]/);
    throws(RangeError, call([f32(3), [1, 3, 1, 1], [2, 2], [2, 2], [0, 0], [1, 1], false, f32(0), [1, 3, 0, 0], null]),
      /Given input size: \(3x1x1\)\. Calculated output size: \(3x0x0\)\. Output size is too small/);
    throws(RangeError, call([f32(0), [2, 0, 5, 5], [2, 2], [2, 2], [0, 0], [1, 1], false, f32(0), [2, 0, 2, 2], null]), /expected a 4-d \(batch mode\) tensor with non-zero c, h and w, got \[2, 0, 5, 5\]/);
    throws(RangeError, with_(8, [2, 3, 2, 2]), /out has shape \[2, 3, 2, 2\], expected \[2, 3, 3, 3\]/);
    throws(RangeError, with_(1, [2, 3, 25]), /xShape must be 4-d/);
    throws(RangeError, with_(0, f32(149)), /x has 149 elements/);
    throws(RangeError, with_(9, i32(53)), /indices has 53 elements/);
    throws(TypeError, with_(9, f32(54)), /argument 10 \(indices\) must be an Int32Array or null, got a Float32Array/);
    throws(RangeError, call([f32(1), [1, 1, 65536, 65536], [1, 1], [1, 1], [0, 0], [1, 1], false, f32(1), [1, 1, 65536, 65536], null]),
      /xShape \[1, 1, 65536, 65536\] has planes of more than 2\^31 - 1 elements, beyond int32 indices/);
  });
  it('refuses outputs that share memory with the input or each other', () => {
    const buf = new Float32Array(400);
    throws(RangeError, call([buf.subarray(0, 150), [2, 3, 5, 5], [2, 2], [2, 2], [0, 0], [1, 1], true, buf.subarray(149, 203), [2, 3, 3, 3], null]), /out and x must not share memory/);
    const ints = new Int32Array(buf.buffer, 0, 54);
    throws(RangeError, call([buf.subarray(0, 150), [2, 3, 5, 5], [2, 2], [2, 2], [0, 0], [1, 1], true, f32(54), [2, 3, 3, 3], ints]), /indices and x must not share memory/);
    throws(RangeError, call([f32(150), [2, 3, 5, 5], [2, 2], [2, 2], [0, 0], [1, 1], true, buf.subarray(0, 54), [2, 3, 3, 3], ints]), /indices and out must not share memory/);
  });
});

describe('maxPool2dBackward', () => {
  const ok = (): unknown[] => [f32(54), [2, 3, 3, 3], i32(54), f32(150), [2, 3, 5, 5]];
  const { call, with_ } = basics('maxPool2dBackward', ['gradOut', 'gradOutShape', 'indices', 'gradInput', 'gradInputShape'], ok);

  it('checks the shapes, the lengths and every index', () => {
    throws(RangeError, with_(4, [2, 4, 5, 5]), /gradOutShape \[2, 3, 3, 3\] and gradInputShape \[2, 4, 5, 5\] must agree in n and c/);
    throws(RangeError, with_(1, [2, 3, 9]), /gradOutShape must be 4-d/);
    throws(RangeError, with_(2, i32(50)), /indices has 50 elements but its shape \[2, 3, 3, 3\] needs 54/);
    throws(RangeError, with_(3, f32(149)), /gradInput has 149 elements/);
    const bad = i32(54);
    bad[17] = 25;
    throws(RangeError, with_(2, bad), /indices\[17\] = 25 lies outside a plane of 25 elements/);
    bad[17] = -1;
    throws(RangeError, with_(2, bad), /indices\[17\] = -1 lies outside/);
  });
  it('refuses a gradInput that shares memory with an input', () => {
    const buf = new Float32Array(400);
    throws(RangeError, call([buf.subarray(0, 54), [2, 3, 3, 3], i32(54), buf.subarray(50, 200), [2, 3, 5, 5]]), /gradInput and gradOut must not share memory/);
    throws(RangeError, call([f32(54), [2, 3, 3, 3], new Int32Array(buf.buffer, 0, 54), buf.subarray(50, 200), [2, 3, 5, 5]]), /gradInput and indices must not share memory/);
  });
});

describe('avgPool2d', () => {
  // x [2, 3, 5, 5], kernel 3, stride 2, padding 1 -> out [2, 3, 3, 3]
  const ok = (): unknown[] => [f32(150), [2, 3, 5, 5], [3, 3], [2, 2], [1, 1], false, true, null, f32(54), [2, 3, 3, 3]];
  const { call, with_ } = basics('avgPool2d', ['x', 'xShape', 'kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride', 'out', 'outShape'], ok);

  it('checks the window, the divisor and the shapes', () => {
    expect(with_(7, 4)()).toBeUndefined();
    throws(RangeError, with_(7, 0), /divisorOverride must be non-zero \(or null for none\)/);
    throws(RangeError, with_(7, 1.5), /divisorOverride\) must be an integer/);
    throws(RangeError, with_(4, [2, 1]), /pad should be at most half of kernel size/);
    throws(RangeError, with_(9, [2, 3, 2, 3]), /out has shape \[2, 3, 2, 3\], expected \[2, 3, 3, 3\]/);
    throws(RangeError, with_(8, f32(53)), /out has 53 elements/);
    throws(RangeError, with_(2, [3]), /kernelSize\) must have 2 entries, got 1/);
    const buf = new Float32Array(400);
    throws(RangeError, call([buf.subarray(0, 150), [2, 3, 5, 5], [3, 3], [2, 2], [1, 1], false, true, null, buf.subarray(100, 154), [2, 3, 3, 3]]), /out and x must not share memory/);
  });
});

describe('avgPool2dBackward', () => {
  const ok = (): unknown[] => [f32(54), [2, 3, 3, 3], [3, 3], [2, 2], [1, 1], false, true, null, f32(150), [2, 3, 5, 5]];
  const { call, with_ } = basics('avgPool2dBackward', ['gradOut', 'gradOutShape', 'kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride', 'gradInput', 'gradInputShape'], ok);

  it('checks the shapes against each other', () => {
    throws(RangeError, with_(1, [2, 3, 3, 2]), /gradOut has shape \[2, 3, 3, 2\], expected \[2, 3, 3, 3\]/);
    throws(RangeError, with_(9, [2, 3, 7, 7]), /gradOut has shape \[2, 3, 3, 3\], expected \[2, 3, 4, 4\]/);
    throws(RangeError, with_(8, f32(151)), /gradInput has 151 elements/);
    const buf = new Float32Array(400);
    throws(RangeError, call([buf.subarray(0, 54), [2, 3, 3, 3], [3, 3], [2, 2], [1, 1], false, true, null, buf.subarray(0, 150), [2, 3, 5, 5]]), /gradInput and gradOut must not share memory/);
  });
});

describe('adaptiveAvgPool2d and its backward', () => {
  describe('adaptiveAvgPool2d', () => {
    const ok = (): unknown[] => [f32(150), [2, 3, 5, 5], f32(24), [2, 3, 2, 2]];
    const { call, with_ } = basics('adaptiveAvgPool2d', ['x', 'xShape', 'out', 'outShape'], ok);
    it('checks the shapes and lengths', () => {
      throws(RangeError, with_(3, [2, 2, 2, 2]), /outShape \[2, 2, 2, 2\] and xShape \[2, 3, 5, 5\] must agree in n and c/);
      throws(RangeError, with_(3, [2, 3, 4]), /outShape must be 4-d/);
      throws(RangeError, with_(2, f32(25)), /out has 25 elements/);
      throws(RangeError, call([f32(0), [2, 3, 0, 5], f32(24), [2, 3, 2, 2]]), /xShape: expected non-zero c, h and w, got \[2, 3, 0, 5\]/);
      const buf = new Float32Array(400);
      throws(RangeError, call([buf.subarray(0, 150), [2, 3, 5, 5], buf.subarray(140, 164), [2, 3, 2, 2]]), /out and x must not share memory/);
    });
  });
  describe('adaptiveAvgPool2dBackward', () => {
    const ok = (): unknown[] => [f32(24), [2, 3, 2, 2], f32(150), [2, 3, 5, 5]];
    const { call, with_ } = basics('adaptiveAvgPool2dBackward', ['gradOut', 'gradOutShape', 'gradInput', 'gradInputShape'], ok);
    it('checks the shapes and lengths', () => {
      throws(RangeError, with_(1, [1, 3, 2, 2]), /gradOutShape \[1, 3, 2, 2\] and gradInputShape \[2, 3, 5, 5\] must agree in n and c/);
      throws(RangeError, with_(0, f32(23)), /gradOut has 23 elements/);
      const buf = new Float32Array(400);
      throws(RangeError, call([buf.subarray(0, 24), [2, 3, 2, 2], buf.subarray(20, 170), [2, 3, 5, 5]]), /gradInput and gradOut must not share memory/);
    });
  });
});
