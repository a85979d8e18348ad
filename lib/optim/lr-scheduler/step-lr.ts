/** torch.optim.lr_scheduler.StepLR: lr times gamma every stepSize epochs. */
import type { Optimizer } from '../optimizer';
import { checkNumber, checkPositiveInteger, checkSchedulerOptions, LRScheduler, type SchedulerOptions } from './scheduler';

export interface StepLROptions extends SchedulerOptions {
  /** Epochs between decays. */
  stepSize: number;
  /** Default 0.1. */
  gamma?: number;
}

export class StepLR extends LRScheduler {
  stepSize: number;
  gamma: number;

  constructor(optimizer: Optimizer, options: StepLROptions) {
    super(optimizer);
    checkSchedulerOptions('StepLR', options, ['stepSize', 'gamma', 'lastEpoch']);
    this.stepSize = checkPositiveInteger(options.stepSize, 'stepSize', 'StepLR');
    this.gamma = checkNumber(options.gamma ?? 0.1, 'gamma', 'StepLR');
    this.start(options.lastEpoch);
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * this.gamma);
  }
}
