import { describe, expect, it } from 'vitest';
import * as tg from '../lib/index';

describe('tensor()', () => {
  it('takes nested arrays, numbers and typed arrays', () => {
    const t = tg.tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.ndim).toBe(2);
    expect(t.numel()).toBe(6);
    expect(t.size()).toEqual([2, 3]);
    expect(t.size(-1)).toBe(3);
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(tg.tensor(2.5).shape).toEqual([]);
    expect(tg.tensor(2.5).item()).toBe(2.5);
    expect(tg.tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    expect(tg.tensor(new Float32Array([1, 2])).toArray()).toEqual([1, 2]);
    expect(tg.tensor([1.9, -1.9], { dtype: 'int32' }).toArray()).toEqual([1, -1]);
    expect(tg.tensor([]).shape).toEqual([0]);
    expect(tg.tensor([[], []]).shape).toEqual([2, 0]);
  });

  it('copies its input', () => {
    const src = new Float32Array([1, 2]);
    const t = tg.tensor(src);
    src[0] = 9;
    expect(t.toArray()).toEqual([1, 2]);
    const copy = t.dataSync();
    copy[1] = 7;
    expect(t.toArray()).toEqual([1, 2]);
  });

  it('refuses ragged and non-numeric input', () => {
    expect(() => tg.tensor([[1, 2], [3]])).toThrow(/sequence of length 2 at dim 1/);
    expect(() => tg.tensor([[1, 2], 3] as never)).toThrow(RangeError);
    expect(() => tg.tensor(['a'] as never)).toThrow(TypeError);
    expect(() => tg.tensor(new Float64Array(2) as never)).toThrow(/Float32Array and Int32Array/);
    expect(() => tg.tensor([1], { dtype: 'float64' as never })).toThrow(/dtype/);
  });

  it('item() needs exactly one element', () => {
    expect(() => tg.zeros(2, 3).item()).toThrow('a Tensor with 6 elements cannot be converted to Scalar');
    expect(tg.ones(1, 1).item()).toBe(1);
  });

  it('size() checks the dimension', () => {
    expect(() => tg.zeros(2, 3).size(2)).toThrow(/Dimension out of range \(expected to be in range of \[-2, 1\], but got 2\)/);
    expect(() => tg.tensor(1).size(0)).toThrow(/no dimensions/);
  });
});

describe('filled tensors', () => {
  it('take sizes as arguments or as an array, with options', () => {
    expect(tg.zeros(2, 3).shape).toEqual([2, 3]);
    expect(tg.zeros([2, 3]).shape).toEqual([2, 3]);
    expect(tg.zeros().shape).toEqual([]);
    expect(tg.zeros([2], { dtype: 'int32' }).dtype).toBe('int32');
    expect(tg.ones(2, 2, { dtype: 'int32' }).toArray()).toEqual([[1, 1], [1, 1]]);
    expect(tg.full([2], 7).toArray()).toEqual([7, 7]);
    expect(tg.full([2], 7.5, { dtype: 'int32' }).toArray()).toEqual([7, 7]);
    const t = tg.tensor([[1, 2]], { dtype: 'int32' });
    expect(tg.zerosLike(t).dtype).toBe('int32');
    expect(tg.onesLike(t).toArray()).toEqual([[1, 1]]);
    expect(tg.fullLike(t, 3, { dtype: 'float32' }).dtype).toBe('float32');
    expect(tg.zeros(0, 4).numel()).toBe(0);
  });

  it('refuse bad sizes', () => {
    expect(() => tg.zeros(-1)).toThrow(RangeError);
    expect(() => tg.zeros(1.5)).toThrow(/non-negative integers/);
    expect(() => tg.ones([2, 'a'] as never)).toThrow(RangeError);
    expect(() => tg.zeros(2 ** 30, 2 ** 30)).toThrow(/too many elements/);
    expect(() => tg.full([2], 'x' as never)).toThrow(TypeError);
  });
});

