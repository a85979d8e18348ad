// Shape and dtype mistakes at the op level: a clear error that names the shapes involved.
import { describe, expect, it } from 'vitest';
import * as tg from '../lib/index';

describe('shape errors name both shapes', () => {
  it('view and reshape', () => {
    expect(() => tg.zeros(2, 3).reshape(4, 2)).toThrow("shape '[4, 2]' is invalid for input of size 6");
    expect(() => tg.zeros(2, 3).view(-1, -1)).toThrow(/only one dimension can be inferred/);
    expect(tg.zeros(2, 3).reshape(-1).shape).toEqual([6]);
    expect(tg.zeros(2, 3, 4).flatten(1).shape).toEqual([2, 12]);
    expect(() => tg.zeros(2, 3).flatten(1, 0)).toThrow(/cannot come after/);
  });

  it('permute, transpose, expand', () => {
    expect(() => tg.zeros(2, 3).permute(0, 0)).toThrow(/not a permutation of the 2 dims of a tensor of shape \[2, 3\]/);
    expect(() => tg.zeros(2, 3).transpose(0, 2)).toThrow(/Dimension out of range/);
    expect(() => tg.zeros(2, 3).expand(4, 3)).toThrow(/expanded size of the tensor \(4\) must match the existing size \(2\) at non-singleton dimension 0\. Target sizes: \[4, 3\]\. Tensor sizes: \[2, 3\]/);
    expect(() => tg.zeros(3, 4, 5).t()).toThrow(/<= 2 dimensions/);
  });

  it('cat, stack, split, narrow, pad', () => {
    expect(() => tg.cat([tg.zeros(2, 3), tg.zeros(3, 3)], 1)).toThrow(
      'cat: Sizes of tensors must match except in dimension 1. Expected sizes [2, 3] (except dim 1) but got [3, 3] for tensor number 1 in the list.',
    );
    expect(() => tg.cat([tg.zeros(2), tg.zeros([2], { dtype: 'int32' })])).toThrow(/dtype/);
    expect(() => tg.stack([tg.zeros(2), tg.zeros(3)])).toThrow(/equal size, but got \[2\] at entry 0 and \[3\] at entry 1/);
    expect(() => tg.zeros(5).split([2, 2])).toThrow(/must sum to the size of dimension 0 \(5\)/);
    expect(() => tg.zeros(4, 5).narrow(1, 3, 3)).toThrow('narrow: start (3) + length (3) exceeds dimension size (5).');
    expect(() => tg.pad(tg.zeros(2), [1])).toThrow(/divisible by 2/);
    expect(tg.cat([tg.zeros(0), tg.ones(2, 2)]).shape).toEqual([2, 2]);
    expect(tg.cat([tg.zeros(0, 1), tg.zeros(0, 1)], 1).shape).toEqual([0, 2]);
    expect(tg.cat([tg.ones(2, 0), tg.ones(2, 3)], 1).toArray()).toEqual([[1, 1, 1], [1, 1, 1]]);
  });

  it('reductions, indexing, losses', () => {
    expect(() => tg.zeros(2, 3).sum([1, 1])).toThrow(/appears multiple times/);
    expect(() => tg.zeros(0).max()).toThrow(/numel\(\) == 0/);
    expect(() => tg.zeros(3, 0).max(1)).toThrow(/Expected reduction dim 1 to have non-zero size/);
    expect(() => tg.zeros(3).gather(0, tg.tensor([0.5]))).toThrow(/int32/);
    expect(() => tg.zeros(3).indexSelect(0, tg.tensor([5], { dtype: 'int32' }))).toThrow(/index 5 is out of bounds for dimension 0 with size 3/);
    expect(() => tg.mseLoss(tg.zeros(2, 3), tg.zeros(3, 2))).toThrow(/target size \(\[3, 2\]\) that is different to the input size \(\[2, 3\]\)/);
    expect(() => tg.crossEntropy(tg.zeros(4, 3), tg.tensor([0, 1], { dtype: 'int32' }))).toThrow(/Expected target of shape \[4\] for input of shape \[4, 3\], got \[2\]/);
    expect(() => tg.crossEntropy(tg.zeros(2, 3), tg.tensor([0, 3], { dtype: 'int32' }))).toThrow(RangeError);
    expect(() => tg.mseLoss(tg.zeros(2), tg.zeros(2), 'avg' as tg.Reduction)).toThrow(/not a valid value for reduction/);
    expect(() => tg.oneHot(tg.tensor([0, 4], { dtype: 'int32' }), 3)).toThrow(/smaller than num_classes \(3\)/);
    expect(tg.oneHot(tg.tensor([0, 2], { dtype: 'int32' })).toArray()).toEqual([[1, 0, 0], [0, 0, 1]]);
  });

  it('in-place ops check the broadcast shape', () => {
    expect(() => tg.zeros(3).add_(tg.ones(2, 3))).toThrow(/output with shape \[3\] doesn't match the broadcast shape \[2, 3\]/);
    expect(tg.zeros(2, 3).add_(tg.ones(3)).sum().item()).toBe(6);
    expect(tg.zeros(2, 2).copy_(tg.tensor([1, 2])).toArray()).toEqual([[1, 2], [1, 2]]);
    expect(() => tg.zeros(2).copy_(tg.zeros(3))).toThrow(/cannot be broadcast/);
  });
});
