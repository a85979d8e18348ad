/**
 * torch.optim.lr_scheduler.OneCycleLR: the 1cycle policy, stepped every batch. lr rises from
 * maxLr / divFactor to maxLr over pctStart of the steps, then falls to initialLr /
 * finalDivFactor (threePhase: back to initialLr first, then down). With cycleMomentum, momentum
 * (SGD, RMSprop) or beta1 (Adam) moves the other way between maxMomentum and baseMomentum.
 */
import { describe } from '../check-options';
import type { Optimizer, ParamGroup, ScheduleKeys } from '../optimizer';
import { checkNumber, checkPositiveInteger, checkSchedulerOptions, LRScheduler, type SchedulerOptions } from './scheduler';

export interface OneCycleLROptions extends SchedulerOptions {
  /** The peak rate, one for all groups or one per group. */
  maxLr: number | number[];
  /** Steps in the cycle; or give epochs and stepsPerEpoch. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** The share of the steps spent raising lr; default 0.3. */
  pctStart?: number;
  /** Default 'cos'. */
  annealStrategy?: 'cos' | 'linear';
  /** Default true; needs an optimizer with momentum or betas. */
  cycleMomentum?: boolean;
  /** Momentum at the peak of lr; default 0.85. */
  baseMomentum?: number | number[];
  /** Momentum at the start and end; default 0.95. */
  maxMomentum?: number | number[];
  /** initialLr = maxLr / divFactor; default 25. */
  divFactor?: number;
  /** minLr = initialLr / finalDivFactor; default 1e4. */
  finalDivFactor?: number;
  /** Default false. */
  threePhase?: boolean;
}

type GroupKey = keyof Required<ScheduleKeys>;

/** One phase: from step start (the previous phase's endStep) to endStep, between two group keys. */
interface Phase {
  endStep: number;
  startLr: GroupKey;
  endLr: GroupKey;
  startMomentum: GroupKey;
  endMomentum: GroupKey;
}

/** A group of an optimizer with momentum (SGD, RMSprop) or betas (Adam). */
type MomentumGroup = ParamGroup & { momentum?: number; betas?: [number, number] };

const optionNames = [
  'maxLr', 'totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'cycleMomentum',
  'baseMomentum', 'maxMomentum', 'divFactor', 'finalDivFactor', 'threePhase', 'lastEpoch',
];

export class OneCycleLR extends LRScheduler {
  totalSteps: number;
  _schedulePhases: Phase[];
  annealStrategy: 'cos' | 'linear';
  cycleMomentum: boolean;
  useBeta1: boolean;

  constructor(optimizer: Optimizer, options: OneCycleLROptions) {
    super(optimizer);
    checkSchedulerOptions('OneCycleLR', options, optionNames);
    this.totalSteps = totalStepsOf(options);
    const pctStart = checkNumber(options.pctStart ?? 0.3, 'pctStart', 'OneCycleLR');
    if (pctStart < 0 || pctStart > 1) throw new RangeError(`Expected float between 0 and 1 pctStart, but got ${pctStart}`);
    this._schedulePhases = phases(this.totalSteps, pctStart, options.threePhase ?? false);
    this.annealStrategy = options.annealStrategy ?? 'cos';
    if (this.annealStrategy !== 'cos' && this.annealStrategy !== 'linear') {
      throw new RangeError(`annealStrategy must by one of 'cos' or 'linear', instead got ${describe(this.annealStrategy)}`);
    }
    const lastEpoch = options.lastEpoch ?? -1;
    const maxLrs = this.perGroup('maxLr', options.maxLr);
    const divFactor = checkNumber(options.divFactor ?? 25, 'divFactor', 'OneCycleLR');
    const finalDivFactor = checkNumber(options.finalDivFactor ?? 1e4, 'finalDivFactor', 'OneCycleLR');
    if (lastEpoch === -1) {
      this.groups.forEach((g, i) => {
        g.initialLr = maxLrs[i] / divFactor;
        g.maxLr = maxLrs[i];
        g.minLr = g.initialLr / finalDivFactor;
      });
    }
    this.cycleMomentum = options.cycleMomentum ?? true;
    this.useBeta1 = 'betas' in optimizer.defaults;
    if (this.cycleMomentum) this.initMomentum(options, lastEpoch);
    if (lastEpoch !== -1) this.checkResumable();
    this.start(lastEpoch);
  }

