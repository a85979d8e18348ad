import { describe, expect, it } from 'vitest';
import * as tg from '../lib/index';

describe('dropout', () => {
  it('zeroes about p of the elements and scales the rest, only in training', () => {
    tg.manualSeed(3);
    const x = tg.ones(100_000).requiresGrad_();
    const y = tg.dropout(x, 0.3);
    const d = y.dataSync();
    const zeros = d.filter((v) => v === 0).length / d.length;
    expect(Math.abs(zeros - 0.3)).toBeLessThan(0.01);
    expect(d.every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6)).toBe(true);
    y.sum().backward();
    expect(Array.from(x.grad!.dataSync())).toEqual(Array.from(d));
    expect(tg.dropout(x, 0.3, false)).toBe(x);
    expect(tg.dropout(x, 1).sum().item()).toBe(0);
    expect(() => tg.dropout(x, 1.5)).toThrow(/between 0 and 1/);
  });

  it('repeats with the seed', () => {
    tg.manualSeed(9);
    const a = tg.dropout(tg.ones(50), 0.5).dataSync();
    tg.manualSeed(9);
    expect(tg.dropout(tg.ones(50), 0.5).dataSync()).toEqual(a);
  });
});

describe('bernoulli, multinomial, randperm', () => {
  it('bernoulli follows the given probabilities', () => {
    tg.manualSeed(4);
    const p = tg.tensor([0, 0.25, 1]).expand(40_000, 3);
    const m = tg.bernoulli(p).mean(0).dataSync();
    expect(m[0]).toBe(0);
    expect(Math.abs(m[1] - 0.25)).toBeLessThan(0.01);
    expect(m[2]).toBe(1);
    expect(() => tg.bernoulli(tg.tensor([1.5]))).toThrow(/p_in/);
  });

  it('multinomial draws by weight, with or without replacement', () => {
    tg.manualSeed(5);
    const w = tg.tensor([1, 0, 3]);
    const draws = tg.multinomial(w, 20_000, true).dataSync();
    const counts = [0, 0, 0];
    for (const c of draws) counts[c]++;
    expect(counts[1]).toBe(0);
    expect(Math.abs(counts[2] / 20_000 - 0.75)).toBeLessThan(0.015);
    const rows = tg.multinomial(tg.tensor([[1, 1, 1, 1], [0, 0, 5, 1]]), 2);
    expect(rows.shape).toEqual([2, 2]);
    const r = rows.toArray() as number[][];
    expect(new Set(r[0]).size).toBe(2);
    expect(r[1].sort()).toEqual([2, 3]);
    expect(() => tg.multinomial(w, 4)).toThrow(/without replacement/);
    expect(() => tg.multinomial(w, 3)).toThrow(/invalid multinomial distribution/);
    expect(() => tg.multinomial(tg.tensor([-1, 1]), 1)).toThrow(/element < 0/);
  });

  it('randperm is a permutation, seeded', () => {
    tg.manualSeed(6);
    const p = tg.randperm(1000).dataSync();
    expect(Array.from(p).sort((a, b) => a - b)).toEqual([...Array(1000).keys()]);
    expect(Array.from(p.slice(0, 10))).not.toEqual([...Array(10).keys()]);
    tg.manualSeed(6);
    expect(tg.randperm(1000).dataSync()).toEqual(p);
    expect(tg.randperm(0).shape).toEqual([0]);
    expect(() => tg.randperm(-1)).toThrow(RangeError);
  });
});
