import { describe, expect, it } from 'vitest';
import * as tg from '../lib/index';
import { randomArray, testRng } from './helpers/reference';

const { normalize, flatten, compose } = tg.transforms;

function images(shape: number[], seed = 1): tg.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return tg.tensor(randomArray(testRng(seed), n, 0, 1)).reshape(shape);
}

describe('normalize', () => {
  it('subtracts the mean and divides by the std of each channel', () => {
    const x = images([2, 3, 4]);
    const y = normalize([0.5, 0.25], [2, 4])(x);
    const xs = x.dataSync();
    const ys = y.dataSync();
    for (let i = 0; i < xs.length; i++) {
      const c = i < 12 ? 0 : 1;
      expect(ys[i]).toBe(Math.fround((Math.fround(xs[i] - [0.5, 0.25][c])) / [2, 4][c]));
    }
  });

  it('on a batch gives exactly the stack of the normalized images', () => {
    const batch = images([5, 3, 2, 2], 2);
    const t = normalize([0.1, 0.2, 0.3], [0.5, 0.6, 0.7]);
    const one = tg.stack([0, 1, 2, 3, 4].map((i) => t(tg.select(batch, 0, i))));
    expect(t(batch).dataSync()).toEqual(one.dataSync());
    expect(normalize(0.1307, 0.3081)(images([4, 1, 28, 28])).shape).toEqual([4, 1, 28, 28]);
  });

  it('one value serves every channel', () => {
    const x = images([3, 2, 2]);
    expect(normalize(0.5, 0.5)(x).dataSync()).toEqual(normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])(x).dataSync());
  });

  it('names the mistakes', () => {
    expect(() => normalize([0.5, 0.5], [1, 1])(images([3, 2, 2]))).toThrow(/2 means and stds for an image of 3 channels/);
    expect(() => normalize(0, 0)).toThrow(/division by zero/);
    expect(() => normalize([], [])).toThrow(/non-empty list/);
    expect(() => normalize([0, 0], [1, 1, 1])).toThrow(/one per channel/);
    expect(() => normalize(0.5, 0.5)(tg.zeros(784))).toThrow(/expected an image \[C, H, W\] or a batch of images \[N, C, H, W\], got shape \[784\]/);
  });
});

describe('flatten and compose', () => {
  it('flatten makes an image a vector and a batch rows, sharing storage', () => {
    expect(flatten()(tg.zeros(1, 28, 28)).shape).toEqual([784]);
    const batch = images([3, 1, 28, 28]);
    const rows = flatten()(batch);
    expect(rows.shape).toEqual([3, 784]);
    expect(rows._data).toBe(batch._data);
    expect(() => flatten()(tg.zeros(28, 28))).toThrow(/expected an image/);
  });

  it('compose applies the transforms in order, on one image or a batch alike', () => {
    const t = compose([normalize(0.1307, 0.3081), flatten()]);
    const batch = images([2, 1, 4, 4], 3);
    expect(t(batch).shape).toEqual([2, 16]);
    expect(t(tg.select(batch, 0, 1)).dataSync()).toEqual(tg.select(t(batch), 0, 1).dataSync());
    expect(compose([])(batch)).toBe(batch);
    expect(() => compose([1 as never])).toThrow(/list of transforms/);
  });
});
