import { conv1d, conv2d, pair, type Conv2dOptions, type Pair } from '../ops/conv';
import { zeros } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { calculateFans, kaimingUniform_, uniform_ } from './init';
import { Module } from './module';
import { Parameter } from './parameter';

export interface ConvOptions extends Conv2dOptions {
  bias?: boolean;
}

/** Python's repr of a size given as a number or a pair: 2 or (2, 2). */
export function pyPair(v: Pair): string {
  return typeof v === 'number' ? String(v) : `(${v[0]}, ${v[1]})`;
}

/**
 * 2-D convolution over [N, C, H, W], weight [outChannels, inChannels / groups, kH, kW],
 * initialised as PyTorch's Conv2d (kaimingUniform_ a = sqrt(5); bias U(-1/sqrt(fanIn), 1/sqrt(fanIn))).
 */
export class Conv2d extends Module {
  weight: Parameter;
  bias: Parameter | null;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number] | 'same' | 'valid';
  readonly dilation: [number, number];
  readonly groups: number;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Pair,
    options: ConvOptions = {},
  ) {
    super();
    this.kernelSize = pair(kernelSize, 'kernelSize', 'Conv2d', 1);
    this.stride = pair(options.stride ?? 1, 'stride', 'Conv2d', 1);
    const p = options.padding ?? 0;
    this.padding = p === 'same' || p === 'valid' ? p : pair(p, 'padding', 'Conv2d', 0);
    this.dilation = pair(options.dilation ?? 1, 'dilation', 'Conv2d', 1);
    this.groups = options.groups ?? 1;
    if (!Number.isInteger(this.groups) || this.groups < 1 || inChannels % this.groups !== 0 || outChannels % this.groups !== 0) {
      throw new RangeError(`Conv2d: in_channels (${inChannels}) and out_channels (${outChannels}) must be divisible by groups (${this.groups})`);
    }
    this.weight = new Parameter(zeros(outChannels, inChannels / this.groups, ...this.kernelSize));
    this.bias = options.bias === false ? null : new Parameter(zeros(outChannels));
    this.resetParameters();
  }

  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const [fanIn] = calculateFans(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, this.options());
  }

  /** relu(forward(x)) in one kernel; Sequential calls it for Conv2d followed by ReLU. */
  forwardRelu(x: Tensor): Tensor | null {
    if (Object.getPrototypeOf(this) !== Conv2d.prototype || this.hasForwardHooks()) return null;
    return conv2d(x, this.weight, this.bias, this.options(), true);
  }

  private options(): Conv2dOptions {
    return { stride: this.stride, padding: this.padding, dilation: this.dilation, groups: this.groups };
  }

  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyPair(this.kernelSize)}, stride=${pyPair(this.stride)}`;
    if (typeof this.padding === 'string') s += `, padding=${this.padding}`;
    else if (this.padding[0] || this.padding[1]) s += `, padding=${pyPair(this.padding)}`;
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) s += `, dilation=${pyPair(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (!this.bias) s += ', bias=false';
    return s;
  }
}

/** 1-D convolution over [N, C, L]. */
export class Conv1d extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number,
    readonly options: { stride?: number; padding?: number | 'same' | 'valid'; dilation?: number; groups?: number; bias?: boolean } = {},
  ) {
    super();
    const groups = options.groups ?? 1;
    this.weight = new Parameter(zeros(outChannels, inChannels / groups, kernelSize));
    this.bias = options.bias === false ? null : new Parameter(zeros(outChannels));
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const bound = 1 / Math.sqrt((inChannels / groups) * kernelSize);
      uniform_(this.bias, -bound, bound);
    }
  }

  forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, this.options);
  }

  override extraRepr(): string {
    const o = this.options;
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=(${this.kernelSize},), stride=(${o.stride ?? 1},)`;
    if (o.padding) s += `, padding=${typeof o.padding === 'string' ? o.padding : `(${o.padding},)`}`;
    if (!this.bias) s += ', bias=false';
    return s;
  }
}
