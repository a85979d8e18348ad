/**
 * torch.optim.lr_scheduler.LinearLR: lr scaled by a factor that moves linearly from startFactor
 * to endFactor over totalIters epochs (a warm-up, or a linear decay), then stays.
 */
import type { Optimizer } from '../optimizer';
import { checkNumber, checkPositiveInteger, checkSchedulerOptions, LRScheduler, type SchedulerOptions } from './scheduler';

export interface LinearLROptions extends SchedulerOptions {
  /** In (0, 1]; default 1/3. */
  startFactor?: number;
  /** In [0, 1]; default 1. */
  endFactor?: number;
  /** Default 5. */
  totalIters?: number;
}

export class LinearLR extends LRScheduler {
  startFactor: number;
  endFactor: number;
  totalIters: number;

  constructor(optimizer: Optimizer, options: LinearLROptions = {}) {
    super(optimizer);
    checkSchedulerOptions('LinearLR', options, ['startFactor', 'endFactor', 'totalIters', 'lastEpoch']);
    this.startFactor = checkNumber(options.startFactor ?? 1 / 3, 'startFactor', 'LinearLR');
    this.endFactor = checkNumber(options.endFactor ?? 1, 'endFactor', 'LinearLR');
    // PyTorch 2's bounds: a start factor of 0 would divide by zero in the recursive form.
    if (this.startFactor > 1 || this.startFactor <= 0) throw new RangeError('Starting multiplicative factor expected to be greater than 0 and less or equal to 1.');
    if (this.endFactor > 1 || this.endFactor < 0) throw new RangeError('Ending multiplicative factor expected to be between 0 and 1.');
    this.totalIters = checkPositiveInteger(options.totalIters ?? 5, 'totalIters', 'LinearLR');
    this.start(options.lastEpoch);
  }

  protected getLr(): number[] {
    const { lastEpoch: e, startFactor: s, endFactor: f, totalIters: n } = this;
    if (e === 0) return this.groups.map((g) => g.lr * s);
    if (e > n) return this.groups.map((g) => g.lr);
    return this.groups.map((g) => g.lr * (1 + (f - s) / (n * s + (e - 1) * (f - s))));
  }
}
