/** torch.optim.lr_scheduler.MultiStepLR: lr times gamma at each milestone epoch. */
import { describe } from '../check-options';
import type { Optimizer } from '../optimizer';
import { checkNumber, checkSchedulerOptions, LRScheduler, type SchedulerOptions } from './scheduler';

export interface MultiStepLROptions extends SchedulerOptions {
  /** Epochs at which lr decays; one listed twice decays twice (gamma squared). */
  milestones: number[];
  /** Default 0.1. */
  gamma?: number;
}

export class MultiStepLR extends LRScheduler {
  /** Sorted, repeats kept (PyTorch keeps a Counter of them). */
  milestones: number[];
  gamma: number;

  constructor(optimizer: Optimizer, options: MultiStepLROptions) {
    super(optimizer);
    checkSchedulerOptions('MultiStepLR', options, ['milestones', 'gamma', 'lastEpoch']);
    const { milestones } = options;
    if (!Array.isArray(milestones) || milestones.some((m) => !Number.isInteger(m))) {
      throw new TypeError(`MultiStepLR: milestones must be an array of integers, got ${describe(milestones)}`);
    }
    this.milestones = milestones.slice().sort((a, b) => a - b);
    this.gamma = checkNumber(options.gamma ?? 0.1, 'gamma', 'MultiStepLR');
    this.start(options.lastEpoch);
  }

  protected getLr(): number[] {
    const hits = this.milestones.filter((m) => m === this.lastEpoch).length;
    if (hits === 0) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * this.gamma ** hits);
  }
}
