/** TensorDataset: samples are the rows (dim 0) of one or more tensors. */
import { indexSelect } from '../ops/indexing';
import { select } from '../ops/join';
import { shapeStr } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import type { Collated } from './collate';
import { checkIndex, Dataset } from './dataset';

/**
 * torch.utils.data.TensorDataset: sample i is [t0[i], t1[i], ...], one entry per tensor given,
 * so the tensors must share their size along dim 0. A DataLoader batch is one indexSelect per
 * tensor (getBatch), the same as stacking the samples.
 */
export class TensorDataset<T extends Tensor[] = Tensor[]> extends Dataset<T> {
  readonly tensors: T;

  constructor(...tensors: T) {
    super();
    if (tensors.length === 0) throw new TypeError('TensorDataset: expected at least one tensor');
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new TypeError(`TensorDataset: argument ${i} is not a Tensor`);
      if (t.ndim === 0) throw new RangeError(`TensorDataset: tensor ${i} is 0-d; every tensor needs a dim 0 to index`);
    });
    const n = tensors[0].shape[0];
    const bad = tensors.findIndex((t) => t.shape[0] !== n);
    if (bad >= 0) {
      throw new RangeError(
        `TensorDataset: Size mismatch between tensors: tensor 0 has shape ${shapeStr(tensors[0].shape)} and tensor ${bad} has shape ${shapeStr(tensors[bad].shape)}; their sizes along dim 0 must match`,
      );
    }
    this.tensors = tensors;
  }

  get length(): number {
    return this.tensors[0].shape[0];
  }

  getItem(index: number): T {
    const i = checkIndex(index, this.length, 'TensorDataset');
    return this.tensors.map((t) => select(t, 0, i)) as T;
  }

  override getBatch(indices: Tensor): Collated<T> {
    return this.tensors.map((t) => indexSelect(t, 0, indices)) as Collated<T>;
  }
}
