/**
 * Batch normalisation over the channel dim 1: batch statistics in training mode (updating the
 * running estimates), running estimates in eval mode, as torch.nn.BatchNorm1d/2d.
 */
import { noGrad } from '../autograd/grad-mode';
import { add, div, mul, sub } from '../ops/binary';
import { add_, mul_ } from '../ops/inplace';
import { mean, variance } from '../ops/reduce';
import { sqrt } from '../ops/unary';
import { reshape } from '../ops/view';
import { ones, tensor, zeros } from '../tensor/create';
import { shapeStr } from '../tensor/shape';
import type { Tensor } from '../tensor/tensor';
import { Module } from './module';
import { Parameter } from './parameter';
import { pyNumber } from './repr';

export interface BatchNormOptions {
  eps?: number;
  /** Weight of the new batch in the running estimates; null for a cumulative average. */
  momentum?: number | null;
  /** Learnable scale and shift (weight and bias). */
  affine?: boolean;
  trackRunningStats?: boolean;
}

export abstract class BatchNorm extends Module {
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Parameter | null;
  bias: Parameter | null;
  declare runningMean: Tensor | null;
  declare runningVar: Tensor | null;
  declare numBatchesTracked: Tensor | null;

  constructor(
    readonly numFeatures: number,
    options: BatchNormOptions = {},
  ) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures <= 0) throw new RangeError(`${this.constructor.name}: numFeatures must be a positive integer, got ${numFeatures}`);
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum === undefined ? 0.1 : options.momentum;
    this.affine = options.affine ?? true;
    this.trackRunningStats = options.trackRunningStats ?? true;
    this.weight = this.affine ? new Parameter(ones(numFeatures)) : null;
    this.bias = this.affine ? new Parameter(zeros(numFeatures)) : null;
    this.registerBuffer('runningMean', this.trackRunningStats ? zeros(numFeatures) : null);
    this.registerBuffer('runningVar', this.trackRunningStats ? ones(numFeatures) : null);
    this.registerBuffer('numBatchesTracked', this.trackRunningStats ? tensor(0, { dtype: 'int32' }) : null);
  }

  /** The input ranks this layer accepts, e.g. [2, 3] for BatchNorm1d. */
  protected abstract readonly ranks: readonly number[];

  forward(x: Tensor): Tensor {
    if (!this.ranks.includes(x.ndim) || x.shape[1] !== this.numFeatures) {
      throw new RangeError(`${this.constructor.name}: expected ${this.ranks.join('D or ')}D input with ${this.numFeatures} channels in dim 1, got ${shapeStr(x.shape)}`);
    }
    const dims = [...x.shape.keys()].filter((d) => d !== 1);
    const bshape = x.shape.map((n, d) => (d === 1 ? n : 1));
    const useBatch = this.training || !this.trackRunningStats;
    let m: Tensor;
    let v: Tensor;
    if (useBatch) {
      m = mean(x, dims, true);
      v = variance(x, dims, { correction: 0, keepdim: true });
      if (this.training && this.trackRunningStats) this.updateRunningStats(m, v, x.numel() / this.numFeatures);
    } else {
      m = reshape(this.runningMean as Tensor, bshape);
      v = reshape(this.runningVar as Tensor, bshape);
    }
    let y = div(sub(x, m), sqrt(add(v, this.eps)));
    if (this.weight && this.bias) y = add(mul(y, reshape(this.weight, bshape)), reshape(this.bias, bshape));
    return y;
  }

  private updateRunningStats(batchMean: Tensor, batchVar: Tensor, count: number): void {
    noGrad(() => {
      const tracked = this.numBatchesTracked as Tensor;
      add_(tracked, 1);
      const f = this.momentum ?? 1 / tracked.item();
      const unbiased = mul(batchVar, count > 1 ? count / (count - 1) : 1);
      add_(mul_(this.runningMean as Tensor, 1 - f), mul(reshape(batchMean, [this.numFeatures]), f));
      add_(mul_(this.runningVar as Tensor, 1 - f), mul(reshape(unbiased, [this.numFeatures]), f));
    });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${pyNumber(this.eps)}, momentum=${this.momentum === null ? 'None' : pyNumber(this.momentum)}, affine=${this.affine}, track_running_stats=${this.trackRunningStats}`;
  }
}

/** Batch norm of [N, C] or [N, C, L] inputs. */
export class BatchNorm1d extends BatchNorm {
  protected readonly ranks = [2, 3];
}
