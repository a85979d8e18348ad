/**
 * torch.optim.lr_scheduler.ReduceLROnPlateau: multiplies lr by factor once a metric (a
 * validation loss, say) has not improved for more than patience epochs. step(metric) each epoch.
 */
import { Tensor } from '../../tensor/tensor';
import { describe } from '../check-options';
import { Optimizer } from '../optimizer';
import { checkNumber, checkSchedulerOptions, restore, snapshot, type SchedulerStateDict } from './scheduler';

export interface ReduceLROnPlateauOptions {
  /** 'min': lower is better (a loss); 'max': higher is better (an accuracy). Default 'min'. */
  mode?: 'min' | 'max';
  /** new lr = lr * factor; below 1. Default 0.1. */
  factor?: number;
  /** Epochs without improvement to tolerate before reducing; default 10. */
  patience?: number;
  /** How much better counts as better; default 1e-4. */
  threshold?: number;
  /** 'rel': better than best * (1 -/+ threshold); 'abs': than best -/+ threshold. Default 'rel'. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting again; default 0. */
  cooldown?: number;
  /** Lower bound on lr, one for all groups or one per group; default 0. */
  minLr?: number | number[];
  /** Reductions smaller than this are skipped; default 1e-8. */
  eps?: number;
}

const optionNames = ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps'];

export class ReduceLROnPlateau {
  readonly optimizer: Optimizer;
  factor: number;
  minLrs: number[];
  patience: number;
  cooldown: number;
  cooldownCounter = 0;
  mode: 'min' | 'max';
  threshold: number;
  thresholdMode: 'rel' | 'abs';
  /** The best metric so far (Infinity or -Infinity before the first). */
  best: number;
  /** Epochs since the best, not counting cooldown. */
  numBadEpochs = 0;
  modeWorse: number;
  eps: number;
  /** Epochs stepped so far. */
  lastEpoch = 0;
  protected _lastLr: number[];

  constructor(optimizer: Optimizer, options: ReduceLROnPlateauOptions = {}) {
    if (!(optimizer instanceof Optimizer)) throw new TypeError(`${describe(optimizer)} is not an Optimizer`);
    checkSchedulerOptions('ReduceLROnPlateau', options, optionNames);
    this.optimizer = optimizer;
    this.factor = checkNumber(options.factor ?? 0.1, 'factor', 'ReduceLROnPlateau');
    if (this.factor >= 1.0) throw new RangeError('Factor should be < 1.0.');
    this.minLrs = minLrsOf(options.minLr ?? 0, optimizer.paramGroups.length);
    this.patience = checkNumber(options.patience ?? 10, 'patience', 'ReduceLROnPlateau');
    this.cooldown = checkNumber(options.cooldown ?? 0, 'cooldown', 'ReduceLROnPlateau');
    this.mode = options.mode ?? 'min';
    this.threshold = checkNumber(options.threshold ?? 1e-4, 'threshold', 'ReduceLROnPlateau');
    this.thresholdMode = options.thresholdMode ?? 'rel';
    this.eps = checkNumber(options.eps ?? 1e-8, 'eps', 'ReduceLROnPlateau');
    this.modeWorse = worstFor(this.mode, this.thresholdMode);
    this.best = this.modeWorse;
    this._lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /** Records this epoch's metric (a number or a one-element tensor) and reduces lr if it has plateaued. */
  step(metric: number | Tensor): void {
    const current = metric instanceof Tensor ? metric.item() : metric;
    if (typeof current !== 'number') throw new TypeError(`ReduceLROnPlateau.step: metric must be a number or a Tensor, got ${describe(metric)}`);
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs in cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this._lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Whether a beats best by more than the threshold, in this mode. */
  isBetter(a: number, best: number): boolean {
    if (this.mode === 'min') return this.thresholdMode === 'rel' ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return this.thresholdMode === 'rel' ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const newLr = Math.max(g.lr * this.factor, this.minLrs[i]);
      if (g.lr - newLr > this.eps) g.lr = newLr;
    });
  }

  /** The rates after the last step, one per group. */
  getLastLr(): number[] {
    return this._lastLr.slice();
  }

  stateDict(): SchedulerStateDict {
    return snapshot(this);
  }

  loadStateDict(stateDict: SchedulerStateDict): void {
    restore(this, stateDict, 'ReduceLROnPlateau');
    this.modeWorse = worstFor(this.mode, this.thresholdMode);
  }
}

/** The worst value of the metric for mode (where best starts), after checking both modes. */
function worstFor(mode: string, thresholdMode: string): number {
  if (mode !== 'min' && mode !== 'max') throw new RangeError(`mode ${mode} is unknown!`);
  if (thresholdMode !== 'rel' && thresholdMode !== 'abs') throw new RangeError(`threshold mode ${thresholdMode} is unknown!`);
  return mode === 'min' ? Infinity : -Infinity;
}

function minLrsOf(minLr: number | number[], groups: number): number[] {
  if (!Array.isArray(minLr)) return new Array<number>(groups).fill(checkNumber(minLr, 'minLr', 'ReduceLROnPlateau'));
  if (minLr.length !== groups) throw new RangeError(`expected ${groups} min_lrs, got ${minLr.length}`);
  return minLr.map((v) => checkNumber(v, 'minLr', 'ReduceLROnPlateau'));
}
