/** Subset: a dataset seen through a list of indices. */
import { allocInt32 } from '../backend/storage';
import { indexSelect } from '../ops/indexing';
import { Tensor } from '../tensor/tensor';
import type { Collated } from './collate';
import { checkIndex, Dataset, isMapStyle } from './dataset';

/**
 * torch.utils.data.Subset: sample i is dataset[indices[i]]. Indices are checked against the
 * dataset's length once, here (negative ones count from the end). When the dataset has a batched
 * getBatch, so does the subset: its indices are mapped by one native indexSelect.
 */
export class Subset<T> extends Dataset<T> {
  readonly dataset: Dataset<T>;
  /** The dataset's indices, non-negative. */
  readonly indices: Int32Array;
  private readonly indexTensor: Tensor;

  constructor(dataset: Dataset<T>, indices: ArrayLike<number> | Tensor) {
    super();
    if (!isMapStyle(dataset)) throw new TypeError('Subset: expected a map-style Dataset');
    const list = indices instanceof Tensor ? indices.dataSync() : indices;
    if (indices instanceof Tensor && indices.ndim !== 1) throw new RangeError('Subset: indices must be a 1-D tensor');
    const n = dataset.length;
    const own = allocInt32(list.length);
    for (let i = 0; i < list.length; i++) own[i] = checkIndex(list[i], n, 'Subset');
    this.dataset = dataset;
    this.indices = own;
    this.indexTensor = new Tensor(own, [own.length], 'int32');
  }

  get length(): number {
    return this.indices.length;
  }

  getItem(index: number): T {
    return this.dataset.getItem(this.indices[checkIndex(index, this.length, 'Subset')]);
  }

  override getBatch(indices: Tensor): Collated<T> | undefined {
    if (!this.dataset.getBatch) return undefined;
    return this.dataset.getBatch(indexSelect(this.indexTensor, 0, indices));
  }
}
