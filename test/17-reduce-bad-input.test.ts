// The reduction, softmax, loss and optimizer exports called wrongly: each case throws a TypeError
// or RangeError that names the function and what was wrong, and the process goes on.
import { describe, expect, it } from 'vitest';
import type { NativeAddon } from '../lib/backend/addon-types';
import { native } from '../lib/backend/load';
import { throws } from './helpers/throws';

const f32 = (n: number) => new Float32Array(n);
const i32 = (n: number) => new Int32Array(n);


/**
 * The shared checks: a correct call works; a wrong argument count is a TypeError; each argument
 * replaced by a string is a TypeError that names that argument.
 */
function basics(fn: keyof NativeAddon, names: string[], ok: () => unknown[]) {
  const call = (args: unknown[]) => () => (native[fn] as (...a: unknown[]) => unknown)(...args);
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
  return call;
}

describe('reduce', () => {
  const ok = (): unknown[] => [0, f32(6), [2, 3], [0], f32(3)];
  const call = basics('reduce', ['op', 'x', 'xShape', 'dims', 'out'], ok);
  const with_ = (i: number, v: unknown) => call(ok().map((a, k) => (k === i ? v : a)));

  it('checks the op, the dims and the lengths', () => {
    for (const op of [5, -1, 0.5, NaN]) throws(RangeError, with_(0, op), /argument 1 \(op\) must be an integer in \[0, 4\]/);
    throws(RangeError, with_(1, f32(5)), /x has 5 elements but its shape \[2, 3\] needs 6/);
    throws(TypeError, with_(1, new Float64Array(6)), /Float32Array, an Int32Array or a Uint8Array, got a Float64Array/);
    throws(RangeError, with_(3, [2]), /dims\) entry 0 must be a dim in \[0, 2\), got 2/);
    throws(RangeError, with_(3, [-1]), /must be a dim in \[0, 2\)/);
    throws(RangeError, with_(3, [0.5]), /must be a dim in \[0, 2\)/);
    throws(RangeError, with_(3, [1, 1]), /lists dim 1 twice/);
    throws(RangeError, with_(3, [0, 1, 0]), /lists 3 dims, but the tensor has 2/);
    throws(TypeError, with_(3, ['0']), /must hold numbers/);
    throws(RangeError, with_(4, f32(2)), /out has 2 elements, but reducing \[2, 3\] over dims \[0\] leaves \[3\], 3 elements/);
    throws(RangeError, call([0, f32(6), [2, 3], [0, 1], f32(3)]), /leaves \[\], 1 elements/);
  });
  it('checks the types of x and out together', () => {
    throws(TypeError, with_(4, i32(3)), /out must be a Float32Array for sum of a Float32Array, got an Int32Array/);
    throws(TypeError, call([0, i32(6), [2, 3], [0], f32(3)]), /out must be an Int32Array/);
    throws(TypeError, call([1, i32(6), [2, 3], [0], i32(3)]), /mean needs a Float32Array x/);
    throws(TypeError, call([3, new Uint8Array(6), [2, 3], [0], i32(3)]), /a Uint8Array x can be summed only, not reduced by max/);
    throws(TypeError, call([0, new Uint8Array(6), [2, 3], [0], new Uint8Array(3)]), /out must be an Int32Array for sum of a Uint8Array/);
  });
  it('refuses max and min over an empty dim, and out overlapping x', () => {
    throws(RangeError, call([4, f32(0), [2, 0], [1], f32(2)]), /min\(\): Expected reduction dim 1 to have non-zero size/);
    const buf = f32(9);
    throws(RangeError, call([0, buf.subarray(0, 6), [2, 3], [0], buf.subarray(5, 8)]), /out and x must not share memory/);
  });
});

describe('reduceVar', () => {
  const ok = (): unknown[] => [f32(6), [2, 3], [1], 1, f32(2)];
  const call = basics('reduceVar', ['x', 'xShape', 'dims', 'correction', 'out'], ok);
  it('checks the correction, the types and the lengths', () => {
    throws(RangeError, call([f32(6), [2, 3], [1], NaN, f32(2)]), /argument 4 \(correction\) must be finite/);
    throws(TypeError, call([i32(6), [2, 3], [1], 1, f32(2)]), /argument 1 \(x\) must be a Float32Array/);
    throws(RangeError, call([f32(6), [2, 3], [1], 1, f32(3)]), /out has 3 elements/);
    throws(RangeError, call([f32(6), [2, 3], [3], 1, f32(3)]), /must be a dim in \[0, 2\)/);
  });
});

