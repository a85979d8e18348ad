import { afterEach, describe, expect, it } from 'vitest';
import * as tg from '../lib/index';

function stats(t: tg.Tensor): { mean: number; variance: number; min: number; max: number } {
  const d = t.dataSync();
  let s = 0;
  let s2 = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of d) {
    s += v;
    s2 += v * v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = s / d.length;
  return { mean, variance: s2 / d.length - mean * mean, min, max };
}

describe('seeded generation', () => {
  afterEach(() => tg.setNumThreads(tg.info().numThreads));

  it('manualSeed makes draws repeat, and the stream moves on between calls', () => {
    tg.manualSeed(42);
    const a = tg.rand(1000).dataSync();
    const b = tg.rand(1000).dataSync();
    tg.manualSeed(42);
    expect(tg.rand(1000).dataSync()).toEqual(a);
    expect(tg.rand(1000).dataSync()).toEqual(b);
    expect(b).not.toEqual(a);
    expect(tg.initialSeed()).toBe(42n);
  });

  it("an unseeded process starts from PyTorch's default seed", () => {
    expect(new tg.Generator().initialSeed()).toBe(67280421310721n);
  });

  it('does not depend on the thread count', () => {
    const before = tg.getNumThreads();
    tg.setNumThreads(1);
    tg.manualSeed(7);
    const one = tg.randn(100_000).dataSync();
    tg.setNumThreads(Math.max(2, before));
    tg.manualSeed(7);
    const many = tg.randn(100_000).dataSync();
    expect(many).toEqual(one);
    tg.setNumThreads(before);
  });

  it('separate generators are independent of the default one', () => {
    const g = new tg.Generator(5);
    const x = tg.rand([4], { generator: g }).dataSync();
    tg.rand(10);
    const again = tg.rand([4], { generator: new tg.Generator(5) }).dataSync();
    expect(again).toEqual(x);
  });

  it('state can be saved and restored', () => {
    const g = new tg.Generator(11);
    tg.rand([3], { generator: g });
    const state = g.getState();
    const next = tg.rand([5], { generator: g }).dataSync();
    const h = new tg.Generator().setState(JSON.parse(JSON.stringify(state)));
    expect(tg.rand([5], { generator: h }).dataSync()).toEqual(next);
    expect(() => h.setState({ seed: 'x', counter: 0 })).toThrow(TypeError);
  });

  it('seeds may be negative or bigint, and are checked', () => {
    expect(new tg.Generator(-1).initialSeed()).toBe(2n ** 64n - 1n);
    expect(new tg.Generator(2n ** 70n + 3n).initialSeed()).toBe(3n);
    expect(() => tg.manualSeed(1.5)).toThrow(RangeError);
    expect(() => tg.manualSeed('1' as never)).toThrow(TypeError);
  });
});

describe('distributions', () => {
  it('rand is uniform on [0, 1)', () => {
    tg.manualSeed(1);
    const s = stats(tg.rand(200_000));
    expect(s.min).toBeGreaterThanOrEqual(0);
    expect(s.max).toBeLessThan(1);
    expect(Math.abs(s.mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(s.variance - 1 / 12)).toBeLessThan(0.002);
  });

  it('randn is standard normal', () => {
    tg.manualSeed(2);
    const t = tg.randn(200_000);
    const s = stats(t);
    expect(Math.abs(s.mean)).toBeLessThan(0.01);
    expect(Math.abs(s.variance - 1)).toBeLessThan(0.02);
    const within1 = t.dataSync().filter((v) => Math.abs(v) < 1).length / t.numel();
    expect(Math.abs(within1 - 0.6827)).toBeLessThan(0.01);
  });

  it('randint covers [low, high) evenly', () => {
    tg.manualSeed(3);
    const t = tg.randint(-3, 4, [70_000]);
    expect(t.dtype).toBe('int32');
    const counts = new Map<number, number>();
    for (const v of t.dataSync()) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect([...counts.keys()].sort((a, b) => a - b)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
    for (const c of counts.values()) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(tg.randint(5, [2, 2]).shape).toEqual([2, 2]);
    expect(() => tg.randint(5, 5, [1])).toThrow(/from=5 >= to=5/);
    expect(() => tg.randint(0, 2 ** 32, [1])).toThrow(/int32/);
  });

  it('shapes follow the size arguments', () => {
    expect(tg.rand(2, 3).shape).toEqual([2, 3]);
    expect(tg.randn([4]).shape).toEqual([4]);
    expect(tg.rand().shape).toEqual([]);
    expect(tg.rand(0).numel()).toBe(0);
    expect(() => tg.rand([2], { dtype: 'int32' })).toThrow(/only float32/);
  });
});
