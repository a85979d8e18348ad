/**
 * Batch normalisation over the channel dim 1: batch statistics in training mode (updating the
 * running estimates), running estimates in eval mode, as torch.nn.BatchNorm1d/2d.
 */
import { noGrad } from '../autograd/grad-mode';
import { add_ } from '../ops/inplace';
import { batchNorm } from '../ops/normalization';
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
    let momentum = this.momentum ?? 0;
    if (this.training && this.trackRunningStats) {
      const tracked = this.numBatchesTracked as Tensor;
      noGrad(() => add_(tracked, 1));
      // momentum null: a cumulative average over the batches seen
      momentum = this.momentum ?? 1 / tracked.item();
    }
    return batchNorm(x, {
      runningMean: this.runningMean,
      runningVar: this.runningVar,
      weight: this.weight,
      bias: this.bias,
      training: this.training || !this.trackRunningStats,
      momentum,
      eps: this.eps,
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

/** Batch norm of [N, C, H, W] images, per channel. */
export class BatchNorm2d extends BatchNorm {
  protected readonly ranks = [4];
}
