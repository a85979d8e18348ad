/**
 * saveCheckpoint / loadCheckpoint: everything a training run needs to go on exactly where it
 * stopped (model, optimizer, scheduler, epoch, random generators, History, extra) in one
 * safetensors file, written atomically. The layout is in checkpoint-format.ts.
 */
import { Module, type AnyModule, type StateDict } from '../nn/module';
import { clone } from '../ops/clone';
import type { Optimizer, OptimizerStateDict } from '../optim/optimizer';
import type { SchedulerStateDict } from '../optim/lr-scheduler/scheduler';
import { defaultGenerator, type Generator } from '../tensor/random';
import type { Tensor } from '../tensor/tensor';
import type { HistoryJSON } from '../train/history';
import { FORMAT, FORMAT_VERSION, MODEL_PREFIX, parseSections, type CheckpointSections, type RngState } from './checkpoint-format';
import { SafetensorsError } from './errors';
import { readSafetensors } from './load';
import { save } from './save';
import { encodeState, type CheckpointValue } from './state-json';

/** A learning-rate scheduler, as far as a checkpoint is concerned (every tg.optim.lrScheduler one). */
export interface SchedulerLike {
  stateDict(): SchedulerStateDict;
  loadStateDict(stateDict: SchedulerStateDict): void;
}

export interface CheckpointContents {
  model: AnyModule;
  optimizer?: Optimizer;
  scheduler?: SchedulerLike;
  /** Epochs completed: what fit's initialEpoch is when resuming from this checkpoint. */
  epoch: number;
  /** The run's History so far (fit's result or the callbacks' ctx.history), or its JSON. */
  history?: HistoryJSON | { toJSON(): HistoryJSON };
  /** A generator to keep besides tensorgrad's default one, which is always kept: a DataLoader's, say. */
  generator?: Generator;
  /** Anything else to keep: JSON values, any numbers, and tensors. */
  extra?: CheckpointValue;
}

export interface LoadCheckpointOptions {
  model: AnyModule;
  /** Given: restored from the checkpoint, which must hold the state of an optimizer of its class. */
  optimizer?: Optimizer;
  scheduler?: SchedulerLike;
  /** Given: set to the state of the generator saved with the checkpoint's generator option. */
  generator?: Generator;
  /** As Module.loadStateDict's (default true): every key of the model and no other. */
  strict?: boolean;
  /** Restore tensorgrad's default generator (default true), so that dropout and shuffling go on as in the saved run. */
  restoreRng?: boolean;
}

/** What loadCheckpoint gives back besides restoring the objects it was given. */
export interface Checkpoint {
  /** Epochs completed: pass it as fit's initialEpoch. */
  epoch: number;
  /** The History saved, or null; pass it as fit's history to go on recording into it. */
  history: HistoryJSON | null;
  extra: CheckpointValue | undefined;
}

/**
 * Runs f, prefixing the message of what it throws with `where` (the error's class is kept); a
 * SafetensorsError names the file already.
 */
function within<T>(where: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Error && !(e instanceof SafetensorsError)) e.message = `${where}: ${e.message}`;
    throw e;
  }
}

