/** Reductions over dims, with keepdim, and the sumTo that broadcasting's backward needs. */
import { allocFloat32, allocInt32, allocOutput } from '../backend/storage';
import { ArgReduceOpCode, ReduceOpCode, type ReduceOpName } from '../backend/addon-types';
import { cpu } from '../backend/cpu';
import { needsGrad, record } from '../autograd/function';
import { allocate } from '../tensor/dtype';
import { numel, sameShape, shapeStr, type Shape } from '../tensor/shape';
import { normalizeDim, Tensor } from '../tensor/tensor';
import { zeros } from '../tensor/create';
import { add, div, mul, sub } from './binary';
import { eq, isfinite, where } from './compare';
import { scatterAdd } from './indexing';
import { expand } from './permute';
import { abs, exp, log, neg, pow, sqrt } from './unary';
import { reshape } from './view';

/** A dim, a list of dims, or all dims (undefined / null / []). */
export type Dims = number | readonly number[] | null | undefined;

/** Sorted, distinct, non-negative dims; every dim when none are given, as torch.sum does. */
export function resolveDims(x: Tensor, dims: Dims, fn: string): number[] {
  if (dims === undefined || dims === null || (Array.isArray(dims) && dims.length === 0)) return [...x.shape.keys()];
  const list = (typeof dims === 'number' ? [dims] : dims).map((d) => normalizeDim(d, x.ndim, fn));
  if (new Set(list).size !== list.length) throw new RangeError(`${fn}: dim ${list.find((d, i) => list.indexOf(d) !== i)} appears multiple times in the list of dims`);
  return list.sort((a, b) => a - b);
}

/** The result shape: reduced dims dropped, or kept as size 1. */
function reducedShape(shape: Shape, dims: readonly number[], keepdim: boolean): number[] {
  return keepdim ? shape.map((n, d) => (dims.includes(d) ? 1 : n)) : shape.filter((_, d) => !dims.includes(d));
}

/** g (the gradient of a reduction) reshaped so that it broadcasts against the input. */
function keptDims(g: Tensor, inShape: Shape, dims: readonly number[]): Tensor {
  return reshape(g, reducedShape(inShape, dims, true));
}

function reduceForward(op: ReduceOpName, x: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  if (op === 'mean' && x.dtype !== 'float32') throw new TypeError(`mean: expected a float32 input, got ${x.dtype}`);
  const outDtype = x.dtype === 'float32' ? 'float32' : 'int32';
  const shape = reducedShape(x.shape, dims, keepdim);
  const out = allocOutput(outDtype, numel(shape)) as Float32Array | Int32Array;
  cpu.kernels.reduce(ReduceOpCode[op], x._data, x.shape, dims, out);
  return new Tensor(out, shape, outDtype);
}

/** The sum over dims (all when omitted); bool and int32 sum to int32. */
export function sum(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  const dims = resolveDims(x, dim, 'sum');
  const out = reduceForward('sum', x, dims, keepdim);
  if (needsGrad(x)) {
    const inShape = x.shape;
    record(out, 'SumBackward1', [x], (g) => [expand(keptDims(g, inShape, dims), inShape)]);
  }
  return out;
}

/** The mean over dims (all when omitted). */
export function mean(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  const dims = resolveDims(x, dim, 'mean');
  const out = reduceForward('mean', x, dims, keepdim);
  if (needsGrad(x)) {
    const inShape = x.shape;
    const count = dims.reduce((n, d) => n * inShape[d], 1);
    record(out, 'MeanBackward1', [x], (g) => [expand(div(keptDims(g, inShape, dims), count), inShape)]);
  }
  return out;
}

/**
 * g reduced to `shape` by summing the dims that broadcasting added or stretched: the gradient of
 * an operand of a broadcast op.
 */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let d = 0; d < g.ndim; d++) if (d < lead || (shape[d - lead] === 1 && g.shape[d] !== 1)) dims.push(d);
  if (lead < 0 || shape.some((n, d) => n !== 1 && n !== g.shape[d + lead])) {
    throw new RangeError(`sumTo: ${shapeStr(g.shape)} does not broadcast from ${shapeStr(shape)}`);
  }
  return reshape(sum(g, dims.length > 0 ? dims : [], false), shape);
}

export interface ValuesIndices {
  values: Tensor;
  indices: Tensor;
}

function extremeAlong(op: 'max' | 'min', x: Tensor, dim: number, keepdim: boolean): ValuesIndices {
  if (x.dtype === 'bool') throw new TypeError(`${op}: bool tensors are not supported`);
  const d = normalizeDim(dim, x.ndim, op);
  if (x.ndim > 0 && x.shape[d] === 0) throw new RangeError(`${op}(): Expected reduction dim ${d} to have non-zero size.`);
  const shape = reducedShape(x.shape, [d], keepdim);
  const values = allocOutput(x.dtype, numel(shape)) as Float32Array | Int32Array;
  const indices = allocInt32(numel(shape));
  const xShape = x.ndim === 0 ? [1] : x.shape;
  cpu.kernels.argReduce(ArgReduceOpCode[op], x._data as Float32Array | Int32Array, xShape, x.ndim === 0 ? 0 : d, values, indices);
  const out: ValuesIndices = { values: new Tensor(values, shape, x.dtype), indices: new Tensor(indices, shape) };
  if (needsGrad(x)) {
    const inShape = x.shape;
    record(out.values, op === 'max' ? 'MaxBackward0' : 'MinBackward0', [x], (g, [idx]) => {
      const gk = keptDims(g, inShape, [d]);
      const ik = reshape(idx, gk.shape);
      return [scatterAddInto(inShape, d, ik, gk)];
    }, [out.indices]);
  }
  return out;
}

