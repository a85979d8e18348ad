/**
 * The base of the epoch-driven learning-rate schedulers, as torch.optim.lr_scheduler's: each
 * step() advances lastEpoch and writes a new lr into every parameter group of the optimizer.
 * Subclasses compute the new rates (PyTorch's chainable forms, from the groups' current lr).
 */
import { describe } from '../check-options';
import { Optimizer, type OptimizerOptions, type ParamGroup } from '../optimizer';

/** What a scheduler's stateDict holds: plain data (numbers, strings, arrays, objects). */
export type SchedulerStateValue = number | string | boolean | null | SchedulerStateValue[] | { [key: string]: SchedulerStateValue };
export type SchedulerStateDict = Record<string, SchedulerStateValue>;

/** Options every epoch-driven scheduler takes. */
export interface SchedulerOptions {
  /** The index of the last epoch (batch, for OneCycleLR) when resuming; default -1: start afresh. */
  lastEpoch?: number;
}

/** Throws on keys outside allowed (a misspelt option would otherwise be silently ignored). */
export function checkSchedulerOptions(owner: string, options: unknown, allowed: readonly string[]): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) throw new TypeError(`${owner}: options must be an object, got ${describe(options)}`);
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new RangeError(`${owner}: unknown option "${key}" (expected one of ${allowed.join(', ')})`);
  }
}

export function checkNumber(value: unknown, name: string, owner: string): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new TypeError(`${owner}: ${name} must be a number, got ${describe(value)}`);
  return value;
}

export function checkPositiveInteger(value: unknown, name: string, owner: string): number {
  if (!Number.isInteger(value) || (value as number) <= 0) throw new RangeError(`${owner}: expected a positive integer ${name}, got ${describe(value)}`);
  return value as number;
}

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
}

/** The scheduler's own fields (everything but its optimizer), copied, as PyTorch's state_dict. */
export function snapshot(scheduler: object): SchedulerStateDict {
  const out: SchedulerStateDict = {};
  for (const [key, value] of Object.entries(scheduler)) if (key !== 'optimizer') out[key] = structuredClone(value) as SchedulerStateValue;
  return out;
}

/** Sets the fields a snapshot holds; each must be one the scheduler has, of the same kind. */
export function restore(scheduler: object, stateDict: SchedulerStateDict, owner: string): void {
  const where = `${owner}.loadStateDict`;
  if (stateDict === null || typeof stateDict !== 'object' || Array.isArray(stateDict)) throw new TypeError(`${where}: expected an object, got ${describe(stateDict)}`);
  const fields = scheduler as Record<string, unknown>;
  for (const [key, value] of Object.entries(stateDict)) {
    if (key === 'optimizer' || !Object.prototype.hasOwnProperty.call(fields, key)) throw new RangeError(`${where}: unexpected key "${key}" (not a field of ${owner})`);
    if (kindOf(value) !== kindOf(fields[key])) throw new TypeError(`${where}: "${key}" must be ${kindOf(fields[key])}, got ${kindOf(value)}`);
  }
  for (const [key, value] of Object.entries(stateDict)) fields[key] = structuredClone(value);
}

export abstract class LRScheduler {
  /** The optimizer whose groups' lr this scheduler sets. */
  readonly optimizer: Optimizer;
  /** Each group's initialLr when the schedule started. */
  baseLrs: number[] = [];
  /** Steps taken (epochs, or batches for OneCycleLR); -1 before the constructor's first step. */
  lastEpoch = -1;
  protected _stepCount = 0;
  protected _lastLr: number[] = [];

  constructor(optimizer: Optimizer) {
    if (!(optimizer instanceof Optimizer)) throw new TypeError(`${describe(optimizer)} is not an Optimizer`);
    this.optimizer = optimizer;
  }

  /** The rates step() writes, for lastEpoch (already advanced). */
  protected abstract getLr(): number[];

  /** The scheduler's name in messages. */
  protected get owner(): string {
    return this.constructor.name;
  }

  protected get groups(): ParamGroup<OptimizerOptions>[] {
    return this.optimizer.paramGroups;
  }

  /**
   * The end of every constructor, once the subclass's fields are set: records initialLr in the
   * groups (kept when resuming, lastEpoch > -1), then takes the first step to epoch lastEpoch + 1.
   */
  protected start(lastEpoch = -1): void {
    if (!Number.isInteger(lastEpoch) || lastEpoch < -1) throw new RangeError(`${this.owner}: lastEpoch must be an integer >= -1, got ${describe(lastEpoch)}`);
    this.groups.forEach((g, i) => {
      if (lastEpoch === -1) g.initialLr ??= g.lr;
      else if (g.initialLr === undefined) throw new RangeError(`param 'initialLr' is not specified in paramGroups[${i}] when resuming an optimizer`);
    });
    this.baseLrs = this.groups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
    this._stepCount = 0;
    this.step();
  }

  /** Advances one epoch (or batch) and sets each group's lr. Call it after optimizer.step(). */
  step(): void {
    this._stepCount += 1;
    this.lastEpoch += 1;
    const lrs = this.getLr();
    this.groups.forEach((g, i) => {
      g.lr = lrs[i];
    });
    this._lastLr = this.groups.map((g) => g.lr);
  }

  /** The rates the last step set, one per group. */
  getLastLr(): number[] {
    return this._lastLr.slice();
  }

  /** The scheduler's fields (not the optimizer, which has its own stateDict), as copies. */
  stateDict(): SchedulerStateDict {
    return snapshot(this);
  }

  loadStateDict(stateDict: SchedulerStateDict): void {
    restore(this, stateDict, this.owner);
  }
}
