/** The two kinds of dataset PyTorch knows: map-style (Dataset) and iterable (IterableDataset). */
import type { Tensor } from '../tensor/tensor';
import type { Collated } from './collate';

/**
 * A map-style dataset (torch.utils.data.Dataset): `getItem(i)` is PyTorch's `__getitem__` and
 * `length` its `__len__`. Subclass it and implement both.
 *
 * `getBatch(indices)` is tensorgrad's batched `__getitems__`: given an int32 index tensor it
 * returns the whole collated batch, exactly what `defaultCollate` makes of the samples one by one,
 * or undefined when it cannot. The DataLoader uses it, when present and no custom collate is set,
 * to build a batch with one native gather per tensor instead of one JavaScript sample per index.
 * A subclass that changes what `getItem` returns must change `getBatch` to match.
 */
export abstract class Dataset<T> implements Iterable<T> {
  abstract readonly length: number;

  abstract getItem(index: number): T;

  getBatch?(indices: Tensor): Collated<T> | undefined;

  /** The samples in order, as iterating a map-style dataset does in Python. */
  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.getItem(i);
  }
}

/**
 * An iterable dataset (torch.utils.data.IterableDataset): a stream of samples. Subclass it and
 * implement `[Symbol.iterator]` or `[Symbol.asyncIterator]` (a fresh pass per call: the DataLoader
 * starts one pass per epoch), or make one with `IterableDataset.from`. A `length`, when known,
 * gives the DataLoader a length too.
 */
export abstract class IterableDataset<T> {
  // Declared, not defined: a field here would shadow a subclass's `get length()`.
  declare readonly length?: number;

  [Symbol.iterator]?(): Iterator<T>;

  [Symbol.asyncIterator]?(): AsyncIterator<T>;

  /** A dataset whose every pass calls `source()` for a new iterable (sync or async). */
  static from<T>(source: () => Iterable<T> | AsyncIterable<T>, length?: number): IterableDataset<T> {
    return new FunctionIterableDataset(source, length);
  }
}

class FunctionIterableDataset<T> extends IterableDataset<T> {
  override readonly length?: number;

  constructor(
    private readonly source: () => Iterable<T> | AsyncIterable<T>,
    length?: number,
  ) {
    super();
    if (typeof source !== 'function') throw new TypeError('IterableDataset.from: expected a function that returns an iterable');
    if (length !== undefined && !(Number.isInteger(length) && length >= 0)) {
      throw new RangeError(`IterableDataset.from: length must be a non-negative integer, got ${length}`);
    }
    this.length = length;
  }

  override [Symbol.asyncIterator](): AsyncIterator<T> {
    const it = this.source();
    if (Symbol.asyncIterator in it) return it[Symbol.asyncIterator]();
    return toAsync(it[Symbol.iterator]());
  }

  override [Symbol.iterator](): Iterator<T> {
    const it = this.source();
    if (!(Symbol.iterator in it)) {
      throw new TypeError('IterableDataset: this dataset is only async-iterable; iterate it (or its DataLoader) with for await');
    }
    return it[Symbol.iterator]();
  }
}

async function* toAsync<T>(it: Iterator<T>): AsyncGenerator<T> {
  for (let r = it.next(); !r.done; r = it.next()) yield r.value;
}

/** Whether a value is a map-style dataset (length and getItem), as the DataLoader asks. */
export function isMapStyle<T>(d: Dataset<T> | IterableDataset<T> | null | undefined): d is Dataset<T> {
  return typeof d === 'object' && d !== null && typeof (d as Dataset<T>).getItem === 'function' && typeof d.length === 'number';
}

/** An index in [-length, length) made non-negative, or a RangeError naming the dataset. */
export function checkIndex(index: number, length: number, name: string): number {
  if (!Number.isInteger(index) || index < -length || index >= length) {
    throw new RangeError(`${name}: index ${index} is out of range for a dataset of length ${length}`);
  }
  return index < 0 ? index + length : index;
}
