import { describe, expect, it } from 'vitest';
import * as tg from '../lib/index';

const { DataLoader, TensorDataset, Subset, Dataset, IterableDataset, defaultCollate } = tg.data;

/** x: [n, 2] with rows [i, -i]; y: int32 [n] with y[i] = i. */
function rows(n: number) {
  const i = tg.arange(n, { dtype: 'float32' }).unsqueeze(1);
  return new TensorDataset(tg.cat([i, i.neg()], 1), tg.arange(n));
}

/** The same data, read one sample at a time (no getBatch). */
class SlowRows extends Dataset<[tg.Tensor, tg.Tensor]> {
  readonly calls: number[] = [];
  constructor(private readonly inner = rows(10)) {
    super();
  }
  get length() {
    return this.inner.length;
  }
  getItem(i: number) {
    this.calls.push(i);
    return this.inner.getItem(i);
  }
}

function labels(loader: Iterable<[tg.Tensor, tg.Tensor]>): number[][] {
  return [...loader].map(([, y]) => y.toArray() as number[]);
}

describe('DataLoader batches', () => {
  it('in order: shapes, dtypes, the short last batch, and length', () => {
    const loader = new DataLoader(rows(10), { batchSize: 4 });
    expect(loader.length).toBe(3);
    const batches = [...loader];
    expect(batches.map(([x]) => x.shape)).toEqual([[4, 2], [4, 2], [2, 2]]);
    expect(batches[0][0].dtype).toBe('float32');
    expect(batches[0][1].dtype).toBe('int32');
    expect(batches[2][0].toArray()).toEqual([[8, -8], [9, -9]]);
    expect(labels(loader)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  });

  it('dropLast leaves out the short batch', () => {
    const loader = new DataLoader(rows(10), { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect(labels(loader)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect([...new DataLoader(rows(3), { batchSize: 4, dropLast: true })]).toEqual([]);
    const empty = new TensorDataset(tg.zeros(0, 2), tg.arange(0));
    expect(new DataLoader(empty, { batchSize: 4 }).length).toBe(0);
    expect([...new DataLoader(empty)]).toEqual([]);
  });

  it('batchSize defaults to 1', () => {
    const loader = new DataLoader(rows(3));
    expect(loader.length).toBe(3);
    expect([...loader].map(([x]) => x.shape)).toEqual([[1, 2], [1, 2], [1, 2]]);
  });
});

describe('DataLoader shuffling', () => {
  it('draws a new permutation each epoch, repeatable from manualSeed', () => {
    const loader = new DataLoader(rows(50), { batchSize: 50, shuffle: true });
    tg.manualSeed(11);
    const e1 = labels(loader)[0];
    const e2 = labels(loader)[0];
    expect([...e1].sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    expect(e1).not.toEqual([...Array(50).keys()]);
    expect(e2).not.toEqual(e1);
    tg.manualSeed(11);
    expect(labels(loader)[0]).toEqual(e1);
    expect(labels(loader)[0]).toEqual(e2);
  });

  it('uses the given generator instead of the default one', () => {
    const order = (seed: number) => labels(new DataLoader(rows(30), { batchSize: 30, shuffle: true, generator: new tg.Generator(seed) }))[0];
    tg.manualSeed(1);
    const a = order(5);
    tg.manualSeed(2);
    expect(order(5)).toEqual(a);
    expect(order(6)).not.toEqual(a);
  });

  it('keeps rows and labels together', () => {
    tg.manualSeed(4);
    for (const [x, y] of new DataLoader(rows(17), { batchSize: 5, shuffle: true })) {
      expect(tg.select(x, 1, 0).toArray()).toEqual(y.float().toArray());
    }
  });
});

describe('DataLoader fast path', () => {
  it('gives exactly what sample-by-sample collation gives, shuffled or not', () => {
    for (const shuffle of [false, true]) {
      tg.manualSeed(9);
      const fast = [...new DataLoader(rows(10), { batchSize: 3, shuffle })];
      tg.manualSeed(9);
      const slow = new SlowRows();
      const bySample = [...new DataLoader(slow, { batchSize: 3, shuffle })];
      expect(slow.calls.length).toBe(10);
      expect(fast.map(([x, y]) => [x.toArray(), y.toArray(), y.dtype])).toEqual(bySample.map(([x, y]) => [x.toArray(), y.toArray(), y.dtype]));
    }
  });

  it('a Subset of a TensorDataset batches natively, through its indices', () => {
    const sub = new Subset(rows(10), [9, 8, 7, 6]);
    expect(labels(new DataLoader(sub, { batchSize: 3 }))).toEqual([[9, 8, 7], [6]]);
  });

  it('a custom collate sees the samples', () => {
    const loader = new DataLoader(rows(5), { batchSize: 2, collate: (items) => items.map(([, y]) => y.item()) });
    expect([...loader]).toEqual([[0, 1], [2, 3], [4]]);
    // defaultCollate given explicitly takes the sample-by-sample road, with the same result.
    const explicit = new DataLoader(rows(5), { batchSize: 2, collate: defaultCollate });
    expect([...explicit].map(([, y]) => y.toArray())).toEqual([[0, 1], [2, 3], [4]]);
  });
});

describe('DataLoader async iteration', () => {
  it('for await gives the same batches as for of, with event-loop turns between', async () => {
    const loader = new DataLoader(rows(7), { batchSize: 3 });
    const seen: number[][] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    for await (const [, y] of loader) {
      seen.push(y.toArray() as number[]);
      await new Promise((r) => setTimeout(r, 2));
    }
    clearInterval(timer);
    expect(seen).toEqual(labels(loader));
    expect(ticks).toBeGreaterThan(0);
  });
});

describe('DataLoader over an IterableDataset', () => {
  const stream = (n: number) =>
    IterableDataset.from(function* () {
      for (let i = 0; i < n; i++) yield [tg.tensor([i]), i % 2 === 0] as [tg.Tensor, boolean];
    });

  it('batches the stream in order, sync and async', async () => {
    const loader = new DataLoader(stream(5), { batchSize: 2 });
    const sync = [...loader].map(([x, even]) => [x.shape, even.dtype, even.toArray()]);
    expect(sync).toEqual([[[2, 1], 'bool', [1, 0]], [[2, 1], 'bool', [1, 0]], [[1, 1], 'bool', [1]]]);
    const asyncSeen = [];
    for await (const [x] of loader) asyncSeen.push(x.shape);
    expect(asyncSeen).toEqual([[2, 1], [2, 1], [1, 1]]);
    expect([...new DataLoader(stream(5), { batchSize: 2, dropLast: true })].length).toBe(2);
  });

  it('reads an async-only stream with for await, and says so to for of', async () => {
    const ds = IterableDataset.from(async function* () {
      yield tg.tensor([1]);
      yield tg.tensor([2]);
    });
    const loader = new DataLoader(ds, { batchSize: 2 });
    const out: tg.Tensor[] = [];
    for await (const x of loader) out.push(x);
    expect(out.map((x) => x.toArray())).toEqual([[[1], [2]]]);
    expect(() => [...loader]).toThrow(/only async-iterable/);
  });

  it('has a length only when the dataset has one, and no shuffling', () => {
    expect(() => new DataLoader(stream(3)).length).toThrow(/no length/);
    expect(new DataLoader(IterableDataset.from(() => [1, 2, 3], 3), { batchSize: 2 }).length).toBe(2);
    expect(() => new DataLoader(stream(3), { shuffle: true })).toThrow(/expected unspecified shuffle option/);
  });

  it('works with a subclass that defines its own iterator', () => {
    class Count extends IterableDataset<number> {
      override *[Symbol.iterator]() {
        yield* [1, 2, 3];
      }
    }
    expect([...new DataLoader(new Count(), { batchSize: 2 })].map((b) => b.toArray())).toEqual([[1, 2], [3]]);
  });
});

describe('DataLoader options', () => {
  it('rejects bad options with clear errors', () => {
    expect(() => new DataLoader(rows(3), { batchSize: 0 })).toThrow(/batchSize should be a positive integer/);
    expect(() => new DataLoader(rows(3), { batchSize: 1.5 })).toThrow(/positive integer/);
    expect(() => new DataLoader({} as never)).toThrow(/expected a Dataset/);
    expect(() => new DataLoader(rows(3), { generator: {} as never })).toThrow(/Generator/);
  });
});
