/**
 * torch.optim.lr_scheduler.CosineAnnealingLR: lr follows half a cosine from the initial rate down
 * to etaMin over TMax epochs, then back up (no restarts). PyTorch computes it recursively from
 * the group's current lr, so that other changes to lr carry through; so does this, formula for
 * formula, so the rates match PyTorch's to the last bit or so.
 */
import type { Optimizer } from '../optimizer';
import { checkNumber, checkSchedulerOptions, LRScheduler, type SchedulerOptions } from './scheduler';

export interface CosineAnnealingLROptions extends SchedulerOptions {
  /** Epochs from the initial rate down to etaMin (PyTorch's T_max). */
  TMax: number;
  /** The lowest rate; default 0. */
  etaMin?: number;
}

export class CosineAnnealingLR extends LRScheduler {
  TMax: number;
  etaMin: number;

  constructor(optimizer: Optimizer, options: CosineAnnealingLROptions) {
    super(optimizer);
    checkSchedulerOptions('CosineAnnealingLR', options, ['TMax', 'etaMin', 'lastEpoch']);
    this.TMax = checkNumber(options.TMax, 'TMax', 'CosineAnnealingLR');
    if (!(this.TMax > 0)) throw new RangeError(`CosineAnnealingLR: TMax must be positive, got ${this.TMax}`);
    this.etaMin = checkNumber(options.etaMin ?? 0, 'etaMin', 'CosineAnnealingLR');
    this.start(options.lastEpoch);
  }

  protected getLr(): number[] {
    const { lastEpoch: e, TMax: T, etaMin: min, baseLrs } = this;
    if (e === 0) return this.groups.map((g) => g.lr);
    // Resuming (first step at lastEpoch > 0): the closed form, as there is no previous lr to follow.
    if (this._stepCount === 1 && e > 0) return baseLrs.map((base) => min + ((base - min) * (1 + Math.cos((e * Math.PI) / T))) / 2);
    // At the bottom of the cosine, where the ratio below would divide by 1 + cos(pi) = 0.
    if ((e - 1 - T) % (2 * T) === 0) return this.groups.map((g, i) => g.lr + ((baseLrs[i] - min) * (1 - Math.cos(Math.PI / T))) / 2);
    return this.groups.map((g) => ((1 + Math.cos((Math.PI * e) / T)) / (1 + Math.cos((Math.PI * (e - 1)) / T))) * (g.lr - min) + min);
  }
}
