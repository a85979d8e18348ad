/** DataLoader: batches from a dataset, in order or shuffled, by sync or async iteration. */
import { allocInt32 } from '../backend/storage';
import { randperm } from '../ops/random';
import { defaultGenerator, Generator } from '../tensor/random';
import { Tensor } from '../tensor/tensor';
import { defaultCollate, type CollateFn, type Collated } from './collate';
import { isMapStyle, type Dataset, type IterableDataset } from './dataset';

export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** A new random order every epoch (default false); map-style datasets only. */
  shuffle?: boolean;
  /** Leave out the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /** The source of the shuffled orders; tensorgrad's default generator (manualSeed) if not given. */
  generator?: Generator;
  /** Samples to batch; defaultCollate if not given. */
  collate?: CollateFn<T, B>;
}

/** Lets timers and I/O run between batches of an async epoch. */
function eventLoopTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * torch.utils.data.DataLoader, single-process: `for (const [x, y] of loader)` or
 * `for await (const [x, y] of loader)`; `length` is the number of batches.
 *
 * A map-style dataset is read in an order drawn afresh for each epoch (when shuffle is set) from
 * the generator. With the default collate, a dataset that has getBatch (TensorDataset, a Subset of
 * one, MNIST, FashionMNIST) gets each batch as one native indexSelect per tensor from the batch's
 * indices; any other dataset is read sample by sample and collated. The async iterator gives the
 * event loop a turn between batches; the sync one does not.
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B>, AsyncIterable<B> {
  readonly dataset: Dataset<T> | IterableDataset<T>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly generator: Generator | undefined;
  private readonly collate: CollateFn<T, B> | undefined;
  private inOrder: Int32Array | undefined;

  constructor(dataset: Dataset<T> | IterableDataset<T>, options: DataLoaderOptions<T, B> = {}) {
    const { batchSize = 1, shuffle = false, dropLast = false, generator, collate } = options;
    const iterable = typeof dataset === 'object' && dataset !== null && (Symbol.iterator in dataset || Symbol.asyncIterator in dataset);
    if (!isMapStyle(dataset) && !iterable) {
      throw new TypeError('DataLoader: expected a Dataset (getItem and length) or an IterableDataset (Symbol.iterator or Symbol.asyncIterator)');
    }
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw new RangeError(`DataLoader: batchSize should be a positive integer value, but got batchSize=${batchSize}`);
    if (typeof shuffle !== 'boolean' || typeof dropLast !== 'boolean') throw new TypeError('DataLoader: shuffle and dropLast must be booleans');
    if (shuffle && !isMapStyle(dataset)) throw new TypeError('DataLoader with IterableDataset: expected unspecified shuffle option, but got shuffle=true');
    if (generator !== undefined && !(generator instanceof Generator)) throw new TypeError('DataLoader: generator must be a tensorgrad Generator');
    if (collate !== undefined && typeof collate !== 'function') throw new TypeError('DataLoader: collate must be a function');
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.generator = generator;
    this.collate = collate;
  }

  /** The number of batches an epoch gives. */
  get length(): number {
    const n = this.dataset.length;
    if (n === undefined) throw new TypeError('DataLoader: this IterableDataset has no length, so its DataLoader has none either');
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  [Symbol.iterator](): Iterator<B> {
    const ds = this.dataset;
    if (isMapStyle(ds)) return this.mapBatches(ds);
    if (typeof ds[Symbol.iterator] !== 'function') {
      throw new TypeError('DataLoader: this dataset is only async-iterable; iterate the DataLoader with for await');
    }
    return this.streamBatches(ds[Symbol.iterator]!());
  }

  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    const ds = this.dataset;
    if (isMapStyle(ds)) {
      for (const batch of this.mapBatches(ds)) {
        yield batch;
        await eventLoopTurn();
      }
      return;
    }
    const it = typeof ds[Symbol.asyncIterator] === 'function' ? ds[Symbol.asyncIterator]!() : ds[Symbol.iterator]!();
    let items: T[] = [];
    for (let r = await it.next(); !r.done; r = await it.next()) {
      items.push(r.value);
      if (items.length === this.batchSize) {
        yield this.collateItems(items);
        items = [];
      }
    }
    if (items.length > 0 && !this.dropLast) yield this.collateItems(items);
  }

  /** This epoch's order of the dataset's indices. */
  private epochOrder(n: number): Int32Array {
    if (this.shuffle) return randperm(n, this.generator ?? defaultGenerator)._data as Int32Array;
    if (this.inOrder?.length !== n) {
      this.inOrder = allocInt32(n);
      for (let i = 0; i < n; i++) this.inOrder[i] = i;
    }
    return this.inOrder;
  }

  private *mapBatches(ds: Dataset<T>): IterableIterator<B> {
    const order = this.epochOrder(ds.length);
    const end = this.dropLast ? order.length - (order.length % this.batchSize) : order.length;
    for (let start = 0; start < end; start += this.batchSize) {
      yield this.fetch(ds, order.subarray(start, Math.min(start + this.batchSize, end)));
    }
  }

  private fetch(ds: Dataset<T>, ids: Int32Array): B {
    if (this.collate === undefined && typeof ds.getBatch === 'function') {
      // The index tensor is a view of the epoch's order: no copy, no per-sample objects.
      const batch = ds.getBatch(new Tensor(ids, [ids.length], 'int32'));
      if (batch !== undefined) return batch as unknown as B;
    }
    return this.collateItems(Array.from(ids, (i) => ds.getItem(i)));
  }

  private collateItems(items: T[]): B {
    return this.collate ? this.collate(items) : (defaultCollate(items) as unknown as B);
  }

  private *streamBatches(it: Iterator<T>): IterableIterator<B> {
    let items: T[] = [];
    for (let r = it.next(); !r.done; r = it.next()) {
      items.push(r.value);
      if (items.length === this.batchSize) {
        yield this.collateItems(items);
        items = [];
      }
    }
    if (items.length > 0 && !this.dropLast) yield this.collateItems(items);
  }
}
