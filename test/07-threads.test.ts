import { afterAll, describe, expect, it } from 'vitest';
import * as tg from '../lib/index';
import { randomArray, testRng } from './helpers/reference';

const initial = tg.getNumThreads();
afterAll(() => tg.setNumThreads(initial));

describe('thread pool', () => {
  it('starts with TENSORGRAD_NUM_THREADS or the available cores', () => {
    const env = Number(process.env.TENSORGRAD_NUM_THREADS);
    if (env > 0) expect(initial).toBe(env);
    else expect(initial).toBeGreaterThanOrEqual(1);
  });

  it('can be resized', () => {
    tg.setNumThreads(3);
    expect(tg.getNumThreads()).toBe(3);
    tg.setNumThreads(1);
    expect(tg.getNumThreads()).toBe(1);
    expect(() => tg.setNumThreads(0)).toThrow(RangeError);
    expect(() => tg.setNumThreads(2.5)).toThrow(RangeError);
  });

  it('gives bitwise identical results with 1, 2 and 3 threads', () => {
    const rng = testRng(5);
    const a = new tg.Tensor(randomArray(rng, 513 * 300), [513, 300]);
    const b = new tg.Tensor(randomArray(rng, 300 * 257), [300, 257]);
    const c = new tg.Tensor(randomArray(rng, 257), [257]);
    // 513 rows are shared out by rows or by columns, depending on the thread count and kernel
    // set; 40 rows always by columns.
    const few = new tg.Tensor(randomArray(rng, 40 * 300), [40, 300]);
    const run = () => [
      tg.matmul(a, b).dataSync(),
      tg.add(tg.matmul(a, b), c).dataSync(),
      tg.div(a, 3).dataSync(),
      tg.matmul(few, b).dataSync(),
    ];
    tg.setNumThreads(1);
    const one = run();
    for (const threads of [2, 3]) {
      tg.setNumThreads(threads);
      const many = run();
      for (let i = 0; i < one.length; i++) expect(Buffer.from(many[i].buffer).equals(Buffer.from(one[i].buffer))).toBe(true);
    }
  });
});
