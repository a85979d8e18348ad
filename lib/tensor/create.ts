import type { CpuData } from '../backend/storage';
import { allocate, checkDType, type DType } from './dtype';
import { checkShape, shapeStr, sizeArgs } from './shape';
import { Tensor, type NestedInput } from './tensor';

export interface CreateOptions {
  dtype?: DType;
  /** As PyTorch's requires_grad: the new tensor is a leaf whose ops autograd records (float32 only). */
  requiresGrad?: boolean;
}

/** Applies the requiresGrad option to a newly made tensor. */
export function withRequiresGrad(t: Tensor, options: { requiresGrad?: boolean }, fn: string): Tensor {
  const flag = options.requiresGrad;
  if (flag === undefined) return t;
  if (typeof flag !== 'boolean') throw new TypeError(`${fn}: requiresGrad must be a boolean, got ${typeof flag}`);
  if (flag && t.dtype !== 'float32') throw new TypeError(`${fn}: only float32 tensors can require gradients, got dtype ${t.dtype}`);
  t.requiresGrad = flag;
  return t;
}

type SizeArgs = [shape: readonly number[], options?: CreateOptions] | [...size: number[], options: CreateOptions] | number[];

/** Splits `f(2, 3)`, `f([2, 3])`, `f([2, 3], { dtype })` and `f(2, 3, { dtype })`. */
function shapeAndOptions(args: readonly unknown[], fn: string): [number[], CreateOptions] {
  const list = [...args];
  const last = list[list.length - 1];
  const opts = last !== null && typeof last === 'object' && !Array.isArray(last) ? (list.pop() as CreateOptions) : {};
  if (opts.dtype !== undefined) checkDType(opts.dtype, fn);
  return [sizeArgs(list, fn), opts];
}

function filled(shape: number[], dtype: DType, value: number): Tensor {
  const data = allocate(dtype, shape.reduce((a, b) => a * b, 1));
  if (value !== 0) data.fill(dtype === 'bool' ? 1 : value);
  return new Tensor(data, shape, dtype);
}

/** Infers the shape of nested arrays and checks that they are rectangular. */
function nestedShape(data: NestedInput, fn: string): number[] {
  const shape: number[] = [];
  let level: NestedInput = data;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  const check = (x: NestedInput, depth: number): void => {
    if (depth === shape.length) {
      if (typeof x !== 'number' && typeof x !== 'boolean') throw new TypeError(`${fn}: expected a number at depth ${depth}, got ${describe(x)}`);
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[depth]) {
      throw new RangeError(
        `${fn}: expected a sequence of length ${shape[depth]} at dim ${depth} (the shape of the first entries is ${shapeStr(shape)}), got ${describe(x)}`,
      );
    }
    for (const y of x) check(y, depth + 1);
  };
  check(data, 0);
  return shape;
}

function describe(x: unknown): string {
  return Array.isArray(x) ? `an array of length ${x.length}` : typeof x;
}

/**
 * A tensor holding a copy of `data`: nested arrays of numbers or booleans, a number, or a typed
 * array (whose shape is 1-D). JavaScript numbers do not tell integers from floats, so numbers make
 * float32 unless `dtype: 'int32'` is given; an Int32Array makes int32; booleans make bool.
 */
export function tensor(data: NestedInput | Float32Array | Int32Array | readonly number[], options: CreateOptions = {}): Tensor {
  if (options.dtype !== undefined) checkDType(options.dtype, 'tensor');
  if (data instanceof Float32Array || data instanceof Int32Array) {
    const dtype = options.dtype ?? (data instanceof Int32Array ? 'int32' : 'float32');
    const out = allocate(dtype, data.length);
    copyInto(out, data, dtype);
    return withRequiresGrad(new Tensor(out, [data.length], dtype), options, 'tensor');
  }
  if (ArrayBuffer.isView(data)) throw new TypeError('tensor: typed arrays other than Float32Array and Int32Array are not supported');
  const nested = data as NestedInput;
  const shape = nestedShape(nested, 'tensor');
  const flat = (shape.length === 0 ? [nested] : (nested as NestedInput[]).flat(Infinity as 1)) as (number | boolean)[];
  const dtype = options.dtype ?? (flat.length > 0 && typeof flat[0] === 'boolean' ? 'bool' : 'float32');
  const out = allocate(dtype, flat.length);
  copyInto(out, flat.map(Number), dtype);
  return withRequiresGrad(new Tensor(out, shape, dtype), options, 'tensor');
}

