/** Ops that reorder or repeat elements: the result is a new contiguous tensor. */
import { needsGrad, record } from '../autograd/function';
import { shapeStr } from '../tensor/shape';
import { normalizeDim, Tensor } from '../tensor/tensor';
import { sumTo } from './reduce';
import { contiguousStrides, gatherView } from './strided';
import { shapeArgs } from './view';

/** x with its dims reordered: out.shape[i] = x.shape[dims[i]]. */
export function permute(x: Tensor, ...dims: (number | readonly number[])[]): Tensor {
  const order = shapeArgs(dims, 'permute').map((d) => normalizeDim(d, x.ndim, 'permute'));
  if (order.length !== x.ndim || new Set(order).size !== order.length) {
    throw new RangeError(`permute: dims ${shapeStr(order)} are not a permutation of the ${x.ndim} dims of a tensor of shape ${shapeStr(x.shape)}`);
  }
  const strides = contiguousStrides(x.shape);
  const out = gatherView(x, 0, order.map((d) => strides[d]), order.map((d) => x.shape[d]));
  if (needsGrad(x)) {
    const inverse = new Array<number>(order.length);
    order.forEach((d, i) => (inverse[d] = i));
    record(out, 'PermuteBackward0', [x], (g) => [permute(g, inverse)]);
  }
  return out;
}

/** x with dims d0 and d1 swapped. */
export function transpose(x: Tensor, d0: number, d1: number): Tensor {
  const a = normalizeDim(d0, x.ndim, 'transpose');
  const b = normalizeDim(d1, x.ndim, 'transpose');
  const order = [...x.shape.keys()];
  [order[a], order[b]] = [order[b], order[a]];
  return permute(x, order);
}

/** The transpose of a matrix (a vector or scalar as is), as torch.t. */
export function t(x: Tensor): Tensor {
  if (x.ndim > 2) throw new RangeError(`t: expects a tensor with <= 2 dimensions, but self is ${x.ndim}D`);
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}

/** The last two dims swapped (a batch of matrices transposed), as Tensor.mT. */
export function mT(x: Tensor): Tensor {
  if (x.ndim < 2) throw new RangeError(`mT: tensor.mT is only supported on matrices or batches of matrices. Got ${x.ndim}-D tensor.`);
  return transpose(x, -2, -1);
}

/** x repeated along size-1 dims (and new leading dims) to `shape`; -1 keeps a size. */
export function expand(x: Tensor, ...sizes: (number | readonly number[])[]): Tensor {
  const target = shapeArgs(sizes, 'expand');
  const lead = target.length - x.ndim;
  if (lead < 0) {
    throw new RangeError(`expand: the number of sizes provided (${target.length}) must be greater or equal to the number of dimensions in the tensor (${x.ndim})`);
  }
  const shape = target.map((n, i) => (n === -1 && i >= lead ? x.shape[i - lead] : n));
  const strides = contiguousStrides(x.shape);
  const outStrides = shape.map((n, i) => {
    if (i < lead) {
      if (n < 0) throw new RangeError(`expand: the expanded size ${n} is not allowed in a leading, non-existing dimension ${i}`);
      return 0;
    }
    const have = x.shape[i - lead];
    if (have === n) return strides[i - lead];
    if (have === 1 && n >= 0) return 0;
    throw new RangeError(
      `expand: The expanded size of the tensor (${n}) must match the existing size (${have}) at non-singleton dimension ${i}. Target sizes: ${shapeStr(target)}. Tensor sizes: ${shapeStr(x.shape)}`,
    );
  });
  const out = gatherView(x, 0, outStrides, shape);
  if (needsGrad(x)) {
    const inShape = x.shape;
    record(out, 'ExpandBackward0', [x], (g) => [sumTo(g, inShape)]);
  }
  return out;
}

/** x broadcast to `shape` by NumPy's rules. */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  return expand(x, shape);
}
