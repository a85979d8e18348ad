/** torch.optim.lr_scheduler.ExponentialLR: lr times gamma every epoch. */
import type { Optimizer } from '../optimizer';
import { checkNumber, checkSchedulerOptions, LRScheduler, type SchedulerOptions } from './scheduler';

export interface ExponentialLROptions extends SchedulerOptions {
  gamma: number;
}

export class ExponentialLR extends LRScheduler {
  gamma: number;

  constructor(optimizer: Optimizer, options: ExponentialLROptions) {
    super(optimizer);
    checkSchedulerOptions('ExponentialLR', options, ['gamma', 'lastEpoch']);
    this.gamma = checkNumber(options.gamma, 'gamma', 'ExponentialLR');
    this.start(options.lastEpoch);
  }

  protected getLr(): number[] {
    if (this.lastEpoch === 0) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * this.gamma);
  }
}
