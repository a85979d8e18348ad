/** Class labels and predictions in the forms a user has at hand, turned into plain class indices. */
import { argmax } from '../ops/reduce';
import { shapeStr } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';

/**
 * Class indices: an int32 (or whole-valued float32) tensor [N], a number array, or, for
 * predictions, a model's scores [N, C] (logits or probabilities), read as their argmax.
 */
export type ClassesLike = Tensor | ArrayLike<number>;

/** The class indices in `x` as numbers, checked to be whole and non-negative. */
export function classIndices(x: ClassesLike, what: string): number[] {
  let values: ArrayLike<number>;
  if (x instanceof Tensor) {
    if (x.ndim === 2) values = argmax(x, 1).dataSync();
    else if (x.ndim === 1) values = x.dataSync();
    else throw new RangeError(`${what}: expected class indices [N] or scores [N, C], got a tensor of shape ${shapeStr(x.shape)}`);
  } else if (x !== null && typeof x === 'object' && typeof x.length === 'number') {
    values = x;
  } else {
    throw new TypeError(`${what}: expected a tensor or an array of class indices`);
  }
  const out = Array.from(values, Number);
  const bad = out.findIndex((v) => !Number.isInteger(v) || v < 0);
  if (bad >= 0) throw new RangeError(`${what}: class indices must be whole numbers >= 0, got ${out[bad]} at index ${bad}`);
  return out;
}

/** Labels and predictions of the same length, as class indices. */
export function labelPairs(labels: ClassesLike, predictions: ClassesLike, what: string): { labels: number[]; predictions: number[] } {
  const l = classIndices(labels, `${what}: labels`);
  const p = classIndices(predictions, `${what}: predictions`);
  if (l.length !== p.length) throw new RangeError(`${what}: ${l.length} labels but ${p.length} predictions`);
  return { labels: l, predictions: p };
}