describe('ranges', () => {
  it('arange follows PyTorch, int32 for integer arguments', () => {
    expect(tg.arange(5).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(tg.arange(5).dtype).toBe('int32');
    expect(tg.arange(1, 4).toArray()).toEqual([1, 2, 3]);
    expect(tg.arange(10, 0, -3).toArray()).toEqual([10, 7, 4, 1]);
    const f = tg.arange(0, 1, 0.25);
    expect(f.dtype).toBe('float32');
    expect(f.toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(tg.arange(3, { dtype: 'float32' }).dtype).toBe('float32');
    expect(tg.arange(0).shape).toEqual([0]);
    expect(() => tg.arange(0, 5, 0)).toThrow(/step must be nonzero/);
    expect(() => tg.arange(5, 0)).toThrow(/inconsistent with step sign/);
    expect(() => tg.arange(NaN)).toThrow(TypeError);
  });

  it('linspace includes both ends', () => {
    expect(tg.linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(tg.linspace(-1, 1, 1).toArray()).toEqual([-1]);
    expect(tg.linspace(0, 1, 0).shape).toEqual([0]);
    const t = tg.linspace(0, 0.3, 7).dataSync();
    expect(t[6]).toBe(Math.fround(0.3));
    expect(() => tg.linspace(0, 1, -2)).toThrow(RangeError);
  });
});

describe('dtype conversion', () => {
  it('casts both ways', () => {
    const f = tg.tensor([1.7, -1.7, 3]);
    expect(f.int().toArray()).toEqual([1, -1, 3]);
    expect(f.int().float().dtype).toBe('float32');
    expect(f.to('float32')).toBe(f);
    expect(f.clone()).not.toBe(f);
    expect(f.clone().toArray()).toEqual(f.toArray());
  });
});

describe('bool tensors', () => {
  it('come from booleans and cast to and from numbers', () => {
    const b = tg.tensor([true, false, true]);
    expect(b.dtype).toBe('bool');
    expect(b.toArray()).toEqual([1, 0, 1]);
    expect(tg.tensor([0, 0.5, -2]).bool().toArray()).toEqual([0, 1, 1]);
    expect(b.float().toArray()).toEqual([1, 0, 1]);
    expect(b.int().dtype).toBe('int32');
    expect(tg.ones([2], { dtype: 'bool' }).toArray()).toEqual([1, 1]);
    expect(tg.full([2], 5, { dtype: 'bool' }).toArray()).toEqual([1, 1]);
  });

  it('add and mul are logical or and and; bool with numbers promotes', () => {
    const a = tg.tensor([true, true, false]);
    const b = tg.tensor([true, false, false]);
    expect(tg.add(a, b).dtype).toBe('bool');
    expect(tg.add(a, b).toArray()).toEqual([1, 1, 0]);
    expect(tg.mul(a, b).toArray()).toEqual([1, 0, 0]);
    expect(() => tg.sub(a, b)).toThrow(/with two bool tensors is not supported/);
    expect(tg.add(a, 2).toArray()).toEqual([3, 3, 2]);
    expect(tg.add(a, 2).dtype).toBe('int32');
    expect(tg.mul(a, 0.5).toArray()).toEqual([0.5, 0.5, 0]);
  });
});

describe('requiresGrad at creation', () => {
  it('makes leaves that record ops, as requires_grad=True does', () => {
    for (const t of [
      tg.tensor([1, 2, 3], { requiresGrad: true }),
      tg.zeros([3], { requiresGrad: true }),
      tg.ones(3, { requiresGrad: true }),
      tg.full([3], 2, { requiresGrad: true }),
      tg.onesLike(tg.zeros(3), { requiresGrad: true }),
      tg.linspace(0, 1, 3, { requiresGrad: true }),
      tg.rand([3], { requiresGrad: true }),
      tg.randn(3, { requiresGrad: true }),
    ]) {
      expect(t.requiresGrad).toBe(true);
      expect(t.isLeaf).toBe(true);
      t.mul(t).sum().backward();
      expect(t.grad?.toArray()).toEqual(t.mul(2).toArray());
    }
    expect(tg.zeros(2).requiresGrad).toBe(false);
  });

  it('refuses it for integer tensors and non-boolean values', () => {
    expect(() => tg.tensor([1, 2], { dtype: 'int32', requiresGrad: true })).toThrow(/tensor: only float32 tensors can require gradients, got dtype int32/);
    expect(() => tg.arange(3, { requiresGrad: true })).toThrow(/arange: only float32/);
    expect(() => tg.randint(0, 5, [2], { requiresGrad: true })).toThrow(/randint: only float32/);
    expect(() => tg.zeros([2], { requiresGrad: 1 as unknown as boolean })).toThrow(/zeros: requiresGrad must be a boolean, got number/);
  });
});
