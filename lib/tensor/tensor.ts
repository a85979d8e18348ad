import { inspect } from 'node:util';
import type { Node } from '../autograd/node';
import type { Device } from '../backend/backend';
import { allocOutput, dtypeOfData, type CpuData } from '../backend/storage';
import { allocate, checkDType, type DType } from './dtype';
import { formatTensor } from './format';
import { numel, shapeStr, type Shape } from './shape';

/** Nested arrays of numbers, as `toArray()` gives (bool tensors give 0 and 1). */
export type NestedArray = number | NestedArray[];

/** What `tensor()` takes: nested arrays of numbers or of booleans. */
export type NestedInput = number | boolean | NestedInput[];

/**
 * What a tensor shares with its views (reshape, view, detach): a count of in-place writes, so
 * that autograd can tell when a tensor it saved for backward was changed after saving.
 */
export class Storage {
  private static created = 0;
  /** Increasing creation order: autograd tells buffers made during a backward pass by it. */
  readonly id = ++Storage.created;
  version = 0;

  static lastId(): number {
    return Storage.created;
  }
}

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
  /** Internal: the version counter shared with views. */
  readonly _storage: Storage;
  /** The gradient accumulated by backward() (leaves, and non-leaves after retainGrad()). */
  grad: Tensor | null = null;
  /** The autograd node that made this tensor, or null for a leaf. */
  gradFn: Node | null = null;
  private _requiresGrad = false;

  /**
   * Internal: wraps storage without copying. Use `tensor()` and the other creation functions.
   * The dtype follows the typed array (a Uint8Array holds bool) unless given; `storage` is given
   * for a view that shares its elements with another tensor. The tensor keeps `shape` as given:
   * do not change the array afterwards.
   */
  constructor(data: CpuData, shape: Shape, dtype: DType = dtypeOfData(data), storage: Storage = new Storage()) {
    if (data.length !== numel(shape)) {
      throw new RangeError(`Tensor: ${data.length} elements do not fill shape ${shapeStr(shape)}`);
    }
    this._data = data;
    // Not copied or frozen (freezing costs more than a small op): shapes are never mutated.
    this.shape = shape;
    this.dtype = dtype;
    this._storage = storage;
  }

  /** Whether autograd records ops on this tensor. Only leaves may have it set by hand. */
  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(value: boolean) {
    if (this.gradFn && !value) {
      throw new Error(
        'you can only change requiresGrad flags of leaf variables. If you want to use a computed variable in a subgraph that does not require differentiation use varNoGrad = v.detach().',
      );
    }
    if (value && this.dtype !== 'float32') {
      throw new TypeError(`only Tensors of floating point dtype can require gradients (this one is ${this.dtype})`);
    }
    this._requiresGrad = value;
  }

  /** A tensor made by the user (or detached), not by a recorded op. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** In-place writes to this tensor's storage so far. */
  get _version(): number {
    return this._storage.version;
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
    if (dtype === this.dtype) return this;
    checkDType(dtype, 'to');
    const out = allocOutput(dtype, this._data.length);
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

  toString(): string {
    const suffixes: string[] = [];
    if (this.gradFn) suffixes.push(`gradFn=<${this.gradFn.name}>`);
    else if (this.requiresGrad) suffixes.push('requiresGrad=true');
    return formatTensor(this._data, this.shape, this.dtype, suffixes);
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