  /** A number for every group, or one per group. */
  private perGroup(name: string, value: number | number[]): number[] {
    const n = this.groups.length;
    if (Array.isArray(value)) {
      if (value.length !== n) throw new RangeError(`expected ${n} values for ${name}, got ${value.length}`);
      return value.map((v) => checkNumber(v, name, 'OneCycleLR'));
    }
    return new Array<number>(n).fill(checkNumber(value, name, 'OneCycleLR'));
  }

  private initMomentum(options: OneCycleLROptions, lastEpoch: number): void {
    if (!('momentum' in this.optimizer.defaults) && !this.useBeta1) throw new RangeError('optimizer must support momentum with `cycleMomentum` option enabled');
    const maxMomenta = this.perGroup('maxMomentum', options.maxMomentum ?? 0.95);
    const baseMomenta = this.perGroup('baseMomentum', options.baseMomentum ?? 0.85);
    if (lastEpoch !== -1) return;
    this.groups.forEach((g, i) => {
      this.setMomentum(g, maxMomenta[i]);
      g.maxMomentum = maxMomenta[i];
      g.baseMomentum = baseMomenta[i];
    });
  }

  private setMomentum(group: MomentumGroup, value: number): void {
    if (this.useBeta1) group.betas = [value, (group.betas as [number, number])[1]];
    else group.momentum = value;
  }

  /** Resuming needs the keys a fresh start wrote into the groups (from the optimizer's stateDict). */
  private checkResumable(): void {
    const keys: GroupKey[] = ['initialLr', 'maxLr', 'minLr', ...(this.cycleMomentum ? (['maxMomentum', 'baseMomentum'] as const) : [])];
    this.groups.forEach((g, i) => {
      for (const key of keys) if (g[key] === undefined) throw new RangeError(`param '${key}' is not specified in paramGroups[${i}] when resuming an optimizer`);
    });
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === 'linear') return (end - start) * pct + start;
    return end + ((start - end) / 2.0) * (Math.cos(Math.PI * pct) + 1);
  }

  protected getLr(): number[] {
    const step = this.lastEpoch;
    if (step > this.totalSteps) throw new RangeError(`Tried to step ${step + 1} times. The specified number of total steps is ${this.totalSteps}`);
    return this.groups.map((g) => {
      const phases = this._schedulePhases;
      let start = 0;
      for (let i = 0; i < phases.length; i++) {
        const phase = phases[i];
        if (step <= phase.endStep || i === phases.length - 1) {
          const pct = (step - start) / (phase.endStep - start);
          if (this.cycleMomentum) this.setMomentum(g, this.anneal(g[phase.startMomentum] as number, g[phase.endMomentum] as number, pct));
          return this.anneal(g[phase.startLr] as number, g[phase.endLr] as number, pct);
        }
        start = phase.endStep;
      }
      throw new Error('OneCycleLR: no phase'); // unreachable: the last phase takes every step
    });
  }
}

function totalStepsOf(o: OneCycleLROptions): number {
  if (o.totalSteps !== undefined) {
    if (!Number.isInteger(o.totalSteps) || o.totalSteps <= 0) throw new RangeError(`Expected positive integer totalSteps, but got ${describe(o.totalSteps)}`);
    return o.totalSteps;
  }
  if (o.epochs === undefined || o.stepsPerEpoch === undefined) throw new RangeError('You must define either totalSteps OR (epochs AND stepsPerEpoch)');
  return checkPositiveInteger(o.epochs, 'epochs', 'OneCycleLR') * checkPositiveInteger(o.stepsPerEpoch, 'stepsPerEpoch', 'OneCycleLR');
}

function phases(totalSteps: number, pctStart: number, threePhase: boolean): Phase[] {
  const up = pctStart * totalSteps - 1;
  if (!threePhase) {
    return [
      { endStep: up, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
      { endStep: totalSteps - 1, startLr: 'maxLr', endLr: 'minLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
    ];
  }
  return [
    { endStep: up, startLr: 'initialLr', endLr: 'maxLr', startMomentum: 'maxMomentum', endMomentum: 'baseMomentum' },
    { endStep: 2 * pctStart * totalSteps - 2, startLr: 'maxLr', endLr: 'initialLr', startMomentum: 'baseMomentum', endMomentum: 'maxMomentum' },
    { endStep: totalSteps - 1, startLr: 'initialLr', endLr: 'minLr', startMomentum: 'maxMomentum', endMomentum: 'maxMomentum' },
  ];
}
