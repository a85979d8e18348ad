import { describe, expect, it } from 'vitest';
import * as tg from '../lib/index';

const { TensorDataset, Subset, ConcatDataset, randomSplit, IterableDataset, Dataset, defaultCollate } = tg.data;

/** x: [n, 2] with rows [i, 10 i]; y: int32 [n] with y[i] = i % 3. */
function rows(n: number): tg.data.TensorDataset<[tg.Tensor, tg.Tensor]> {
  const x = tg.arange(n, { dtype: 'float32' }).unsqueeze(1).mul(tg.tensor([[1, 10]]));
  const y = tg.tensor(Array.from({ length: n }, (_, i) => i % 3), { dtype: 'int32' });
  return new TensorDataset(x, y);
}

/** A map-style dataset written the PyTorch way: a subclass with getItem and length. */
class Squares extends Dataset<{ n: number; sq: tg.Tensor; name: string }> {
  constructor(readonly length: number) {
    super();
  }
  getItem(i: number) {
    return { n: i, sq: tg.tensor([i * i]), name: `s${i}` };
  }
}

describe('TensorDataset', () => {
  it('gives the rows of its tensors, with negative indices from the end', () => {
    const ds = rows(5);
    expect(ds.length).toBe(5);
    const [x, y] = ds.getItem(3);
    expect(x.toArray()).toEqual([3, 30]);
    expect(y.shape).toEqual([]);
    expect(y.dtype).toBe('int32');
    expect(y.item()).toBe(0);
    expect(ds.getItem(-1)[0].toArray()).toEqual([4, 40]);
    expect([...ds].map(([, t]) => t.item())).toEqual([0, 1, 2, 0, 1]);
  });

  it('getBatch gathers rows by an index tensor, as stacking the samples does', () => {
    const ds = rows(6);
    const idx = tg.tensor([4, 0, 4], { dtype: 'int32' });
    const [x, y] = ds.getBatch(idx);
    const [sx, sy] = defaultCollate([4, 0, 4].map((i) => ds.getItem(i)));
    expect(x.toArray()).toEqual(sx.toArray());
    expect(y.toArray()).toEqual(sy.toArray());
    expect(y.dtype).toBe('int32');
  });

  it('rejects tensors of different lengths, naming the shapes', () => {
    expect(() => new TensorDataset(tg.zeros(5, 3), tg.zeros(4))).toThrow(/Size mismatch.*\[5, 3\].*\[4\]/);
    expect(() => new TensorDataset()).toThrow(/at least one tensor/);
    expect(() => new TensorDataset(tg.tensor(1))).toThrow(/0-d/);
    expect(() => rows(3).getItem(3)).toThrow(/index 3 is out of range for a dataset of length 3/);
    expect(() => rows(3).getItem(1.5)).toThrow(RangeError);
  });
});

describe('Subset and ConcatDataset', () => {
  it('Subset reads through its indices, and batches through the parent', () => {
    const ds = rows(10);
    const sub = new Subset(ds, [7, -1, 2]);
    expect(sub.length).toBe(3);
    expect(Array.from(sub.indices)).toEqual([7, 9, 2]);
    expect(sub.getItem(1)[0].toArray()).toEqual([9, 90]);
    const [x, y] = sub.getBatch(tg.tensor([2, 0], { dtype: 'int32' }))!;
    expect(x.toArray()).toEqual([[2, 20], [7, 70]]);
    expect(y.toArray()).toEqual([2, 1]);
    expect(() => new Subset(ds, [10])).toThrow(/index 10 is out of range for a dataset of length 10/);
    expect(() => sub.getItem(3)).toThrow(/out of range/);
  });

  it('a Subset of a dataset without getBatch has none either', () => {
    const sub = new Subset(new Squares(4), [3, 1]);
    expect(sub.getBatch(tg.tensor([0], { dtype: 'int32' }))).toBeUndefined();
    expect(sub.getItem(0).n).toBe(3);
  });

  it('ConcatDataset indexes across its parts', () => {
    const cat = new ConcatDataset<{ n: number; sq: tg.Tensor; name: string }>([new Squares(2), new Squares(0), new Squares(3)]);
    expect(cat.length).toBe(5);
    expect(cat.cumulativeSizes).toEqual([2, 2, 5]);
    expect([0, 1, 2, 3, 4, -1].map((i) => cat.getItem(i).n)).toEqual([0, 1, 0, 1, 2, 2]);
    expect(() => cat.getItem(5)).toThrow(/out of range/);
    expect(() => new ConcatDataset([])).toThrow(/empty/);
    expect(() => new ConcatDataset([IterableDataset.from(() => [1]) as unknown as tg.data.Dataset<number>])).toThrow(/not a map-style Dataset/);
  });
});

