/** randomSplit: a dataset cut into random, non-overlapping subsets. */
import { randperm } from '../ops/random';
import { defaultGenerator, type Generator } from '../tensor/random';
import { isMapStyle, type Dataset } from './dataset';
import { Subset } from './subset';

/**
 * The subset sizes from `lengths`: counts that sum to n, or fractions that sum to 1, as in torch
 * 2.x (each part gets floor(n * fraction), and the remainder goes one by one to the first parts).
 */
export function splitLengths(n: number, lengths: readonly number[]): number[] {
  if (!Array.isArray(lengths) || lengths.length === 0 || lengths.some((x) => typeof x !== 'number' || !Number.isFinite(x) || x < 0)) {
    throw new RangeError(`randomSplit: lengths must be a non-empty list of non-negative numbers, got [${String(lengths)}]`);
  }
  const total = lengths.reduce((a, b) => a + b, 0);
  let sizes: number[];
  if (Math.abs(total - 1) <= 1e-9 && total <= 1) {
    if (lengths.some((f) => f > 1)) throw new RangeError(`randomSplit: fractions must be between 0 and 1, got [${lengths.join(', ')}]`);
    sizes = lengths.map((f) => Math.floor(n * f));
    const remainder = n - sizes.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) sizes[i % sizes.length]++;
  } else {
    if (lengths.some((x) => !Number.isInteger(x))) {
      throw new RangeError(`randomSplit: lengths must be integers, or fractions that sum to 1; got [${lengths.join(', ')}]`);
    }
    sizes = lengths.slice();
  }
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (sum !== n) throw new RangeError(`randomSplit: Sum of input lengths (${sum}) does not equal the length of the input dataset (${n})!`);
  return sizes;
}

/**
 * torch.utils.data.random_split: Subsets of the given lengths (or fractions) over one random
 * permutation of the dataset, drawn from `generator` (tensorgrad's default one unless given), so
 * the same seed gives the same split.
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[], generator: Generator = defaultGenerator): Subset<T>[] {
  if (!isMapStyle(dataset)) throw new TypeError('randomSplit: expected a map-style Dataset');
  const sizes = splitLengths(dataset.length, lengths);
  const perm = randperm(dataset.length, generator)._data as Int32Array;
  let at = 0;
  return sizes.map((size) => {
    const part = new Subset(dataset, perm.subarray(at, at + size));
    at += size;
    return part;
  });
}