describe('argReduce', () => {
  const ok = (): unknown[] => [0, f32(6), [2, 3], 1, f32(2), i32(2)];
  const call = basics('argReduce', ['op', 'x', 'xShape', 'dim', 'values', 'indices'], ok);
  it('checks the op, the dim, the types and the lengths', () => {
    throws(RangeError, call([2, f32(6), [2, 3], 1, null, i32(2)]), /argument 1 \(op\) must be an integer in \[0, 1\]/);
    throws(RangeError, call([0, f32(6), [2, 3], 2, null, i32(2)]), /argument 4 \(dim\) must be a dim in \[0, 2\), got 2/);
    throws(RangeError, call([0, f32(6), [2, 3], -1, null, i32(2)]), /dim in \[0, 2\)/);
    throws(RangeError, call([0, f32(1), [], 0, null, i32(1)]), /at least one dim/);
    throws(TypeError, call([0, new Uint8Array(6), [2, 3], 1, null, i32(2)]), /Float32Array or an Int32Array, got a Uint8Array/);
    throws(TypeError, call([0, f32(6), [2, 3], 1, i32(2), i32(2)]), /values must be null or a Float32Array like x, got an Int32Array/);
    throws(TypeError, call([0, f32(6), [2, 3], 1, null, f32(2)]), /argument 6 \(indices\) must be an Int32Array/);
    throws(RangeError, call([0, f32(6), [2, 3], 1, null, i32(3)]), /indices has 3 elements, but reducing \[2, 3\] over dims \[1\] leaves \[2\]/);
    throws(RangeError, call([0, f32(6), [2, 3], 1, f32(3), i32(2)]), /values has 3 elements/);
    throws(RangeError, call([0, f32(6), [2, 3], 0, null, i32(2)]), /indices has 2 elements/);
  });
  it('refuses an empty dim and overlapping outputs', () => {
    throws(RangeError, call([1, f32(0), [2, 0], 1, null, i32(2)]), /argmin\(\): Expected reduction dim 1 to have non-zero size/);
    throws(RangeError, call([1, f32(0), [0, 3], 0, f32(3), i32(3)]), /min\(\): Expected reduction dim 0/);
    const shared = new Int32Array(4);
    throws(RangeError, call([0, i32(6), [2, 3], 1, shared.subarray(0, 2), shared.subarray(1, 3)]), /values and indices must not share memory/);
    throws(RangeError, call([0, shared.subarray(0, 4), [4], 0, null, shared.subarray(3, 4)]), /indices and x must not share memory/);
  });
});

describe('softmax and logSoftmax', () => {
  for (const fn of ['softmax', 'logSoftmax'] as const) {
    describe(fn, () => {
      const ok = (): unknown[] => [f32(6), [2, 3], 1, f32(6)];
      const call = basics(fn, ['x', 'xShape', 'dim', 'out'], ok);
      it('checks the dim, the lengths and overlap', () => {
        throws(RangeError, call([f32(6), [2, 3], 2, f32(6)]), /argument 3 \(dim\) must be a dim in \[0, 2\), got 2/);
        throws(RangeError, call([f32(1), [], 0, f32(1)]), /at least one dim/);
        throws(RangeError, call([f32(5), [2, 3], 1, f32(6)]), /x has 5 elements/);
        throws(RangeError, call([f32(6), [2, 3], 1, f32(7)]), /out has 7 elements/);
        throws(TypeError, call([i32(6), [2, 3], 1, f32(6)]), /argument 1 \(x\) must be a Float32Array, got an Int32Array/);
        const buf = f32(8);
        throws(RangeError, call([buf.subarray(0, 6), [2, 3], 1, buf.subarray(2, 8)]), /out and x must not share memory/);
      });
    });
  }
});

describe('softmaxBackward and logSoftmaxBackward', () => {
  for (const fn of ['softmaxBackward', 'logSoftmaxBackward'] as const) {
    describe(fn, () => {
      const ok = (): unknown[] => [f32(6), f32(6), [3, 2], 0, f32(6)];
      const call = basics(fn, ['grad', 'y', 'shape', 'dim', 'out'], ok);
      it('checks the lengths, the dim and overlap', () => {
        throws(RangeError, call([f32(5), f32(6), [3, 2], 0, f32(6)]), /grad has 5 elements/);
        throws(RangeError, call([f32(6), f32(4), [3, 2], 0, f32(6)]), /y has 4 elements/);
        throws(RangeError, call([f32(6), f32(6), [3, 2], 0, f32(2)]), /out has 2 elements/);
        throws(RangeError, call([f32(6), f32(6), [3, 2], 5, f32(6)]), /dim in \[0, 2\)/);
        const buf = f32(8);
        throws(RangeError, call([buf.subarray(0, 6), f32(6), [3, 2], 0, buf.subarray(1, 7)]), /out and grad must not share memory/);
        throws(RangeError, call([f32(6), buf.subarray(2, 8), [3, 2], 0, buf.subarray(0, 6)]), /out and y must not share memory/);
      });
    });
  }
});