describe('randomSplit', () => {
  it('splits by lengths into disjoint subsets covering the dataset, repeatably from the seed', () => {
    const ds = rows(10);
    const g = new tg.Generator(7);
    const parts = randomSplit(ds, [3, 7], g);
    expect(parts.map((p) => p.length)).toEqual([3, 7]);
    const all = parts.flatMap((p) => Array.from(p.indices));
    expect([...all].sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    const again = randomSplit(ds, [3, 7], new tg.Generator(7));
    expect(Array.from(again[0].indices)).toEqual(Array.from(parts[0].indices));
    expect(Array.from(randomSplit(ds, [3, 7], new tg.Generator(8))[1].indices)).not.toEqual(Array.from(parts[1].indices));
  });

  it('uses the default generator when none is given', () => {
    tg.manualSeed(3);
    const a = Array.from(randomSplit(rows(20), [10, 10])[0].indices);
    tg.manualSeed(3);
    expect(Array.from(randomSplit(rows(20), [10, 10])[0].indices)).toEqual(a);
  });

  it('takes fractions as torch 2.x does: floors, then the remainder round-robin', () => {
    const parts = randomSplit(rows(10), [0.25, 0.25, 0.5], new tg.Generator(1));
    // floor: 2, 2, 5; the one left over goes to the first part.
    expect(parts.map((p) => p.length)).toEqual([3, 2, 5]);
    expect(randomSplit(rows(11), [0.3, 0.3, 0.4]).map((p) => p.length)).toEqual([4, 3, 4]);
  });

  it('rejects lengths that do not add up', () => {
    expect(() => randomSplit(rows(10), [3, 3])).toThrow(/Sum of input lengths \(6\) does not equal the length of the input dataset \(10\)/);
    expect(() => randomSplit(rows(10), [0.5, 0.4])).toThrow(/integers, or fractions that sum to 1/);
    expect(() => randomSplit(rows(10), [-1, 11])).toThrow(/non-negative/);
    expect(() => randomSplit(rows(10), [])).toThrow(/non-empty/);
  });
});

describe('IterableDataset', () => {
  it('from() makes a fresh pass per iteration, sync or async', async () => {
    const ds = IterableDataset.from(() => [1, 2, 3]);
    const it = ds[Symbol.iterator]!();
    const seen: number[] = [];
    for (let r = it.next(); !r.done; r = it.next()) seen.push(r.value);
    const asyncIt = ds[Symbol.asyncIterator]!();
    for (let r = await asyncIt.next(); !r.done; r = await asyncIt.next()) seen.push(r.value);
    expect(seen).toEqual([1, 2, 3, 1, 2, 3]);
    const onlyAsync = IterableDataset.from(async function* () {
      yield 1;
    });
    expect(() => onlyAsync[Symbol.iterator]!()).toThrow(/only async-iterable/);
    expect(() => IterableDataset.from(() => [], -1)).toThrow(/length/);
  });
});

describe('defaultCollate', () => {
  it('stacks tensors, tensors numbers, keeps strings, and recurses into arrays and objects', () => {
    const batch = defaultCollate([0, 1, 2].map((i) => new Squares(3).getItem(i)));
    expect(batch.n.dtype).toBe('float32');
    expect(batch.n.toArray()).toEqual([0, 1, 2]);
    expect(batch.sq.shape).toEqual([3, 1]);
    expect(batch.name).toEqual(['s0', 's1', 's2']);
    const pairs = defaultCollate([[tg.tensor(1, { dtype: 'int32' }), true], [tg.tensor(2, { dtype: 'int32' }), false]] as [tg.Tensor, boolean][]);
    expect(pairs[0].dtype).toBe('int32');
    expect(pairs[0].toArray()).toEqual([1, 2]);
    expect(pairs[1].dtype).toBe('bool');
  });

  it('names what does not fit', () => {
    expect(() => defaultCollate([])).toThrow(/non-empty/);
    expect(() => defaultCollate([[1, 2], [1]])).toThrow(/equal size.*sample 0 has 2 entries, sample 1 has 1/);
    expect(() => defaultCollate([1, 'a'] as unknown[])).toThrow(/sample 0 is number but sample 1 is string/);
    expect(() => defaultCollate([new Date()])).toThrow(/found object/);
    expect(() => defaultCollate([tg.zeros(2), tg.zeros(3)])).toThrow(/equal size/);
  });
});
