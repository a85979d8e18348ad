/** Callbacks of the fit loop: hooks at train, epoch and batch boundaries (Keras's model). */
import type { AnyModule, StateDict } from '../nn/module';
import { clone } from '../ops/clone';
import type { History } from './history';
import { monitorSign, type MonitorMode } from './monitor';
import type { Logs, OptimizerLike } from './types';

export interface TrainContext {
  readonly model: AnyModule;
  readonly optimizer: OptimizerLike;
  readonly history: History;
  readonly epochs: number;
  /** Ends training after the current epoch (or batch), recording why. */
  stop(reason: string): void;
}

export interface Callback {
  onTrainBegin?(ctx: TrainContext): void | Promise<void>;
  onEpochBegin?(epoch: number, ctx: TrainContext): void | Promise<void>;
  onBatchEnd?(batch: number, logs: Logs, ctx: TrainContext): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs, ctx: TrainContext): void | Promise<void>;
  onTrainEnd?(logs: Logs, ctx: TrainContext): void | Promise<void>;
}

export interface EarlyStoppingOptions {
  /** The logged value to watch (default 'valLoss'). */
  monitor?: string;
  /** The smallest change that counts as an improvement. */
  minDelta?: number;
  /** Epochs without improvement before stopping. */
  patience?: number;
  /** 'min', 'max', or 'auto' (max for names containing accuracy, else min). */
  mode?: MonitorMode;
  /** Put back the weights of the best epoch when training ends. */
  restoreBestWeights?: boolean;
}

/** Stops training when the monitored value stops improving (keras.callbacks.EarlyStopping). */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  private readonly minDelta: number;
  private readonly patience: number;
  private readonly sign: number;
  private readonly restore: boolean;
  private best = Infinity;
  private wait = 0;
  private bestWeights: StateDict | null = null;
  /** The epoch with the best value, or -1 before the first. */
  bestEpoch = -1;

  constructor(options: EarlyStoppingOptions = {}) {
    this.monitor = options.monitor ?? 'valLoss';
    this.minDelta = Math.abs(options.minDelta ?? 0);
    this.patience = options.patience ?? 0;
    this.sign = monitorSign(options.mode ?? 'auto', this.monitor, 'EarlyStopping');
    this.restore = options.restoreBestWeights ?? false;
  }

  onTrainBegin(): void {
    this.best = Infinity;
    this.wait = 0;
    this.bestEpoch = -1;
    this.bestWeights = null;
  }

  onEpochEnd(epoch: number, logs: Logs, ctx: TrainContext): void {
    const value = logs[this.monitor];
    if (value === undefined) throw new Error(`EarlyStopping: '${this.monitor}' is not logged; logged values are ${Object.keys(logs).join(', ')}`);
    const score = this.sign * value;
    if (score < this.best - this.minDelta) {
      this.best = score;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restore) this.bestWeights = snapshot(ctx.model);
    } else if (++this.wait > this.patience) {
      ctx.stop('earlyStopping');
    }
  }

  onTrainEnd(_logs: Logs, ctx: TrainContext): void {
    if (this.restore && this.bestWeights) ctx.model.loadStateDict(this.bestWeights);
  }
}

function snapshot(model: AnyModule): StateDict {
  return Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, clone(t)]));
}

/** Sets the learning rate each epoch: from a function of (epoch, lr), or by stepping a tg.optim scheduler. */
export class LearningRateScheduler implements Callback {
  constructor(private readonly schedule: ((epoch: number, lr: number) => number) | { step(): void }) {}

  onEpochBegin(epoch: number, ctx: TrainContext): void {
    if (typeof this.schedule !== 'function') return;
    const groups = ctx.optimizer.paramGroups ?? [];
    for (const g of groups) g.lr = this.schedule(epoch, g.lr);
  }

  onEpochEnd(): void {
    if (typeof this.schedule !== 'function') this.schedule.step();
  }
}

/** A callback made of the hooks given (keras.callbacks.LambdaCallback). */
export class LambdaCallback implements Callback {
  constructor(hooks: Callback) {
    Object.assign(this, hooks);
  }
}