function copyInto(out: CpuData, src: ArrayLike<number>, dtype: DType): void {
  if (dtype === 'bool') for (let i = 0; i < src.length; i++) out[i] = src[i] !== 0 ? 1 : 0;
  else if (out instanceof Int32Array) for (let i = 0; i < src.length; i++) out[i] = Math.trunc(src[i]);
  else out.set(src);
}

/** zeros(2, 3), zeros([2, 3]), zeros([2, 3], { dtype: 'int32' }) */
export function zeros(...args: SizeArgs): Tensor {
  const [shape, opts] = shapeAndOptions(args, 'zeros');
  return withRequiresGrad(filled(shape, opts.dtype ?? 'float32', 0), opts, 'zeros');
}

export function ones(...args: SizeArgs): Tensor {
  const [shape, opts] = shapeAndOptions(args, 'ones');
  return withRequiresGrad(filled(shape, opts.dtype ?? 'float32', 1), opts, 'ones');
}

/** A tensor of `shape` filled with `value`. */
export function full(shape: readonly number[], value: number, options: CreateOptions = {}): Tensor {
  if (typeof value !== 'number') throw new TypeError(`full: value must be a number, got ${typeof value}`);
  return withRequiresGrad(filled(checkShape(shape, 'full'), options.dtype ?? 'float32', value), options, 'full');
}

export function zerosLike(t: Tensor, options: CreateOptions = {}): Tensor {
  return withRequiresGrad(filled(t.shape.slice(), options.dtype ?? t.dtype, 0), options, 'zerosLike');
}

export function onesLike(t: Tensor, options: CreateOptions = {}): Tensor {
  return withRequiresGrad(filled(t.shape.slice(), options.dtype ?? t.dtype, 1), options, 'onesLike');
}

export function fullLike(t: Tensor, value: number, options: CreateOptions = {}): Tensor {
  return withRequiresGrad(filled(t.shape.slice(), options.dtype ?? t.dtype, value), options, 'fullLike');
}

/**
 * arange(end), arange(start, end), arange(start, end, step): values from start up to (not
 * including) end. As in PyTorch, the result is int32 when start, end and step are all integers.
 */
export function arange(...args: [number, number?, number?, CreateOptions?] | [number, CreateOptions?] | [number, number, CreateOptions?]): Tensor {
  const opts = (typeof args[args.length - 1] === 'object' ? args.pop() : {}) as CreateOptions;
  const nums = args as number[];
  if (nums.length === 0 || nums.length > 3 || nums.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
    throw new TypeError(`arange: expected (end), (start, end) or (start, end, step) as finite numbers, got (${nums.join(', ')})`);
  }
  const [start, end, step] = nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1];
  if (step === 0) throw new RangeError('arange: step must be nonzero');
  if ((end - start) / step < 0) {
    throw new RangeError(`arange: upper bound and larger bound inconsistent with step sign (start ${start}, end ${end}, step ${step})`);
  }
  const n = Math.ceil((end - start) / step);
  const dtype = opts.dtype ?? ([start, end, step].every(Number.isInteger) ? 'int32' : 'float32');
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return withRequiresGrad(new Tensor(data, [n], dtype), opts, 'arange');
}

/** `steps` values evenly spaced from start to end, both included. */
export function linspace(start: number, end: number, steps: number, options: CreateOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`linspace: number of steps must be non-negative, got ${steps}`);
  const data = allocate(options.dtype ?? 'float32', steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  // The second half counts back from end, as PyTorch does, so that the last value is exactly end.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) data[i] = i < half || steps === 1 ? start + step * i : end - step * (steps - 1 - i);
  return withRequiresGrad(new Tensor(data, [steps], options.dtype ?? 'float32'), options, 'linspace');
}