describe('crossEntropy', () => {
  const ok = (): unknown[] => [f32(6), [2, 3], i32(2), null, -100, 0, 1, f32(1), f32(6)];
  const call = basics('crossEntropy', ['input', 'inputShape', 'target', 'weight', 'ignoreIndex', 'labelSmoothing', 'reduction', 'loss', 'grad'], ok);
  const with_ = (i: number, v: unknown) => call(ok().map((a, k) => (k === i ? v : a)));
  it('checks the options', () => {
    throws(TypeError, with_(2, f32(2)), /argument 3 \(target\) must be an Int32Array, got a Float32Array/);
    throws(TypeError, with_(3, i32(3)), /argument 4 \(weight\) must be a Float32Array or null, got an Int32Array/);
    throws(RangeError, with_(3, f32(4)), /weight has 4 elements, but input \[2, 3\] has 3 classes/);
    throws(RangeError, with_(4, 1.5), /argument 5 \(ignoreIndex\) must be an integer/);
    throws(RangeError, with_(4, 2 ** 31), /ignoreIndex/);
    throws(RangeError, with_(5, 1.5), /labelSmoothing must be in \[0, 1\]/);
    throws(RangeError, with_(5, -0.1), /labelSmoothing must be in \[0, 1\]/);
    throws(RangeError, with_(5, NaN), /argument 6 \(labelSmoothing\) must be finite/);
    throws(RangeError, with_(6, 3), /argument 7 \(reduction\) must be an integer in \[0, 2\]/);
  });
  it('checks shapes and lengths', () => {
    throws(RangeError, with_(0, f32(5)), /input has 5 elements but its shape \[2, 3\] needs 6/);
    throws(RangeError, call([f32(3), [3], i32(3), null, -100, 0, 1, f32(1), null]), /inputShape must be \[N, C\] or \[N, C, d1, \.\.\.\], got \[3\]/);
    throws(RangeError, call([f32(0), [2, 0], i32(2), null, -100, 0, 1, f32(1), null]), /has no classes/);
    throws(RangeError, with_(2, i32(3)), /target has 3 elements, but input \[2, 3\] needs one per sample, 2/);
    throws(RangeError, call([f32(24), [2, 3, 4], i32(2), null, -100, 0, 1, f32(1), null]), /needs one per sample, 8/);
    throws(RangeError, with_(7, f32(2)), /loss has 2 elements, but this reduction gives 1/);
    throws(RangeError, call([f32(6), [2, 3], i32(2), null, -100, 0, 0, f32(1), null]), /loss has 1 elements, but this reduction gives 2/);
    throws(RangeError, with_(8, f32(5)), /grad has 5 elements/);
  });
  it('checks every target', () => {
    throws(RangeError, with_(2, Int32Array.of(0, 3)), /target\[1\] = 3 is out of bounds for 3 classes \(ignoreIndex is -100\)/);
    throws(RangeError, with_(2, Int32Array.of(-1, 0)), /target\[0\] = -1 is out of bounds/);
    throws(RangeError, with_(2, Int32Array.of(-100, 2 ** 31 - 1)), /target\[1\]/);
    expect(with_(2, Int32Array.of(-100, 2))()).toBeUndefined();
  });
  it('refuses outputs that share memory with inputs or each other', () => {
    const buf = f32(12);
    expect(call([buf.subarray(0, 6), [2, 3], i32(2), null, -100, 0, 1, f32(1), buf.subarray(6, 12)])()).toBeUndefined();
    throws(RangeError, call([buf.subarray(0, 6), [2, 3], i32(2), null, -100, 0, 1, f32(1), buf.subarray(3, 9)]), /grad and input must not share memory/);
    throws(RangeError, call([f32(6), [2, 3], i32(2), null, -100, 0, 1, buf.subarray(0, 1), buf.subarray(0, 6)]), /loss and grad must not share memory/);
    throws(RangeError, call([buf.subarray(0, 6), [2, 3], i32(2), null, -100, 0, 1, buf.subarray(5, 6), null]), /loss and input must not share memory/);
    const w = f32(3);
    throws(RangeError, call([f32(6), [2, 3], i32(2), w, -100, 0, 1, w.subarray(0, 1), null]), /loss and weight must not share memory/);
  });
});

