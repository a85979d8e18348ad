/**
 * ModelCheckpoint (keras.callbacks.ModelCheckpoint): saves a checkpoint at the end of every epoch,
 * or only when the monitored value improves, as a full tg.io checkpoint (resumable) or as the
 * model's weights alone (a plain safetensors state dict that tg.load and PyTorch read).
 */
import fs from 'node:fs';
import path from 'node:path';
import { saveCheckpoint, type SchedulerLike } from '../io/checkpoint';
import { save } from '../io/save';
import { Optimizer } from '../optim/optimizer';
import type { Generator } from '../tensor/random';
import type { Callback, TrainContext } from './callbacks';
import { checkpointPath } from './checkpoint-path';
import { monitorSign, type MonitorMode } from './monitor';
import type { Logs } from './types';

export interface ModelCheckpointOptions {
  /** The logged value that decides what is best (default 'valLoss'). */
  monitor?: string;
  /** 'min', 'max', or 'auto' (max for names containing accuracy, else min). */
  mode?: MonitorMode;
  /** Save only when the monitored value beats the best so far (default false: every epoch). */
  saveBestOnly?: boolean;
  /** Save model.stateDict() alone, as tg.save does (default false: a full checkpoint). */
  saveWeightsOnly?: boolean;
  /** Kept in the checkpoint too: the scheduler the run steps. */
  scheduler?: SchedulerLike;
  /** Kept in the checkpoint too: a generator besides the default one (a DataLoader's own). */
  generator?: Generator;
  /** With saveBestOnly, the value to beat at first (a resumed run's best so far). */
  initialValueThreshold?: number;
}

/**
 * Saves to filepath (making its directory if need be), where {epoch} is the epoch's number counting from 1 (so, the epochs completed,
 * as in the checkpoint) and {valLoss:.4f} and the like are logged values. The full checkpoint keeps
 * the model, the optimizer (a tg.optim one), the scheduler and generator given here, tensorgrad's
 * default generator, the History, and the epoch: loadCheckpoint and fit's initialEpoch and history
 * resume from it exactly. List it after callbacks that change state at the end of an epoch (a
 * LearningRateScheduler steps its scheduler there), so that it saves the state the next epoch
 * starts from.
 */
export class ModelCheckpoint implements Callback {
  readonly monitor: string;
  private readonly sign: 1 | -1;
  private readonly options: ModelCheckpointOptions;
  /** The best monitored value so far (with saveBestOnly), Infinity-like before the first. */
  best: number;
  /** The epoch of the best value (counting from 0), or -1 before the first. */
  bestEpoch = -1;
  /** The files written, in order. */
  readonly saved: string[] = [];

  constructor(
    readonly filepath: string,
    options: ModelCheckpointOptions = {},
  ) {
    if (typeof filepath !== 'string' || filepath === '') throw new TypeError('ModelCheckpoint: filepath must be a non-empty string');
    this.options = options;
    this.monitor = options.monitor ?? 'valLoss';
    this.sign = monitorSign(options.mode ?? 'auto', this.monitor, 'ModelCheckpoint');
    this.best = options.initialValueThreshold ?? this.sign * Infinity;
  }

  onEpochEnd(epoch: number, logs: Logs, ctx: TrainContext): void {
    if (this.options.saveBestOnly && !this.improved(epoch, logs)) return;
    const file = checkpointPath(this.filepath, epoch + 1, logs);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (this.options.saveWeightsOnly) {
      save(ctx.model.stateDict(), file, { epoch: String(epoch + 1) });
    } else {
      const { scheduler, generator } = this.options;
      const optimizer = ctx.optimizer instanceof Optimizer ? ctx.optimizer : undefined;
      saveCheckpoint(file, { model: ctx.model, optimizer, scheduler, generator, epoch: epoch + 1, history: ctx.history });
    }
    this.saved.push(file);
  }

  /** Whether this epoch's value beats the best, which it then becomes. */
  private improved(epoch: number, logs: Logs): boolean {
    const value = logs[this.monitor];
    if (value === undefined) throw new Error(`ModelCheckpoint: '${this.monitor}' is not logged; logged values are ${Object.keys(logs).join(', ')}`);
    if (!(this.sign * value < this.sign * this.best)) return false;
    this.best = value;
    this.bestEpoch = epoch;
    return true;
  }
}
