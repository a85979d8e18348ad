/** Turning a list of samples into a batch: torch.utils.data.default_collate. */
import { tensor } from '../tensor/create';
import { Tensor } from '../tensor/tensor';
import { stack } from '../ops/join';

/**
 * The batch the default collate makes from samples of type T: tensors are stacked along a new
 * dim 0, numbers and booleans become 1-D tensors, strings stay a list, and arrays (tuples) and
 * plain objects are collated position by position or key by key.
 */
export type Collated<T> = T extends Tensor
  ? Tensor
  : T extends number | boolean
    ? Tensor
    : T extends string
      ? string[]
      : T extends readonly unknown[]
        ? { -readonly [K in keyof T]: Collated<T[K]> }
        : T extends object
          ? { [K in keyof T]: Collated<T[K]> }
          : never;

/** A function from the samples of one batch to the batch (the DataLoader's `collate`). */
export type CollateFn<T, B> = (items: T[]) => B;

function kind(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'array';
  if (x instanceof Tensor) return 'Tensor';
  return typeof x;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (x === null || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

function collateAny(items: unknown[], where: string): unknown {
  const first = items[0];
  const k = kind(first);
  const other = items.findIndex((x) => kind(x) !== k);
  if (other >= 0) {
    throw new TypeError(`defaultCollate: sample 0${where} is ${k} but sample ${other}${where} is ${kind(items[other])}`);
  }
  if (first instanceof Tensor) return stack(items as Tensor[]);
  // JavaScript numbers do not tell integers from floats, so numbers make float32 as tensor() does;
  // give int32 labels as 0-d int32 tensors (as the MNIST datasets do) to keep them int32.
  if (typeof first === 'number') return tensor(items as number[]);
  if (typeof first === 'boolean') return tensor(items as boolean[]);
  if (typeof first === 'string') return items.slice();
  if (Array.isArray(first)) {
    const n = first.length;
    const bad = items.findIndex((x) => (x as unknown[]).length !== n);
    if (bad >= 0) {
      throw new RangeError(`defaultCollate: each element in list of batch should be of equal size: sample 0${where} has ${n} entries, sample ${bad}${where} has ${(items[bad] as unknown[]).length}`);
    }
    return first.map((_, i) => collateAny(items.map((x) => (x as unknown[])[i]), `${where}[${i}]`));
  }
  if (isPlainObject(first)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(first)) {
      out[key] = collateAny(items.map((x) => (x as Record<string, unknown>)[key]), `${where}.${key}`);
    }
    return out;
  }
  throw new TypeError(`defaultCollate: samples must hold Tensors, numbers, booleans, strings, arrays or plain objects; found ${k}${where ? ` at ${where}` : ''}`);
}

/** Stacks samples into a batch as PyTorch's default_collate does (see Collated). */
export function defaultCollate<T>(items: readonly T[]): Collated<T> {
  if (!Array.isArray(items) || items.length === 0) throw new TypeError('defaultCollate: expected a non-empty array of samples');
  return collateAny(items as unknown[], '') as Collated<T>;
}
