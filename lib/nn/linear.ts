import { linear } from '../ops/matmul';
import { flatten, unflatten } from '../ops/view';
import { zeros } from '../tensor/create';
import type { Tensor } from '../tensor/tensor';
import { kaimingUniform_, uniform_ } from './init';
import { Module } from './module';
import { Parameter } from './parameter';

function checkSize(n: number, what: string, fn: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${fn}: ${what} must be a non-negative integer, got ${n}`);
}

/**
 * y = x W^T + b with weight [outFeatures, inFeatures], initialised as PyTorch's Linear:
 * kaimingUniform_(a = sqrt(5)) for the weight, U(-1/sqrt(in), 1/sqrt(in)) for the bias.
 */
export class Linear extends Module {
  weight: Parameter;
  bias: Parameter | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    bias = true,
  ) {
    super();
    checkSize(inFeatures, 'inFeatures', 'Linear');
    checkSize(outFeatures, 'outFeatures', 'Linear');
    this.weight = new Parameter(zeros(outFeatures, inFeatures));
    this.bias = bias ? new Parameter(zeros(outFeatures)) : null;
    this.resetParameters();
  }

  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const bound = this.inFeatures > 0 ? 1 / Math.sqrt(this.inFeatures) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  /** relu(forward(x)) in one kernel; Sequential calls it for Linear followed by ReLU. */
  forwardRelu(x: Tensor): Tensor | null {
    if (Object.getPrototypeOf(this) !== Linear.prototype || this.hasForwardHooks()) return null;
    return linear(x, this.weight, this.bias, true);
  }

  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

/** Returns its input. */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}

/** Merges dims startDim..endDim (by default all but the batch dim). */
export class Flatten extends Module {
  constructor(
    readonly startDim = 1,
    readonly endDim = -1,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}

/** Splits dim into the given sizes. */
export class Unflatten extends Module {
  constructor(
    readonly dim: number,
    readonly unflattenedSize: readonly number[],
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return unflatten(x, this.dim, this.unflattenedSize);
  }

  override extraRepr(): string {
    return `dim=${this.dim}, unflattened_size=(${this.unflattenedSize.join(', ')})`;
  }
}