/** Writes a checkpoint of a training run to `file`, atomically (a crash leaves any previous file whole). */
export function saveCheckpoint(file: string, contents: CheckpointContents): void {
  within(`saveCheckpoint('${file}')`, () => {
    const { model, optimizer, scheduler, epoch, history, generator, extra } = contents ?? ({} as CheckpointContents);
    if (!(model instanceof Module)) throw new TypeError('model must be a tg.nn.Module');
    if (!Number.isSafeInteger(epoch) || epoch < 0) throw new RangeError(`epoch must be the number of epochs completed (an integer >= 0), got ${epoch}`);
    const tensors: Record<string, Tensor> = {};
    for (const [k, t] of Object.entries(model.stateDict())) tensors[MODEL_PREFIX + k] = t;
    const rng: RngState = { default: defaultGenerator.getState(), ...(generator ? { generator: generator.getState() } : {}) };
    const metadata: Record<string, string> = { format: FORMAT, format_version: FORMAT_VERSION, epoch: String(epoch), rng: JSON.stringify(rng) };
    const keep = (key: string, value: unknown) => {
      metadata[key] = JSON.stringify(encodeState(value, key, tensors));
    };
    if (optimizer) {
      keep('optimizer', optimizer.stateDict());
      metadata.optimizer_class = optimizer.constructor.name;
    }
    if (scheduler) {
      keep('scheduler', scheduler.stateDict());
      metadata.scheduler_class = scheduler.constructor.name;
    }
    if (history) keep('history', 'toJSON' in history && typeof history.toJSON === 'function' ? history.toJSON() : history);
    if (extra !== undefined) keep('extra', extra);
    save(tensors, file, metadata);
  });
}

/** The model's part of a checkpoint's tensors, without the prefix. */
function modelState(tensors: Record<string, Tensor>): StateDict {
  const out: StateDict = {};
  for (const [k, t] of Object.entries(tensors)) if (k.startsWith(MODEL_PREFIX)) out[k.slice(MODEL_PREFIX.length)] = t;
  return out;
}

/** Throws unless the checkpoint holds what the caller asks to restore. */
function checkWanted(s: CheckpointSections, options: LoadCheckpointOptions): void {
  if (!(options.model instanceof Module)) throw new TypeError('model must be a tg.nn.Module');
  for (const key of ['optimizer', 'scheduler'] as const) {
    const given = options[key];
    if (!given) continue;
    if (!s[key]) throw new Error(`it holds no ${key} state, but a ${key} was given to restore`);
    if (s[key]?.className !== given.constructor.name) throw new Error(`it holds the state of a ${s[key]?.className}, not of a ${given.constructor.name}`);
  }
  if (options.generator && !s.rng.generator) throw new Error('it holds no generator state besides the default one, but a generator was given to restore');
}

/** What restoring changes, as it was, to put back if a later step fails. */
function snapshot(options: LoadCheckpointOptions): () => void {
  const { model, optimizer, scheduler, generator } = options;
  const weights = Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, clone(t)]));
  const optimizerState = optimizer?.stateDict();
  const schedulerState = scheduler?.stateDict();
  const rng = defaultGenerator.getState();
  const generatorState = generator?.getState();
  return () => {
    model.loadStateDict(weights);
    if (optimizer && optimizerState) optimizer.loadStateDict(optimizerState);
    if (scheduler && schedulerState) scheduler.loadStateDict(schedulerState);
    defaultGenerator.setState(rng);
    if (generator && generatorState) generator.setState(generatorState);
  };
}

/**
 * Restores a checkpoint into the objects given (model, and optimizer, scheduler, generator if
 * given) and tensorgrad's default generator, all or nothing: if any part does not fit, everything
 * is put back as it was and the error says what did not fit. Returns the epoch, History and extra.
 */
export function loadCheckpoint(file: string, options: LoadCheckpointOptions): Checkpoint {
  return within(`loadCheckpoint('${file}')`, () => {
    const { tensors, metadata } = readSafetensors(file);
    const s = parseSections(metadata, tensors);
    checkWanted(s, options);
    const undo = snapshot(options);
    try {
      options.model.loadStateDict(modelState(tensors), { strict: options.strict ?? true });
      options.optimizer?.loadStateDict(s.optimizer?.state as unknown as OptimizerStateDict);
      options.scheduler?.loadStateDict(s.scheduler?.state as SchedulerStateDict);
      if (options.restoreRng ?? true) defaultGenerator.setState(s.rng.default);
      if (options.generator && s.rng.generator) options.generator.setState(s.rng.generator);
    } catch (e) {
      undo();
      throw e;
    }
    return { epoch: s.epoch, history: s.history, extra: s.extra };
  });
}