describe('nllLoss', () => {
  const ok = (): unknown[] => [f32(6), [2, 3], i32(2), f32(3), -100, 2, f32(1), null];
  const call = basics('nllLoss', ['input', 'inputShape', 'target', 'weight', 'ignoreIndex', 'reduction', 'loss', 'grad'], ok);
  it('checks targets, shapes and the reduction', () => {
    throws(RangeError, call([f32(6), [2, 3], Int32Array.of(5, 0), null, -100, 1, f32(1), null]), /target\[0\] = 5 is out of bounds/);
    throws(RangeError, call([f32(6), [2, 3], i32(2), null, -100, 7, f32(1), null]), /argument 6 \(reduction\)/);
    throws(RangeError, call([f32(6), [6], i32(6), null, -100, 1, f32(1), null]), /inputShape must be \[N, C\]/);
    throws(RangeError, call([f32(6), [2, 3], i32(2), null, -100, 0, f32(1), null]), /loss has 1 elements, but this reduction gives 2/);
  });
});

describe('sgdStep', () => {
  const ok = (): unknown[] => [f32(4), f32(4), f32(4), 0.1, 0.9, 0, 0, false, false, true];
  const call = basics('sgdStep', ['param', 'grad', 'momentumBuffer', 'lr', 'momentum', 'dampening', 'weightDecay', 'nesterov', 'maximize', 'firstStep'], ok);
  const with_ = (i: number, v: unknown) => call(ok().map((a, k) => (k === i ? v : a)));
  it('checks hyperparameters as torch.optim.SGD does', () => {
    throws(RangeError, with_(3, NaN), /argument 4 \(lr\) must be finite/);
    throws(RangeError, with_(3, Infinity), /argument 4 \(lr\) must be finite/);
    throws(RangeError, with_(4, -1), /argument 5 \(momentum\) must be non-negative/);
    throws(RangeError, with_(5, NaN), /argument 6 \(dampening\) must be finite/);
    throws(RangeError, with_(6, -0.01), /argument 7 \(weightDecay\) must be non-negative/);
    throws(RangeError, call([f32(4), f32(4), f32(4), 0.1, 0, 0, 0, true, false, true]), /Nesterov momentum requires a momentum and zero dampening/);
    throws(RangeError, call([f32(4), f32(4), f32(4), 0.1, 0.9, 0.1, 0, true, false, true]), /Nesterov/);
  });
  it('checks the buffers', () => {
    throws(TypeError, with_(2, null), /momentumBuffer must be a Float32Array when momentum is not 0, got null/);
    expect(call([f32(4), f32(4), null, 0.1, 0, 0, 0, false, false, true])()).toBeUndefined();
    throws(RangeError, with_(1, f32(3)), /grad has 3 elements but param has 4/);
    throws(RangeError, with_(2, f32(5)), /momentumBuffer has 5 elements but param has 4/);
    const buf = f32(8);
    expect(call([buf.subarray(0, 4), buf.subarray(4, 8), f32(4), 0.1, 0.9, 0, 0, false, false, true])()).toBeUndefined();
    throws(RangeError, call([buf.subarray(0, 4), buf.subarray(2, 6), f32(4), 0.1, 0.9, 0, 0, false, false, true]), /param and grad must not share memory/);
    throws(RangeError, call([f32(4), buf.subarray(0, 4), buf.subarray(0, 4), 0.1, 0.9, 0, 0, false, false, true]), /grad and momentumBuffer must not share memory/);
  });
  it('survives a detached parameter', () => {
    const p = f32(4);
    structuredClone(p.buffer, { transfer: [p.buffer] });
    throws(RangeError, call([p, f32(4), f32(4), 0.1, 0.9, 0, 0, false, false, true]), /grad has 4 elements but param has 0/);
  });
});

