/**
 * 2-D convolution (and 1-D as a thin wrapper), NCHW float32, as torch.nn.functional.conv2d: the
 * forward, input-gradient and weight-gradient passes are native kernels.
 */
import { allocFloat32 } from '../backend/storage';
import { cpu } from '../backend/cpu';
import { needsGrad, record } from '../autograd/function';
import { isGradEnabled } from '../autograd/grad-mode';
import { numel, shapeStr } from '../tensor/shape';
import { Tensor } from '../tensor/tensor';
import { pad } from './join';
import { reluGrad } from './unary';
import { squeeze, unsqueeze } from './view';

export type Pair = number | readonly [number, number];

export interface Conv2dOptions {
  stride?: Pair;
  /** Zero padding per side, or 'valid' (none) or 'same' (output as large as the input; stride 1). */
  padding?: Pair | 'same' | 'valid';
  dilation?: Pair;
  groups?: number;
}

export function pair(v: Pair, name: string, fn: string, min: number): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : [v[0], v[1]];
  if (p.length !== 2 || p.some((n) => !Number.isInteger(n) || n < min)) {
    throw new RangeError(`${fn}: ${name} must be an integer >= ${min} or a pair of them, got ${JSON.stringify(v)}`);
  }
  return p;
}

/** 'same' padding of one dim: [before, after], the extra one after, as PyTorch pads. */
function samePadding(kernel: number, dilation: number): [number, number] {
  const total = dilation * (kernel - 1);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** The input padded by hand where 'same' padding is uneven, and the symmetric padding left. */
function resolvePadding(x: Tensor, weight: Tensor, o: Conv2dOptions, stride: [number, number], dilation: [number, number], fn: string): [Tensor, [number, number]] {
  const p = o.padding ?? 0;
  if (p === 'valid') return [x, [0, 0]];
  if (p !== 'same') return [x, pair(p, 'padding', fn, 0)];
  if (stride[0] !== 1 || stride[1] !== 1) throw new RangeError(`${fn}: padding='same' is not supported for strided convolutions`);
  const [top, bottom] = samePadding(weight.shape[2], dilation[0]);
  const [left, right] = samePadding(weight.shape[3], dilation[1]);
  if (top === bottom && left === right) return [x, [top, left]];
  return [pad(x, [left, right, top, bottom]), [0, 0]];
}

function checkConv(x: Tensor, weight: Tensor, bias: Tensor | null, groups: number, fn: string): void {
  if (!(x instanceof Tensor) || !(weight instanceof Tensor)) throw new TypeError(`${fn}: input and weight must be Tensors`);
  if (x.dtype !== 'float32' || weight.dtype !== 'float32' || (bias && bias.dtype !== 'float32')) throw new TypeError(`${fn}: expected float32 tensors`);
  if (weight.ndim !== 4) throw new RangeError(`${fn}: weight must be [out_channels, in_channels / groups, kH, kW], got ${shapeStr(weight.shape)}`);
  if (!Number.isInteger(groups) || groups < 1 || weight.shape[0] % groups !== 0) throw new RangeError(`${fn}: groups must be a positive integer dividing out_channels (${weight.shape[0]}), got ${groups}`);
  if (x.ndim !== 4 || x.shape[1] !== weight.shape[1] * groups) {
    throw new RangeError(
      `${fn}: Given groups=${groups}, weight of size ${shapeStr(weight.shape)}, expected input${shapeStr(x.shape)} to have ${weight.shape[1] * groups} channels, but got ${x.shape[1]} channels instead`,
    );
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== weight.shape[0])) throw new RangeError(`${fn}: bias must have ${weight.shape[0]} elements, got ${shapeStr(bias.shape)}`);
}

function outSize(n: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
}

/**
 * conv2d(x [N, C, H, W] or [C, H, W], weight [O, C / groups, kH, kW], bias [O]?, options). `relu`
 * fuses a ReLU into the output (Conv2d followed by ReLU).
 */
export function conv2d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv2dOptions = {}, relu = false): Tensor {
  const unbatched = input instanceof Tensor && input.ndim === 3;
  const batched = unbatched ? unsqueeze(input, 0) : input;
  const groups = options.groups ?? 1;
  checkConv(batched, weight, bias, groups, 'conv2d');
  const stride = pair(options.stride ?? 1, 'stride', 'conv2d', 1);
  const dilation = pair(options.dilation ?? 1, 'dilation', 'conv2d', 1);
  const [x, padding] = resolvePadding(batched, weight, options, stride, dilation, 'conv2d');
  const [n, , h, w] = x.shape;
  const [o, , kh, kw] = weight.shape;
  const ho = outSize(h, kh, stride[0], padding[0], dilation[0]);
  const wo = outSize(w, kw, stride[1], padding[1], dilation[1]);
  if (ho < 1 || wo < 1) throw new RangeError(`conv2d: input ${shapeStr(x.shape)} is smaller than the kernel ${kh}x${kw} (dilation ${dilation.join('x')}, padding ${padding.join('x')})`);
  const shape = [n, o, ho, wo];
  const out = allocFloat32(numel(shape));
  cpu.kernels.conv2d(x._data as Float32Array, x.shape, weight._data as Float32Array, weight.shape, bias ? (bias._data as Float32Array) : null, stride, padding, dilation, groups, relu, out, shape);
  let result = new Tensor(out, shape);
  if (needsGrad(x, weight, bias)) {
    record(result, 'ConvolutionBackward0', [x, weight, bias], (g, [xs, ws, y]) => {
      if (isGradEnabled()) throw new Error('conv2d has no higher-order gradient (createGraph) yet');
      // With the ReLU fused, only positions where the output is positive pass the gradient.
      const gOut = relu ? reluGrad(g, y) : g;
      let gx: Tensor | null = null;
      if (xs.requiresGrad) {
        const data = allocFloat32(xs.numel());
        cpu.kernels.conv2dBackwardInput(gOut._data as Float32Array, gOut.shape, ws._data as Float32Array, ws.shape, stride, padding, dilation, groups, data, xs.shape);
        gx = new Tensor(data, xs.shape);
      }
      const wantW = ws.requiresGrad;
      const wantB = bias?.requiresGrad ?? false;
      const gw = wantW ? allocFloat32(ws.numel()) : null;
      const gb = wantB ? allocFloat32(o) : null;
      if (gw || gb) cpu.kernels.conv2dBackwardWeight(gOut._data as Float32Array, gOut.shape, xs._data as Float32Array, xs.shape, stride, padding, dilation, groups, gw, ws.shape, gb);
      return [gx, gw && new Tensor(gw, ws.shape), gb && new Tensor(gb, [o])];
    }, relu ? [x, weight, result] : [x, weight]);
  }
  if (unbatched) result = squeeze(result, 0);
  return result;
}

export interface Conv1dOptions {
  stride?: number;
  padding?: number | 'same' | 'valid';
  dilation?: number;
  groups?: number;
}

/** conv1d(x [N, C, L] or [C, L], weight [O, C / groups, k], bias?): a conv2d of height 1. */
export function conv1d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv1dOptions = {}): Tensor {
  if (!(input instanceof Tensor) || !(weight instanceof Tensor) || weight.ndim !== 3) throw new RangeError('conv1d: weight must be [out_channels, in_channels / groups, k]');
  const x = unsqueeze(input, -2);
  const p = options.padding ?? 0;
  const out = conv2d(x, unsqueeze(weight, 2), bias, {
    stride: [1, options.stride ?? 1],
    padding: typeof p === 'number' ? [0, p] : p,
    dilation: [1, options.dilation ?? 1],
    groups: options.groups,
  });
  return squeeze(out, -2);
}
