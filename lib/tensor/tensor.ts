import { inspect } from 'node:util';
import type { Device } from '../backend/backend';
import { dtypeOfData, type CpuData } from '../backend/storage';
import { allocate, checkDType, type DType } from './dtype';
import { formatTensor } from './format';
import { numel, shapeStr, type Shape } from './shape';

/** Nested arrays of numbers, as `toArray()` gives (bool tensors give 0 and 1). */
export type NestedArray = number | NestedArray[];

/** What `tensor()` takes: nested arrays of numbers or of booleans. */
export type NestedInput = number | boolean | NestedInput[];

/**
 * An n-dimensional array on a device: contiguous, row-major storage with a shape and a dtype.
 * Make one with `tensor()`, `zeros()`, `rand()` and the other creation functions; the ops are
 * methods here (`a.add(b)`) and functions in the package (`tg.add(a, b)`).
 */
export class Tensor {
  readonly shape: Shape;
  readonly dtype: DType;
  readonly device: Device = 'cpu';
  /**
   * The elements, contiguous and row-major, exactly numel() of them. Internal: ops read and write
   * it through the backend; use dataSync() or toArray() for a copy.
   */
  readonly _data: CpuData;

  /**
   * Internal: wraps storage without copying. Use `tensor()` and the other creation functions.
   * The dtype follows the typed array (a Uint8Array holds bool) unless given.
   */
  constructor(data: CpuData, shape: Shape, dtype: DType = dtypeOfData(data)) {
    if (data.length !== numel(shape)) {
      throw new RangeError(`Tensor: ${data.length} elements do not fill shape ${shapeStr(shape)}`);
    }
    this._data = data;
    this.shape = Object.freeze(shape.slice());
    this.dtype = dtype;
  }

  get ndim(): number {
    return this.shape.length;
  }

  dim(): number {
    return this.shape.length;
  }

  numel(): number {
    return this._data.length;
  }

  /** The shape, or the extent of one dimension (negative counts from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return this.shape.slice();
    if (this.ndim === 0) throw new RangeError(`size: dimension specified as ${dim} but tensor has no dimensions`);
    return this.shape[normalizeDim(dim, this.ndim, 'size')];
  }

  /** The one element of a tensor that holds one, as a number (bool gives 0 or 1). */
  item(): number {
    if (this._data.length !== 1) {
      throw new RangeError(`item: a Tensor with ${this._data.length} elements cannot be converted to Scalar`);
    }
    return this._data[0];
  }

  /** The elements as nested arrays (a number for a 0-d tensor). */
  toArray(): NestedArray {
    if (this.ndim === 0) return this._data[0];
    const build = (dim: number, offset: number, stride: number): NestedArray[] => {
      const n = this.shape[dim];
      const inner = stride / (n || 1);
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) {
        out[i] = dim === this.ndim - 1 ? this._data[offset + i] : build(dim + 1, offset + i * inner, inner);
      }
      return out;
    };
    return build(0, 0, this._data.length);
  }

  /** A copy of the elements as a typed array, row-major. */
  dataSync(): CpuData {
    return this._data.slice();
  }

  /** A copy with the given dtype (the same tensor when it already has it). */
  to(dtype: DType): Tensor {
    checkDType(dtype, 'to');
    if (dtype === this.dtype) return this;
    const out = allocate(dtype, this._data.length);
    const src = this._data;
    if (dtype === 'bool') {
      for (let i = 0; i < out.length; i++) out[i] = src[i] !== 0 ? 1 : 0;
    } else {
      // Typed-array assignment truncates float to int toward zero, as a PyTorch cast does.
      out.set(src);
    }
    return new Tensor(out, this.shape, dtype);
  }

  float(): Tensor {
    return this.to('float32');
  }

  int(): Tensor {
    return this.to('int32');
  }

  bool(): Tensor {
    return this.to('bool');
  }

  clone(): Tensor {
    return new Tensor(this._data.slice(), this.shape, this.dtype);
  }

  toString(): string {
    return formatTensor(this._data, this.shape, this.dtype);
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** A dimension index in [-ndim, ndim) made non-negative, or a RangeError in PyTorch's words. */
export function normalizeDim(dim: number, ndim: number, fn: string): number {
  const lo = -Math.max(ndim, 1);
  const hi = Math.max(ndim, 1) - 1;
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    throw new RangeError(`${fn}: Dimension out of range (expected to be in range of [${lo}, ${hi}], but got ${dim})`);
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}