describe('adamStep', () => {
  const ok = (): unknown[] => [f32(4), f32(4), f32(4), f32(4), f32(4), 1, 1e-3, 0.9, 0.999, 1e-8, 0, true, false, false];
  const names = ['param', 'grad', 'expAvg', 'expAvgSq', 'maxExpAvgSq', 'step', 'lr', 'beta1', 'beta2', 'eps', 'weightDecay', 'amsgrad', 'maximize', 'decoupledWeightDecay'];
  const call = basics('adamStep', names, ok);
  const with_ = (i: number, v: unknown) => call(ok().map((a, k) => (k === i ? v : a)));
  it('checks hyperparameters as torch.optim.Adam does', () => {
    throws(RangeError, with_(5, 0), /argument 6 \(step\) must be an integer in \[1, 9007199254740991\], got 0/);
    throws(RangeError, with_(5, 2.5), /argument 6 \(step\)/);
    throws(RangeError, with_(6, Infinity), /argument 7 \(lr\) must be finite/);
    throws(RangeError, with_(7, 1), /beta1 must be in \[0, 1\), got 1/);
    throws(RangeError, with_(8, -0.5), /beta2 must be in \[0, 1\)/);
    throws(RangeError, with_(9, -1e-8), /argument 10 \(eps\) must be non-negative/);
    throws(RangeError, with_(10, -0.1), /argument 11 \(weightDecay\) must be non-negative/);
  });
  it('checks the state buffers', () => {
    throws(TypeError, with_(4, null), /maxExpAvgSq must be a Float32Array when amsgrad is true, got null/);
    expect(call([f32(4), f32(4), f32(4), f32(4), null, 1, 1e-3, 0.9, 0.999, 1e-8, 0, false, false, false])()).toBeUndefined();
    throws(RangeError, with_(2, f32(3)), /expAvg has 3 elements but param has 4/);
    throws(RangeError, with_(3, f32(5)), /expAvgSq has 5 elements but param has 4/);
    throws(RangeError, with_(4, f32(1)), /maxExpAvgSq has 1 elements/);
    const s = f32(4);
    throws(RangeError, call([f32(4), f32(4), s, s, f32(4), 1, 1e-3, 0.9, 0.999, 1e-8, 0, true, false, false]), /expAvg and expAvgSq must not share memory/);
  });
});

describe('rmspropStep', () => {
  const ok = (): unknown[] => [f32(4), f32(4), f32(4), f32(4), f32(4), 0.01, 0.99, 1e-8, 0, 0.9, true, false];
  const names = ['param', 'grad', 'squareAvg', 'gradAvg', 'momentumBuffer', 'lr', 'alpha', 'eps', 'weightDecay', 'momentum', 'centered', 'maximize'];
  const call = basics('rmspropStep', names, ok);
  const with_ = (i: number, v: unknown) => call(ok().map((a, k) => (k === i ? v : a)));
  it('checks hyperparameters as torch.optim.RMSprop does', () => {
    throws(RangeError, with_(5, NaN), /argument 6 \(lr\) must be finite/);
    throws(RangeError, with_(6, -0.5), /argument 7 \(alpha\) must be non-negative/);
    throws(RangeError, with_(7, -1), /argument 8 \(eps\)/);
    throws(RangeError, with_(8, -1), /argument 9 \(weightDecay\)/);
    throws(RangeError, with_(9, -1), /argument 10 \(momentum\)/);
  });
  it('checks the state buffers', () => {
    throws(TypeError, with_(3, null), /gradAvg must be a Float32Array when centered is true, got null/);
    throws(TypeError, with_(4, null), /momentumBuffer must be a Float32Array when momentum > 0, got null/);
    expect(call([f32(4), f32(4), f32(4), null, null, 0.01, 0.99, 1e-8, 0, 0, false, false])()).toBeUndefined();
    throws(RangeError, with_(2, f32(2)), /squareAvg has 2 elements but param has 4/);
    const p = f32(4);
    throws(RangeError, call([p, f32(4), f32(4), f32(4), p, 0.01, 0.99, 1e-8, 0, 0.9, true, false]), /param and momentumBuffer must not share memory/);
  });
});

describe('adagradStep', () => {
  const ok = (): unknown[] => [f32(4), f32(4), f32(4), 1, 0.01, 0, 0, 1e-10, false];
  const call = basics('adagradStep', ['param', 'grad', 'stateSum', 'step', 'lr', 'lrDecay', 'weightDecay', 'eps', 'maximize'], ok);
  const with_ = (i: number, v: unknown) => call(ok().map((a, k) => (k === i ? v : a)));
  it('checks hyperparameters as torch.optim.Adagrad does, and the buffers', () => {
    throws(RangeError, with_(3, 0), /argument 4 \(step\) must be an integer in \[1, /);
    throws(RangeError, with_(4, -Infinity), /argument 5 \(lr\) must be finite/);
    throws(RangeError, with_(5, -0.1), /argument 6 \(lrDecay\) must be non-negative/);
    throws(RangeError, with_(6, -0.1), /argument 7 \(weightDecay\)/);
    throws(RangeError, with_(7, -1), /argument 8 \(eps\)/);
    throws(RangeError, with_(2, f32(3)), /stateSum has 3 elements but param has 4/);
    throws(TypeError, with_(2, null), /argument 3 \(stateSum\) must be a Float32Array, got null/);
    const g = f32(4);
    throws(RangeError, call([f32(4), g, g, 1, 0.01, 0, 0, 1e-10, false]), /grad and stateSum must not share memory/);
  });
});
