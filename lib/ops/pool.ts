/** Max, average and adaptive average pooling over H and W of NCHW float32 tensors. */
import { allocFloat32, allocInt32 } from '../backend/storage';
import { cpu } from '../backend/cpu';
import { needsGrad, record } from '../autograd/function';
import { isGradEnabled } from '../autograd/grad-mode';
import { numel, shapeStr } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { pair, type Pair } from './conv';
import { squeeze, unsqueeze } from './view';

function batched(x: Tensor, fn: string): [Tensor, boolean] {
  if (!(x instanceof Tensor) || x.dtype !== 'float32') throw new TypeError(`${fn}: expected a float32 Tensor`);
  if (x.ndim === 3) return [unsqueeze(x, 0), true];
  if (x.ndim !== 4) throw new RangeError(`${fn}: expected a 3D or 4D input [N, C, H, W], got ${shapeStr(x.shape)}`);
  return [x, false];
}

/** PyTorch's pooling_output_shape. */
function pooledSize(n: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  let out = Math.floor((n + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (out - 1) * s >= n + p) out--;
  return out;
}

function noDoubleBackward(fn: string): void {
  if (isGradEnabled()) throw new Error(`${fn} has no higher-order gradient (createGraph) yet`);
}

export interface MaxPool2dOptions {
  /** Default: the kernel size. */
  stride?: Pair;
  padding?: Pair;
  dilation?: Pair;
  ceilMode?: boolean;
}

interface PoolGeometry {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  shape: number[];
}

function geometry(x: Tensor, kernelSize: Pair, o: MaxPool2dOptions, fn: string): PoolGeometry {
  const kernel = pair(kernelSize, 'kernelSize', fn, 1);
  const stride = pair(o.stride ?? kernel, 'stride', fn, 1);
  const padding = pair(o.padding ?? 0, 'padding', fn, 0);
  const dilation = pair(o.dilation ?? 1, 'dilation', fn, 1);
  if (padding[0] > kernel[0] / 2 || padding[1] > kernel[1] / 2) throw new RangeError(`${fn}: pad should be at most half of effective kernel size, but got pad=${padding}, kernel_size=${kernel}`);
  const ho = pooledSize(x.shape[2], kernel[0], stride[0], padding[0], dilation[0], o.ceilMode ?? false);
  const wo = pooledSize(x.shape[3], kernel[1], stride[1], padding[1], dilation[1], o.ceilMode ?? false);
  if (ho < 1 || wo < 1) throw new RangeError(`${fn}: Given input size ${shapeStr(x.shape.slice(1))}, the output size would be ${ho}x${wo}, which is too small`);
  return { kernel, stride, padding, dilation, shape: [x.shape[0], x.shape[1], ho, wo] };
}

/** The max of each window, and each max's offset within its H x W plane (PyTorch's indices). */
export function maxPool2dWithIndices(input: Tensor, kernelSize: Pair, options: MaxPool2dOptions = {}): { values: Tensor; indices: Tensor } {
  const [x, unbatched] = batched(input, 'maxPool2d');
  const g = geometry(x, kernelSize, options, 'maxPool2d');
  const out = allocFloat32(numel(g.shape));
  const idx = allocInt32(numel(g.shape));
  cpu.kernels.maxPool2d(x._data as Float32Array, x.shape, g.kernel, g.stride, g.padding, g.dilation, options.ceilMode ?? false, out, g.shape, idx);
  let values = new Tensor(out, g.shape);
  let indices = new Tensor(idx, g.shape);
  if (needsGrad(x)) {
    record(values, 'MaxPool2DWithIndicesBackward0', [x], (gOut, [ids]) => {
      noDoubleBackward('maxPool2d');
      const data = allocFloat32(x.numel());
      cpu.kernels.maxPool2dBackward(gOut._data as Float32Array, gOut.shape, ids._data as Int32Array, data, x.shape);
      return [new Tensor(data, x.shape)];
    }, [indices]);
  }
  if (unbatched) {
    values = squeeze(values, 0);
    indices = squeeze(indices, 0);
  }
  return { values, indices };
}

/** torch.nn.functional.max_pool2d. */
export function maxPool2d(x: Tensor, kernelSize: Pair, options: MaxPool2dOptions = {}): Tensor {
  return maxPool2dWithIndices(x, kernelSize, options).values;
}

export interface AvgPool2dOptions {
  stride?: Pair;
  padding?: Pair;
  ceilMode?: boolean;
  /** Count padded zeros in the divisor (default true, as PyTorch). */
  countIncludePad?: boolean;
  /** Divide by this instead of the window size. */
  divisorOverride?: number | null;
}

/** torch.nn.functional.avg_pool2d. */
export function avgPool2d(input: Tensor, kernelSize: Pair, options: AvgPool2dOptions = {}): Tensor {
  const [x, unbatched] = batched(input, 'avgPool2d');
  const g = geometry(x, kernelSize, { stride: options.stride, padding: options.padding, ceilMode: options.ceilMode }, 'avgPool2d');
  const ceil = options.ceilMode ?? false;
  const include = options.countIncludePad ?? true;
  const divisor = options.divisorOverride ?? null;
  const out = allocFloat32(numel(g.shape));
  cpu.kernels.avgPool2d(x._data as Float32Array, x.shape, g.kernel, g.stride, g.padding, ceil, include, divisor, out, g.shape);
  let result = new Tensor(out, g.shape);
  if (needsGrad(x)) {
    const inShape = x.shape;
    record(result, 'AvgPool2DBackward0', [x], (gOut) => {
      noDoubleBackward('avgPool2d');
      const data = allocFloat32(numel(inShape));
      cpu.kernels.avgPool2dBackward(gOut._data as Float32Array, gOut.shape, g.kernel, g.stride, g.padding, ceil, include, divisor, data, inShape);
      return [new Tensor(data, inShape)];
    });
  }
  if (unbatched) result = squeeze(result, 0);
  return result;
}

/** torch.nn.functional.adaptive_avg_pool2d: averages into an output of outputSize (null keeps a size). */
export function adaptiveAvgPool2d(input: Tensor, outputSize: number | readonly [number | null, number | null]): Tensor {
  const [x, unbatched] = batched(input, 'adaptiveAvgPool2d');
  const [oh, ow] = typeof outputSize === 'number' ? [outputSize, outputSize] : [outputSize[0] ?? x.shape[2], outputSize[1] ?? x.shape[3]];
  if (![oh, ow].every((n) => Number.isInteger(n) && n >= 1)) throw new RangeError(`adaptiveAvgPool2d: outputSize must be positive integers, got ${JSON.stringify(outputSize)}`);
  const shape = [x.shape[0], x.shape[1], oh, ow];
  const out = allocFloat32(numel(shape));
  cpu.kernels.adaptiveAvgPool2d(x._data as Float32Array, x.shape, out, shape);
  let result = new Tensor(out, shape);
  if (needsGrad(x)) {
    const inShape = x.shape;
    record(result, 'AdaptiveAvgPool2DBackward0', [x], (gOut) => {
      noDoubleBackward('adaptiveAvgPool2d');
      const data = allocFloat32(numel(inShape));
      cpu.kernels.adaptiveAvgPool2dBackward(gOut._data as Float32Array, gOut.shape, data, inShape);
      return [new Tensor(data, inShape)];
    });
  }
  if (unbatched) result = squeeze(result, 0);
  return result;
}
