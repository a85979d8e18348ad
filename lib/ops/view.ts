/**
 * Ops that only change the shape: the result shares the input's storage (writes show through,
 * and the version counter is shared), as views of contiguous tensors do in PyTorch.
 */
import { needsGrad, record } from '../autograd/function';
import { numel, shapeStr, type Shape } from '../tensor/shape';
import { normalizeDim, Tensor } from '../tensor/tensor';

/** Reads `f(x, 2, 3)` or `f(x, [2, 3])`. */
export function shapeArgs(args: readonly (number | readonly number[])[], fn: string): number[] {
  const list = args.length === 1 && Array.isArray(args[0]) ? (args[0] as number[]) : (args as number[]);
  for (const d of list) {
    if (typeof d !== 'number' || !Number.isInteger(d)) throw new TypeError(`${fn}: sizes must be integers, got ${shapeStr(list)}`);
  }
  return list.slice();
}

/** The shape with a -1 entry inferred from the element count, or a RangeError as PyTorch words it. */
function inferShape(shape: number[], count: number, fn: string): number[] {
  const unknown = shape.indexOf(-1);
  if (shape.some((d, i) => d < -1 || (d === -1 && i !== unknown))) {
    throw new RangeError(`${fn}: only one dimension can be inferred, and sizes must be >= -1, got ${shapeStr(shape)}`);
  }
  const known = shape.reduce((a, d) => (d === -1 ? a : a * d), 1);
  const out = shape.slice();
  if (unknown >= 0) {
    if (known === 0 || count % known !== 0) throw new RangeError(`${fn}: shape '${shapeStr(shape)}' is invalid for input of size ${count}`);
    out[unknown] = count / known;
  }
  if (numel(out) !== count) throw new RangeError(`${fn}: shape '${shapeStr(shape)}' is invalid for input of size ${count}`);
  return out;
}

/** x with another shape of the same element count, sharing its storage. */
export function viewAs(x: Tensor, shape: Shape, name: string): Tensor {
  const out = new Tensor(x._data, shape, x.dtype, x._storage);
  if (needsGrad(x)) {
    const inShape = x.shape;
    record(out, name, [x], (g) => [reshape(g, inShape)]);
  }
  return out;
}

/** x with a new shape (one entry may be -1), sharing its storage: reshape(x, 2, -1). */
export function reshape(x: Tensor, ...shape: (number | readonly number[])[]): Tensor {
  return viewAs(x, inferShape(shapeArgs(shape, 'reshape'), x.numel(), 'reshape'), 'ViewBackward0');
}

/** The same as reshape: tensors are contiguous, so every reshape is a view. */
export function view(x: Tensor, ...shape: (number | readonly number[])[]): Tensor {
  return viewAs(x, inferShape(shapeArgs(shape, 'view'), x.numel(), 'view'), 'ViewBackward0');
}

/** Dims startDim..endDim merged into one. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return viewAs(x, [1], 'ViewBackward0');
  const s = normalizeDim(startDim, x.ndim, 'flatten');
  const e = normalizeDim(endDim, x.ndim, 'flatten');
  if (s > e) throw new RangeError(`flatten: startDim (${startDim}) cannot come after endDim (${endDim})`);
  const shape = [...x.shape.slice(0, s), numel(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return viewAs(x, shape, 'ViewBackward0');
}

/** Dim `dim` split into `sizes` (one may be -1). */
export function unflatten(x: Tensor, dim: number, sizes: readonly number[]): Tensor {
  const d = normalizeDim(dim, x.ndim, 'unflatten');
  const parts = inferShape([...sizes], x.shape[d], 'unflatten');
  return viewAs(x, [...x.shape.slice(0, d), ...parts, ...x.shape.slice(d + 1)], 'ViewBackward0');
}

/** x without size-1 dims (all of them, or the given ones that have size 1). */
export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  const dims = dim === undefined ? null : new Set((typeof dim === 'number' ? [dim] : dim).map((d) => normalizeDim(d, x.ndim, 'squeeze')));
  const shape = x.shape.filter((n, i) => n !== 1 || (dims !== null && !dims.has(i)));
  return viewAs(x, shape, 'SqueezeBackward0');
}

/** x with a size-1 dim inserted at `dim` (which may be x.ndim, or negative). */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeDim(dim, x.ndim + 1, 'unsqueeze');
  return viewAs(x, [...x.shape.slice(0, d), 1, ...x.shape.slice(d)], 'UnsqueezeBackward0');
}
