/** The wrongly classified samples, picked out to be looked at (the tutorials' "misclassified test images"). */
import { indexSelect } from '../ops/indexing';
import { tensor } from '../tensor/create';
import { shapeStr } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { labelPairs, type ClassesLike } from './labels';

export interface Misclassified {
  /** Where the wrong ones are in the input, in order. */
  indices: number[];
  /** Their images, [K, ...] as the input's. */
  images: Tensor;
  labels: number[];
  predictions: number[];
}

/**
 * The samples whose prediction differs from the label, the first `limit` of them (default all).
 * `predictions` may be class indices [N] or the model's scores [N, C]. The result's labels and
 * predictions go straight into imageGrid's options.
 */
export function misclassified(images: Tensor, labels: ClassesLike, predictions: ClassesLike, options: { limit?: number } = {}): Misclassified {
  if (!(images instanceof Tensor) || images.ndim < 1) throw new TypeError('misclassified: images must be a tensor [N, ...]');
  const pairs = labelPairs(labels, predictions, 'misclassified');
  if (pairs.labels.length !== images.shape[0]) throw new RangeError(`misclassified: images of shape ${shapeStr(images.shape)} but ${pairs.labels.length} labels`);
  const limit = options.limit ?? Infinity;
  if (!(limit >= 0)) throw new RangeError(`misclassified: limit must be >= 0, got ${limit}`);
  const indices: number[] = [];
  for (let i = 0; i < pairs.labels.length && indices.length < limit; i++) if (pairs.labels[i] !== pairs.predictions[i]) indices.push(i);
  return {
    indices,
    images: indexSelect(images, 0, tensor(Int32Array.from(indices))),
    labels: indices.map((i) => pairs.labels[i]),
    predictions: indices.map((i) => pairs.predictions[i]),
  };
}
