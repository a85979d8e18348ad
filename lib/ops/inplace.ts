/**
 * In-place ops: they write into the tensor's storage (shared with its views) and bump its
 * version, so autograd notices when a tensor it saved was changed. Under autograd they record
 * the op on a copy of the old value and take over its node.
 */
import { needsGrad } from '../autograd/function';
import { noGrad } from '../autograd/grad-mode';
import { broadcastShapes, sameShape, shapeStr } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { add, div, mul, sub, type TensorLike } from './binary';
import { clone } from './clone';
import { expand } from './permute';
import { clamp } from './unary';

function checkWritable(x: Tensor, fn: string, recording: boolean): void {
  if (recording && x.isLeaf && x.requiresGrad) {
    throw new Error(`${fn}: a leaf Variable that requires grad is being used in an in-place operation.`);
  }
}

/** Writes result (x's shape) into x's storage and makes x the output of result's node. */
function assign(x: Tensor, result: Tensor, fn: string): Tensor {
  if (!sameShape(result.shape, x.shape)) {
    throw new RangeError(`${fn}: output with shape ${shapeStr(x.shape)} doesn't match the broadcast shape ${shapeStr(result.shape)}`);
  }
  if (result.dtype !== x.dtype) result = result.to(x.dtype);
  x._data.set(result._data);
  x._storage.version++;
  if (result.gradFn) {
    x.gradFn = result.gradFn;
    x.requiresGrad = true;
  }
  return x;
}

/** Runs f out of place on x (a recorded copy of it when autograd is on) and writes the result back. */
function inPlace(x: Tensor, fn: string, f: (self: Tensor) => Tensor, ...others: unknown[]): Tensor {
  const recording = needsGrad(x, ...others);
  checkWritable(x, fn, recording);
  if (!recording) return assign(x, noGrad(() => f(x)), fn);
  // The node saves the copy, not x, so writing into x below does not break its backward.
  return assign(x, f(clone(x)), fn);
}

export function add_(x: Tensor, other: TensorLike, alpha = 1): Tensor {
  return inPlace(x, 'add_', (s) => add(s, alpha === 1 ? other : mul(other, alpha)), other);
}

export function sub_(x: Tensor, other: TensorLike, alpha = 1): Tensor {
  return inPlace(x, 'sub_', (s) => sub(s, alpha === 1 ? other : mul(other, alpha)), other);
}

export function mul_(x: Tensor, other: TensorLike): Tensor {
  return inPlace(x, 'mul_', (s) => mul(s, other), other);
}

export function div_(x: Tensor, other: TensorLike): Tensor {
  return inPlace(x, 'div_', (s) => div(s, other), other);
}

export function clamp_(x: Tensor, min?: number | null, max?: number | null): Tensor {
  return inPlace(x, 'clamp_', (s) => clamp(s, min, max));
}

/** Sets every element to value (no gradient flows through it). */
export function fill_(x: Tensor, value: number): Tensor {
  checkWritable(x, 'fill_', needsGrad(x));
  if (x.requiresGrad && !x.isLeaf && needsGrad(x)) throw new Error('fill_: in-place fill of a tensor that requires grad is not supported under autograd');
  x._data.fill(x.dtype === 'bool' ? (value ? 1 : 0) : value);
  x._storage.version++;
  return x;
}

export function zero_(x: Tensor): Tensor {
  return fill_(x, 0);
}

/** Copies src (broadcast to x's shape, cast to x's dtype) into x. */
export function copy_(x: Tensor, src: Tensor): Tensor {
  if (!(src instanceof Tensor)) throw new TypeError(`copy_: src must be a Tensor, got ${typeof src}`);
  broadcastShapes(src.shape, x.shape, 'copy_');
  const recording = needsGrad(x, src);
  checkWritable(x, 'copy_', recording);
  if (recording) return assign(x, expand(src.to(x.dtype), x.shape), 'copy_');
  const full = sameShape(src.shape, x.shape) ? src : noGrad(() => expand(src, x.shape));
  x._data.set(full.to(x.dtype)._data);
  x._storage.version++;
  return x;
}