/** The largest of all elements; the gradient is shared evenly among ties, as torch.max does. */
function extremeAll(op: 'max' | 'min', x: Tensor): Tensor {
  if (x.numel() === 0) throw new RangeError(`${op}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
  const out = reduceForward(op, x, [...x.shape.keys()], false);
  if (needsGrad(x)) {
    record(out, op === 'max' ? 'MaxBackward1' : 'MinBackward1', [x], (g, [xs, result]) => {
      const mask = eq(xs, result).float();
      return [mul(div(mask, sum(mask)), g)];
    }, [x, out]);
  }
  return out;
}

/** max(x): the largest element; max(x, dim, keepdim): { values, indices } along dim. */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return dim === undefined ? extremeAll('max', x) : extremeAlong('max', x, dim, keepdim);
}

/** min(x): the smallest element; min(x, dim, keepdim): { values, indices } along dim. */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return dim === undefined ? extremeAll('min', x) : extremeAlong('min', x, dim, keepdim);
}

/** The maximum over dims (all when omitted), values only (torch.amax). */
export function amax(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  const dims = resolveDims(x, dim, 'amax');
  if (dims.length === 1 && x.ndim > 0) return extremeAlong('max', x, dims[0], keepdim).values;
  return keepdim ? reshape(extremeAll('max', x), reducedShape(x.shape, dims, true)) : extremeAll('max', x);
}

function argExtreme(op: 'max' | 'min', x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  const name = op === 'max' ? 'argmax' : 'argmin';
  if (x.dtype === 'bool') throw new TypeError(`${name}: bool tensors are not supported`);
  if (dim === undefined) {
    if (x.numel() === 0) throw new RangeError(`${name}(): Expected reduction dim to be specified for input.numel() == 0.`);
    const index = allocInt32(1);
    cpu.kernels.argReduce(ArgReduceOpCode[op], x._data as Float32Array | Int32Array, [x.numel()], 0, null, index);
    return new Tensor(index, keepdim ? x.shape.map(() => 1) : []);
  }
  return extremeAlong(op, x.detach(), dim, keepdim).indices;
}

/** Indices of the largest values along dim (of the flattened tensor when dim is omitted). */
export function argmax(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtreme('max', x, dim, keepdim);
}

/** Indices of the smallest values along dim (of the flattened tensor when dim is omitted). */
export function argmin(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtreme('min', x, dim, keepdim);
}

export interface VarianceOptions {
  /** Subtracted from the element count in the divisor: 1 (Bessel's, the default) or 0. */
  correction?: number;
  keepdim?: boolean;
}

/** The variance over dims (all when omitted), with Bessel's correction unless told otherwise. */
export function variance(x: Tensor, dim?: Dims, options: VarianceOptions = {}): Tensor {
  if (x.dtype !== 'float32') throw new TypeError(`var: expected a float32 input, got ${x.dtype}`);
  const dims = resolveDims(x, dim, 'var');
  const correction = options.correction ?? 1;
  const shape = reducedShape(x.shape, dims, options.keepdim ?? false);
  const out = allocFloat32(numel(shape));
  cpu.kernels.reduceVar(x._data as Float32Array, x.shape, dims, correction, out);
  const result = new Tensor(out, shape);
  if (needsGrad(x)) {
    const inShape = x.shape;
    const count = dims.reduce((n, d) => n * inShape[d], 1);
    record(result, 'VarBackward0', [x], (g, [xs]) => {
      const centered = sub(xs, mean(xs, dims, true));
      return [mul(centered, mul(keptDims(g, inShape, dims), 2 / Math.max(0, count - correction)))];
    }, [x]);
  }
  return result;
}

/** The standard deviation: sqrt(var). */
export function std(x: Tensor, dim?: Dims, options: VarianceOptions = {}): Tensor {
  return sqrt(variance(x, dim, options));
}

/** log(sum(exp(x))) over dims, computed stably. */
export function logsumexp(x: Tensor, dim: Dims, keepdim = false): Tensor {
  const dims = resolveDims(x, dim, 'logsumexp');
  const m = amax(x.detach(), dims, true);
  const finite = where(isfinite(m), m, 0);
  const out = add(log(sum(exp(sub(x, finite)), dims, true)), finite);
  return keepdim ? out : reshape(out, reducedShape(x.shape, dims, false));
}

/**
 * The p-norm over dims (all when omitted): p = 2 (default, the Frobenius / Euclidean norm), 1,
 * Infinity, -Infinity, or any other positive p.
 */
export function norm(x: Tensor, p: number | 'fro' = 2, dim?: Dims, keepdim = false): Tensor {
  const order = p === 'fro' ? 2 : p;
  if (typeof order !== 'number' || Number.isNaN(order) || order === 0) throw new RangeError(`norm: unsupported order ${String(p)}`);
  const dims = resolveDims(x, dim, 'norm');
  if (order === Infinity) return amax(abs(x), dims, keepdim);
  if (order === -Infinity) return neg(amax(neg(abs(x)), dims, keepdim));
  if (order === 1) return sum(abs(x), dims, keepdim);
  if (order === 2) return sqrt(sum(mul(x, x), dims, keepdim));
  return pow(sum(pow(abs(x), order), dims, keepdim), 1 / order);
}

/** A zero tensor of shape with g added at index along dim (the backward of a selection). */
function scatterAddInto(shape: Shape, dim: number, index: Tensor, g: Tensor): Tensor {
  return scatterAdd(zeros([...shape]), dim, index, g);
}
