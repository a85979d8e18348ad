/** ConcatDataset: several datasets one after another. */
import { checkIndex, Dataset, isMapStyle } from './dataset';

/**
 * torch.utils.data.ConcatDataset: the samples of each dataset in turn. Batches are fetched sample
 * by sample (no getBatch): the parts may hold different kinds of data.
 */
export class ConcatDataset<T> extends Dataset<T> {
  readonly datasets: readonly Dataset<T>[];
  /** The running totals of the parts' lengths (PyTorch's cumulative_sizes). */
  readonly cumulativeSizes: readonly number[];

  constructor(datasets: Iterable<Dataset<T>>) {
    super();
    const list = [...datasets];
    if (list.length === 0) throw new TypeError('ConcatDataset: datasets should not be an empty iterable');
    list.forEach((d, i) => {
      if (!isMapStyle(d)) throw new TypeError(`ConcatDataset: entry ${i} is not a map-style Dataset (an IterableDataset cannot be indexed)`);
    });
    let total = 0;
    this.cumulativeSizes = list.map((d) => (total += d.length));
    this.datasets = list;
  }

  get length(): number {
    return this.cumulativeSizes[this.cumulativeSizes.length - 1];
  }

  getItem(index: number): T {
    const i = checkIndex(index, this.length, 'ConcatDataset');
    // The first part whose running total passes i (binary search).
    let lo = 0;
    let hi = this.cumulativeSizes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulativeSizes[mid] > i) hi = mid;
      else lo = mid + 1;
    }
    return this.datasets[lo].getItem(lo === 0 ? i : i - this.cumulativeSizes[lo - 1]);
  }
}
