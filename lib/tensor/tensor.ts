import { inspect } from 'node:util';
import type { NativeData } from '../backend/addon-types';
import type { Device } from '../backend/backend';
import { allocate, checkDType, dtypeOf, type DType } from './dtype';
import { formatTensor } from './format';
import { numel, shapeStr, type Shape } from './shape';

/** Nested arrays of numbers, as `tensor()` takes and `toArray()` gives. */
export type NestedArray = number | NestedArray[];

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
  readonly _data: NativeData;

  /** Internal: wraps storage without copying. Use `tensor()` and the other creation functions. */
  constructor(data: NativeData, shape: Shape) {
    if (data.length !== numel(shape)) {
      throw new RangeError(`Tensor: ${data.length} elements do not fill shape ${shapeStr(shape)}`);
    }
    this._data = data;
    this.shape = Object.freeze(shape.slice());
    this.dtype = dtypeOf(data);
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

  /** The one element of a tensor that holds one, as a number. */
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
  dataSync(): NativeData {
    return this._data.slice();
  }

  /** A copy with the given dtype (the same tensor when it already has it). */
  to(dtype: DType): Tensor {
    checkDType(dtype, 'to');
    if (dtype === this.dtype) return this;
    const out = allocate(dtype, this._data.length);
    if (dtype === 'int32') {
      // Float to int truncates toward zero, as a PyTorch cast does.
      for (let i = 0; i < out.length; i++) out[i] = Math.trunc(this._data[i]);
    } else {
      out.set(this._data);
    }
    return new Tensor(out, this.shape);
  }

  float(): Tensor {
    return this.to('float32');
  }

  int(): Tensor {
    return this.to('int32');
  }

  clone(): Tensor {
    return new Tensor(this._data.slice(), this.shape);
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
